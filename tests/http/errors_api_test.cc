// Every error reason of the REST API (docs/http_api.md, "Errors"): the
// HTTP status, the reason and the error shape. Auth reasons are in
// auth_api_test, the limits' in limits_api_test.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/server_per_suite.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

class ErrorsApiTest : public ServerPerSuite<ErrorsApiTest> {
 public:
  static constexpr char kName[] = "http_errors";
  static std::vector<std::string> Args() { return {"--fsync", "never"}; }
};

TEST_F(ErrorsApiTest, AnErrorHasTheStatusReasonAndMessage) {
  ApiClient api = TenantApi();
  const HttpResponse r =
      api.Post("/v1/contacts", ContactBody("A", "anonymous"));
  EXPECT_API_ERROR(r, 400, "INVALID_PHONE");
  EXPECT_EQ(r.Json()["error"]["status"], "INVALID_ARGUMENT");
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
}

TEST_F(ErrorsApiTest, AnInvalidEmailIs400) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Post("/v1/contacts", ContactBody("A", "", "ann@")), 400,
                   "INVALID_EMAIL");
  EXPECT_API_ERROR(
      api.Post("/v1/contacts",
               ContactBody("A", "", std::string(250, 'a') + "@x.com")),
      400, "INVALID_EMAIL");
}

TEST_F(ErrorsApiTest, AnInvalidRegionIs400) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(
      api.Post("/v1/contacts?region=XX", ContactBody("A", "020 7946 0018")),
      400, "INVALID_REGION");
}

TEST_F(ErrorsApiTest, AMalformedUuidIsInvalidIdWhereverItIs) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Get("/v1/contacts/not-a-uuid"), 400, "INVALID_ID");
  EXPECT_API_ERROR(api.Put("/v1/contacts/1234", {{"notes", "x"}}), 400,
                   "INVALID_ID");
  EXPECT_API_ERROR(
      api.Delete("/v1/contacts/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"), 400,
      "INVALID_ID");
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"id", "42"}}), 400, "INVALID_ID");
  ApiClient bad_tenant(http_port(), "not-a-tenant");
  EXPECT_API_ERROR(bad_tenant.Get("/v1/contacts"), 400, "INVALID_ID");
}

TEST_F(ErrorsApiTest, ABodyThatIsNotOneJsonObjectIsInvalidJsonBody) {
  ApiClient api = TenantApi();
  for (const char* body : {"", "{", "{\"first_name\": \"A\",}", "[]",
                           "\"text\"", "42", "null", "{} {}", "\xff\xfe"}) {
    EXPECT_API_ERROR(api.Call("POST", "/v1/contacts", body), 400,
                     "INVALID_JSON_BODY")
        << "body: " << body;
  }
  const json c = api.CreateContact(ContactBody("A"));
  EXPECT_API_ERROR(api.Call("PUT", ContactPath(c["id"]), "{"), 400,
                   "INVALID_JSON_BODY");
  EXPECT_API_ERROR(api.Call("POST", ContactPath(c["id"], "emails"), "[1]"), 400,
                   "INVALID_JSON_BODY");
}

TEST_F(ErrorsApiTest, DeeplyNestedJsonIsRefusedWithoutACrash) {
  ApiClient api = TenantApi();
  constexpr size_t kDepth = 400000;  // within the 1 MiB body limit
  const std::string nested =
      std::string(kDepth, '[') + std::string(kDepth, ']');
  EXPECT_API_ERROR(api.Call("POST", "/v1/contacts", nested), 400,
                   "INVALID_JSON_BODY");
  const std::string open_only = "{\"notes\": " + std::string(kDepth, '[');
  EXPECT_API_ERROR(api.Call("POST", "/v1/contacts", open_only), 400,
                   "INVALID_JSON_BODY");
  EXPECT_EQ(api.Get("/healthz").status, 200u);
}

TEST_F(ErrorsApiTest, AWrongTypeIsInvalidJsonBody) {
  ApiClient api = TenantApi();
  for (const json& body :
       {json{{"first_name", 5}}, json{{"tags", "vip"}}, json{{"tags", {1}}},
        json{{"phone_numbers", {{"number", "+15551234567"}}}},
        json{{"phone_numbers", {{{"number", 15551234567}}}}},
        json{{"emails", {{{"is_primary", "yes"}}}}},
        json{{"notes", {{"a", 1}}}}, json{{"tm_create", "yesterday"}}}) {
    EXPECT_API_ERROR(api.Post("/v1/contacts", body), 400, "INVALID_JSON_BODY")
        << body;
  }
}

