// Bearer tokens, scopes and tenants on the HTTP port: 401 without a valid
// token, 403 for a missing scope or another tenant, tenant isolation
// through tenant-bound tokens and through X-Customer-Id.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/server_per_suite.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

constexpr char kAdminToken[] = "admin-token-0123456789abcdef";
constexpr char kLookupToken[] = "lookup-token-0123456789";
constexpr char kWriterToken[] = "writer-token-0123456789";  // all tenants
constexpr char kTenantAToken[] = "tenant-a-writer-0123456789";
constexpr char kTenantBToken[] = "tenant-b-writer-0123456789";
const std::string kTenantA = "5f1c0d2e-3b4a-4c5d-8e6f-708192a3b4c5";
const std::string kTenantB = "6a2d1e3f-4c5b-4d6e-9f70-8192a3b4c5d6";

class AuthApiTest : public ServerPerSuite<AuthApiTest> {
 public:
  static constexpr char kName[] = "http_auth";
  static std::vector<std::string> Args() {
    const std::string tokens = WriteTokensFile(
        "http_auth_tokens",
        {std::string(kAdminToken) + " lookup,write,admin *",
         std::string(kLookupToken) + " lookup *",
         std::string(kWriterToken) + " lookup,write *",
         std::string(kTenantAToken) + " lookup,write " + kTenantA,
         std::string(kTenantBToken) + " lookup,write " + kTenantB});
    return {"--fsync", "never", "--tokens", tokens};
  }

 protected:
  // A client with `token` and no X-Customer-Id.
  static ApiClient As(const std::string& token) {
    return ApiClient(http_port(), "", token);
  }
};

TEST_F(AuthApiTest, NoTokenIs401WithWwwAuthenticate) {
  ApiClient api = TenantApi();
  for (const char* path :
       {"/v1/contacts", "/v1/contacts/lookup?phone=%2B15551234567", "/metrics",
        "/admin/stats"}) {
    const HttpResponse r = api.Get(path);
    EXPECT_API_ERROR(r, 401, "UNAUTHENTICATED") << path;
    EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer") << path;
  }
  EXPECT_API_ERROR(api.Post("/v1/contacts", ContactBody("A")), 401,
                   "UNAUTHENTICATED");
}

TEST_F(AuthApiTest, AnUnknownTokenOrSchemeIs401) {
  EXPECT_API_ERROR(TenantApi("not-a-token-0123456789").Get("/v1/contacts"), 401,
                   "UNAUTHENTICATED");
  for (const std::string& authorization :
       {std::string("Basic ") + kAdminToken, std::string(kAdminToken),
        std::string("Bearer"), std::string("Bearer "),
        std::string("Bearer ") + kAdminToken + "x"}) {
    HttpConnection c(http_port());
    const HttpResponse r =
        c.Send({.method = "GET",
                .target = "/admin/stats",
                .headers = {{"Authorization", authorization}}});
    EXPECT_API_ERROR(r, 401, "UNAUTHENTICATED") << authorization;
  }
}

TEST_F(AuthApiTest, HealthAndReadinessNeedNoToken) {
  HttpConnection c(http_port());
  const HttpResponse health = c.Send({.method = "GET", .target = "/healthz"});
  EXPECT_EQ(health.status, 200u) << Describe(health);
  const HttpResponse ready = c.Send({.method = "GET", .target = "/readyz"});
  EXPECT_EQ(ready.status, 200u) << Describe(ready);
}

TEST_F(AuthApiTest, TheLookupScopeReadsButCannotWrite) {
  ApiClient writer = TenantApi(kWriterToken);
  const json c = writer.CreateContact(ContactBody("A", "+15556660001"));
  ApiClient reader(http_port(), writer.tenant(), kLookupToken);
  EXPECT_EQ(reader.Get(ContactPath(c["id"])).status, 200u);
  EXPECT_EQ(reader.Get("/v1/contacts/lookup?phone=%2B15556660001").status,
            200u);
  EXPECT_EQ(reader.Get("/v1/contacts").status, 200u);
  EXPECT_API_ERROR(reader.Post("/v1/contacts", ContactBody("B")), 403,
                   "PERMISSION_DENIED");
  EXPECT_API_ERROR(reader.Put(ContactPath(c["id"]), {{"notes", "x"}}), 403,
                   "PERMISSION_DENIED");
  EXPECT_API_ERROR(reader.Delete(ContactPath(c["id"])), 403,
                   "PERMISSION_DENIED");
  EXPECT_API_ERROR(reader.Post(ContactPath(c["id"], "tags"), {{"tag", "t"}}),
                   403, "PERMISSION_DENIED");
  EXPECT_EQ(reader.Get(ContactPath(c["id"])).Json(), c);
}

TEST_F(AuthApiTest, AdminRoutesNeedTheAdminScope) {
  for (const char* token : {kLookupToken, kWriterToken, kTenantAToken}) {
    ApiClient api = As(token);
    EXPECT_API_ERROR(api.Get("/metrics"), 403, "PERMISSION_DENIED") << token;
    EXPECT_API_ERROR(api.Get("/admin/stats"), 403, "PERMISSION_DENIED");
    EXPECT_API_ERROR(api.Post("/admin/checkpoint", json::object()), 403,
                     "PERMISSION_DENIED");
    EXPECT_API_ERROR(api.Post("/admin/reload", {{"path", "/nonexistent"}}), 403,
                     "PERMISSION_DENIED");
  }
  ApiClient admin = As(kAdminToken);
  EXPECT_EQ(admin.Get("/metrics").status, 200u);
  EXPECT_EQ(admin.Get("/admin/stats").status, 200u);
}