// docs/http_api.md: unknown fields are rejected, never ignored.
TEST_F(ErrorsApiTest, AnUnknownFieldIsInvalidJsonBody) {
  ApiClient api = TenantApi();
  const HttpResponse r =
      api.Post("/v1/contacts", {{"fist_name", "A"}, {"last_name", "B"}});
  EXPECT_API_ERROR(r, 400, "INVALID_JSON_BODY");
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("fist_name"),
            std::string::npos)
      << Describe(r);
  EXPECT_API_ERROR(
      api.Post("/v1/contacts",
               {{"phone_numbers", {{{"number", "+15551234567"}, {"ext", 1}}}}}),
      400, "INVALID_JSON_BODY");
  const json c = api.CreateContact(ContactBody("A"));
  EXPECT_API_ERROR(api.Put(ContactPath(c["id"]), {{"nickname", "x"}}), 400,
                   "INVALID_JSON_BODY");
  EXPECT_EQ(api.Get("/v1/contacts").Json()["result"].size(), 1u);
}

TEST_F(ErrorsApiTest, AnUnknownEnumNameIsInvalidEnum) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(
      api.Post("/v1/contacts",
               {{"phone_numbers",
                 {{{"number", "+15551234567"}, {"type", "cell"}}}}}),
      400, "INVALID_ENUM");
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"source", "fax"}}), 400,
                   "INVALID_ENUM");
}

struct LengthLimit {
  const char* field;
  size_t limit;
};

// index/validation.h: each text field at its limit is accepted, one byte
// over is FIELD_TOO_LONG, on create and on a partial update.
TEST_F(ErrorsApiTest, EachFieldOverItsLimitIsFieldTooLong) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("A"));
  for (const LengthLimit& f :
       {LengthLimit{"first_name", 100}, LengthLimit{"last_name", 100},
        LengthLimit{"job_title", 100}, LengthLimit{"display_name", 200},
        LengthLimit{"company", 200}, LengthLimit{"external_id", 255},
        LengthLimit{"notes", 4096}}) {
    SCOPED_TRACE(f.field);
    const std::string at_limit(f.limit, 'x');
    const std::string over(f.limit + 1, 'x');
    EXPECT_EQ(api.Post("/v1/contacts", {{f.field, at_limit}}).status, 201u);
    EXPECT_API_ERROR(api.Post("/v1/contacts", {{f.field, over}}), 400,
                     "FIELD_TOO_LONG");
    EXPECT_API_ERROR(api.Put(ContactPath(c["id"]), {{f.field, over}}), 400,
                     "FIELD_TOO_LONG");
  }
  // A phone number as entered: 64 bytes (spaces count).
  const std::string padded = "+15551234567" + std::string(60, ' ');
  EXPECT_API_ERROR(api.Post("/v1/contacts", ContactBody("A", padded)), 400,
                   "FIELD_TOO_LONG");
  EXPECT_API_ERROR(
      api.Post(ContactPath(c["id"], "phone-numbers"), {{"number", padded}}),
      400, "FIELD_TOO_LONG");
}

TEST_F(ErrorsApiTest, CountsPrimariesAndDuplicatesAreValidated) {
  ApiClient api = TenantApi();
  json phones = json::array(), emails = json::array(), tags = json::array();
  for (int i = 0; i < 33; ++i) {
    phones.push_back({{"number", "+1555444" + std::to_string(1000 + i)}});
    emails.push_back({{"address", "a" + std::to_string(i) + "@x.com"}});
  }
  for (int i = 0; i < 65; ++i) tags.push_back("t" + std::to_string(i));
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"phone_numbers", phones}}), 400,
                   "TOO_MANY_PHONES");
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"emails", emails}}), 400,
                   "TOO_MANY_EMAILS");
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"tags", tags}}), 400,
                   "TOO_MANY_TAGS");
  EXPECT_API_ERROR(
      api.Post("/v1/contacts",
               {{"phone_numbers",
                 {{{"number", "+15554440001"}, {"is_primary", true}},
                  {{"number", "+15554440002"}, {"is_primary", true}}}}}),
      400, "MULTIPLE_PRIMARY_PHONES");
  EXPECT_API_ERROR(
      api.Post("/v1/contacts",
               {{"emails",
                 {{{"address", "a@x.com"}, {"is_primary", true}},
                  {{"address", "b@x.com"}, {"is_primary", true}}}}}),
      400, "MULTIPLE_PRIMARY_EMAILS");
  EXPECT_API_ERROR(
      api.Post("/v1/contacts", {{"phone_numbers",
                                 {{{"number", "+15554440001"}},
                                  {{"number", "(555) 444-0001"}}}}}),
      400, "DUPLICATE_PHONE");
  EXPECT_API_ERROR(
      api.Post(
          "/v1/contacts",
          {{"emails", {{{"address", "a@x.com"}}, {{"address", "A@X.com"}}}}}),
      400, "DUPLICATE_EMAIL");
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"tags", {"ok", ""}}}), 400,
                   "INVALID_TAG");
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"tags", {"bad\ntag"}}}), 400,
                   "INVALID_TAG");
  EXPECT_EQ(api.Get("/v1/contacts").Json()["result"].size(), 0u);
}