TEST_F(AuthApiTest, ATenantTokenImpliesItsTenant) {
  ApiClient a = As(kTenantAToken);
  const json c = a.CreateContact(ContactBody("A"));
  EXPECT_EQ(c["customer_id"], kTenantA);
  // Naming its own tenant is fine; another is not.
  ApiClient own(http_port(), kTenantA, kTenantAToken);
  EXPECT_EQ(own.Get(ContactPath(c["id"])).status, 200u);
  ApiClient other(http_port(), kTenantB, kTenantAToken);
  EXPECT_API_ERROR(other.Get("/v1/contacts"), 403, "PERMISSION_DENIED");
  EXPECT_API_ERROR(other.Post("/v1/contacts", ContactBody("X")), 403,
                   "PERMISSION_DENIED");
  EXPECT_API_ERROR(a.Post("/v1/contacts", {{"customer_id", kTenantB}}), 403,
                   "PERMISSION_DENIED");
}

TEST_F(AuthApiTest, ATenantTokenNeverReachesAnotherTenantsContact) {
  ApiClient b = As(kTenantBToken);
  const json theirs =
      b.CreateContact({{"first_name", "B"},
                       {"phone_numbers", {{{"number", "+15556660002"}}}},
                       {"emails", {{{"address", "b-only@example.com"}}}},
                       {"tags", {"secret"}}});
  const std::string phone_id = theirs["phone_numbers"][0]["id"];
  const std::string email_id = theirs["emails"][0]["id"];
  ApiClient a = As(kTenantAToken);
  EXPECT_API_ERROR(a.Get(ContactPath(theirs["id"])), 403, "PERMISSION_DENIED");
  EXPECT_API_ERROR(a.Put(ContactPath(theirs["id"]), {{"first_name", "Eve"}}),
                   403, "PERMISSION_DENIED");
  EXPECT_API_ERROR(a.Post(ContactPath(theirs["id"], "phone-numbers"),
                          {{"number", "+15556660003"}}),
                   403, "PERMISSION_DENIED");
  EXPECT_API_ERROR(a.Put(ContactPath(theirs["id"], "phone-numbers/" + phone_id),
                         {{"type", "fax"}}),
                   403, "PERMISSION_DENIED");
  EXPECT_API_ERROR(a.Delete(ContactPath(theirs["id"], "emails/" + email_id)),
                   403, "PERMISSION_DENIED");
  EXPECT_API_ERROR(a.Delete(ContactPath(theirs["id"], "tags/secret")), 403,
                   "PERMISSION_DENIED");
  EXPECT_API_ERROR(a.Delete(ContactPath(theirs["id"])), 403,
                   "PERMISSION_DENIED");
  // Lookups and lists search only the token's own tenant.
  EXPECT_EQ(a.Get("/v1/contacts/lookup?phone=%2B15556660002").status, 404u);
  EXPECT_EQ(a.Get("/v1/contacts/lookup?email=b-only@example.com").status, 404u);
  for (const std::string& id : Ids(a.Get("/v1/contacts").Json()["result"])) {
    EXPECT_NE(id, theirs["id"]);
  }
  // A POST that names its id does not take it over either.
  EXPECT_EQ(a.Post("/v1/contacts", {{"id", theirs["id"]}}).status, 409u);
  EXPECT_EQ(b.Get(ContactPath(theirs["id"])).Json(), theirs);
}

TEST_F(AuthApiTest, AnAllTenantsTokenNeedsXCustomerId) {
  EXPECT_API_ERROR(As(kWriterToken).Get("/v1/contacts"), 400,
                   "MISSING_CUSTOMER_ID");
  EXPECT_API_ERROR(As(kAdminToken).Post("/v1/contacts", ContactBody("A")), 400,
                   "MISSING_CUSTOMER_ID");
}

TEST_F(AuthApiTest, XCustomerIdSeparatesTenants) {
  ApiClient x = TenantApi(kWriterToken), y = TenantApi(kWriterToken);
  const json c = x.CreateContact(ContactBody("X", "+15556660004"));
  EXPECT_API_ERROR(y.Get(ContactPath(c["id"])), 403, "PERMISSION_DENIED");
  EXPECT_API_ERROR(y.Delete(ContactPath(c["id"])), 403, "PERMISSION_DENIED");
  EXPECT_EQ(y.Get("/v1/contacts/lookup?phone=%2B15556660004").status, 404u);
  EXPECT_EQ(y.Get("/v1/contacts").Json()["result"], json::array());
  EXPECT_EQ(x.Get(ContactPath(c["id"])).status, 200u);
}

TEST_F(AuthApiTest, TheBearerSchemeIsCaseInsensitive) {
  HttpConnection c(http_port());
  const HttpResponse r = c.Send(
      {.method = "GET",
       .target = "/admin/stats",
       .headers = {{"Authorization", std::string("bearer ") + kAdminToken}}});
  EXPECT_EQ(r.status, 200u) << Describe(r);
}

}  // namespace
}  // namespace contactd::testing