TEST_F(ErrorsApiTest, WithoutATenantItIsMissingCustomerId) {
  ApiClient no_tenant(http_port());
  EXPECT_API_ERROR(no_tenant.Get("/v1/contacts"), 400, "MISSING_CUSTOMER_ID");
  EXPECT_API_ERROR(no_tenant.Post("/v1/contacts", ContactBody("A")), 400,
                   "MISSING_CUSTOMER_ID");
  EXPECT_API_ERROR(no_tenant.Get("/v1/contacts/lookup?phone=%2B15551234567"),
                   400, "MISSING_CUSTOMER_ID");
}

TEST_F(ErrorsApiTest, AnUnknownPathIsRouteNotFound) {
  ApiClient api = TenantApi();
  for (const char* path :
       {"/", "/v2/contacts", "/v1/contact", "/v1/contacts/a/b/c/d",
        "/v1/contacts/"
        "00000000-0000-4000-8000-000000000000/notes",
        "/admin", "/metrics/x", "/v1/contacts//phone-numbers"}) {
    EXPECT_API_ERROR(api.Get(path), 404, "ROUTE_NOT_FOUND") << path;
  }
}

TEST_F(ErrorsApiTest, AnotherMethodIsMethodNotAllowedWithAllow) {
  ApiClient api = TenantApi();
  const std::string id = RandomTenant();
  struct Case {
    std::string method, path, allow;
  };
  for (const Case& c : std::vector<Case>{
           {"DELETE", "/v1/contacts", "GET, POST"},
           {"PATCH", "/v1/contacts/" + id, "GET, PUT, DELETE"},
           {"GET", "/v1/contacts/" + id + "/phone-numbers", "POST"},
           {"POST", "/v1/contacts/" + id + "/tags/vip", "DELETE"},
           {"GET", "/admin/reload", "POST"},
           {"POST", "/healthz", "GET"}}) {
    const HttpResponse r = api.Call(c.method, c.path, "{}");
    EXPECT_API_ERROR(r, 405, "METHOD_NOT_ALLOWED") << c.method << " " << c.path;
    EXPECT_EQ(r.Header("Allow"), c.allow) << c.method << " " << c.path;
  }
}

// /v1/contacts/lookup is its own resource (it is routed before
// /v1/contacts/{}): PUT or DELETE of it can never succeed.
TEST_F(ErrorsApiTest, TheLookupPathAllowsOnlyGet) {
  ApiClient api = TenantApi();
  const HttpResponse r = api.Post("/v1/contacts/lookup", json::object());
  EXPECT_API_ERROR(r, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.Header("Allow"), "GET");
}

TEST_F(ErrorsApiTest, ABadPercentEscapeIsMalformedRequest) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?phone=%zz"), 400,
                   "MALFORMED_REQUEST");
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?email=a%4"), 400,
                   "MALFORMED_REQUEST");
  EXPECT_API_ERROR(api.Delete(ContactPath(RandomTenant(), "tags/%g1")), 400,
                   "MALFORMED_REQUEST");
}

TEST_F(ErrorsApiTest, ErrorsLeaveTheConnectionUsable) {
  HttpConnection c(http_port());
  ASSERT_TRUE(c.connected());
  const HttpRequest bad{.method = "GET", .target = "/v1/contacts/lookup"};
  for (int i = 0; i < 3; ++i) {
    const HttpResponse r = c.Send(bad);
    EXPECT_EQ(r.status, 400u) << Describe(r);  // MISSING_CUSTOMER_ID
    EXPECT_TRUE(r.keep_alive);
  }
  EXPECT_EQ(c.Send({.method = "GET", .target = "/healthz"}).status, 200u);
}

}  // namespace
}  // namespace contactd::testing
