// The contact rows of the REST API (docs/http_api.md, "Contacts"): POST,
// GET, PUT (partial), DELETE of /v1/contacts, against the real contactd.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/server_per_suite.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

class ContactsApiTest : public ServerPerSuite<ContactsApiTest> {
 public:
  static constexpr char kName[] = "http_contacts";
  static std::vector<std::string> Args() { return {"--fsync", "never"}; }
};

json FullContact() {
  return {{"first_name", "Ada"},
          {"last_name", "Lovelace"},
          {"display_name", "Ada L."},
          {"company", "Acme"},
          {"job_title", "CTO"},
          {"external_id", "crm-1"},
          {"notes", "met at the fair"},
          {"tags", {"vip", "uk"}},
          {"phone_numbers",
           {{{"number", "(555) 123-4567"},
             {"type", "work"},
             {"is_primary", true}}}},
          {"emails",
           {{{"address", "Ada@Example.com"},
             {"type", "personal"},
             {"is_primary", true}}}}};
}

TEST_F(ContactsApiTest, CreateAnswers201WithTheWholeContact) {
  ApiClient api = TenantApi();
  const HttpResponse r = api.Post("/v1/contacts", FullContact());
  ASSERT_EQ(r.status, 201u) << Describe(r);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  const json c = r.Json();
  std::vector<std::string> keys;  // sorted: nlohmann::json orders keys
  for (const auto& [key, value] : c.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "company", "customer_id", "display_name", "emails",
                      "external_id", "first_name", "id", "job_title",
                      "last_name", "notes", "phone_numbers", "source", "tags",
                      "tm_create", "tm_delete", "tm_update"}));
  EXPECT_TRUE(IsUuid(c["id"])) << c;
  EXPECT_EQ(c["customer_id"], api.tenant());
  EXPECT_EQ(c["first_name"], "Ada");
  EXPECT_EQ(c["display_name"], "Ada L.");
  EXPECT_EQ(c["job_title"], "CTO");
  EXPECT_EQ(c["notes"], "met at the fair");
  EXPECT_EQ(c["tags"], json({"vip", "uk"}));
  EXPECT_EQ(c["source"], "api");
  EXPECT_TRUE(IsApiTime(c["tm_create"])) << c;
  EXPECT_TRUE(IsApiTime(c["tm_update"])) << c;
  EXPECT_TRUE(c["tm_delete"].is_null()) << c;
  ASSERT_EQ(c["phone_numbers"].size(), 1u);
  const json& phone = c["phone_numbers"][0];
  EXPECT_TRUE(IsUuid(phone["id"])) << phone;
  EXPECT_EQ(phone["number"], "(555) 123-4567");
  EXPECT_EQ(phone["number_e164"], "+15551234567");
  EXPECT_EQ(phone["type"], "work");
  EXPECT_EQ(phone["is_primary"], true);
  EXPECT_TRUE(IsApiTime(phone["tm_create"])) << phone;
  ASSERT_EQ(c["emails"].size(), 1u);
  EXPECT_TRUE(IsUuid(c["emails"][0]["id"]));
  EXPECT_EQ(c["emails"][0]["address"], "ada@example.com");
  EXPECT_EQ(c["emails"][0]["type"], "personal");
  EXPECT_TRUE(IsApiTime(c["emails"][0]["tm_create"]));
}

TEST_F(ContactsApiTest, CreateKeepsASourceItIsGiven) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact({{"first_name", "S"}, {"source", "sync"}});
  EXPECT_EQ(c["source"], "sync");
}

TEST_F(ContactsApiTest, CreateWithAKnownExternalIdUpdatesThatContact) {
  ApiClient api = TenantApi();
  const json first =
      api.CreateContact({{"external_id", "crm-7"}, {"first_name", "Old"}});
  const HttpResponse again = api.Post(
      "/v1/contacts", {{"external_id", "crm-7"}, {"first_name", "New"}});
  ASSERT_EQ(again.status, 200u) << Describe(again);
  EXPECT_EQ(again.Json()["id"], first["id"]);
  EXPECT_EQ(again.Json()["first_name"], "New");
  EXPECT_EQ(again.Json()["tm_create"], first["tm_create"]);
  const HttpResponse list = api.Get("/v1/contacts");
  EXPECT_EQ(list.Json()["result"].size(), 1u) << Describe(list);
}

TEST_F(ContactsApiTest, TheSameExternalIdInAnotherTenantIsAnotherContact) {
  ApiClient a = TenantApi(), b = TenantApi();
  const json in_a = a.CreateContact({{"external_id", "crm-1"}});
  const json in_b = b.CreateContact({{"external_id", "crm-1"}});
  EXPECT_NE(in_a["id"], in_b["id"]);
}

TEST_F(ContactsApiTest, CreateWithAnIdUsesItAndAnExistingIdIsConflict) {
  ApiClient api = TenantApi();
  const std::string id = RandomTenant();
  const json c = api.CreateContact({{"id", id}, {"first_name", "Chosen"}});
  EXPECT_EQ(c["id"], id);
  const HttpResponse again =
      api.Post("/v1/contacts", {{"id", id}, {"first_name", "Again"}});
  EXPECT_API_ERROR(again, 409, "ALREADY_EXISTS");
  EXPECT_EQ(api.Get(ContactPath(id)).Json()["first_name"], "Chosen");
}

TEST_F(ContactsApiTest, CreateWithTheIdOfAnotherTenantsContactIsConflict) {
  ApiClient a = TenantApi(), b = TenantApi();
  const json c = a.CreateContact({{"first_name", "A"}});
  EXPECT_API_ERROR(b.Post("/v1/contacts", {{"id", c["id"]}}), 409,
                   "ALREADY_EXISTS");
}

TEST_F(ContactsApiTest, GetReturnsTheContactAsCreated) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(FullContact());
  const HttpResponse got = api.Get(ContactPath(c["id"]));
  ASSERT_EQ(got.status, 200u) << Describe(got);
  EXPECT_EQ(got.Json(), c);
}

TEST_F(ContactsApiTest, GetOfAnUnknownIdIs404) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Get(ContactPath(RandomTenant())), 404,
                   "CONTACT_NOT_FOUND");
}

TEST_F(ContactsApiTest, PutChangesOnlyTheFieldsSent) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(FullContact());
  const HttpResponse r =
      api.Put(ContactPath(c["id"]), {{"company", "Initech"}});
  ASSERT_EQ(r.status, 200u) << Describe(r);
  json expected = c;
  expected["company"] = "Initech";
  expected["tm_update"] = r.Json()["tm_update"];
  EXPECT_EQ(r.Json(), expected);
  EXPECT_GE(r.Json()["tm_update"].get<std::string>(),
            c["tm_update"].get<std::string>());
  EXPECT_EQ(api.Get(ContactPath(c["id"])).Json(), r.Json());
}

TEST_F(ContactsApiTest, PutNullClearsAField) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(FullContact());
  const HttpResponse r =
      api.Put(ContactPath(c["id"]), {{"company", nullptr}, {"tags", nullptr}});
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["company"], "");
  EXPECT_EQ(r.Json()["tags"], json::array());
  EXPECT_EQ(r.Json()["first_name"], "Ada");
}

TEST_F(ContactsApiTest, PutOfAListReplacesItKeepingIdsOfNumbersThatStay) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P", "+15551230001"));
  const json kept = c["phone_numbers"][0];
  const HttpResponse r = api.Put(
      ContactPath(c["id"]),
      {{"phone_numbers",
        {{{"number", "+1 555 123 0001"}}, {{"number", "+15551230002"}}}}});
  ASSERT_EQ(r.status, 200u) << Describe(r);
  const json phones = r.Json()["phone_numbers"];
  ASSERT_EQ(phones.size(), 2u) << phones;
  EXPECT_EQ(phones[0]["id"], kept["id"]);
  EXPECT_EQ(phones[0]["tm_create"], kept["tm_create"]);
  EXPECT_EQ(phones[1]["number_e164"], "+15551230002");
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15551230002").status, 200u);
}

// docs/http_api.md: output-only fields (number_e164) are accepted and
// ignored, so a contact read from the API can be edited and sent back.
TEST_F(ContactsApiTest, PutOfAnEditedNumberIgnoresTheStaleE164Form) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P", "+15551230001"));
  json phones = c["phone_numbers"];
  phones[0]["number"] = "+15551239999";  // number_e164 still +15551230001
  const HttpResponse r =
      api.Put(ContactPath(c["id"]), {{"phone_numbers", phones}});
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["phone_numbers"][0]["number_e164"].dump(),
            "\"+15551239999\"")
      << Describe(r);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15551239999").status, 200u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15551230001").status, 404u);
}

TEST_F(ContactsApiTest, PutNeverTrustsAClientE164Form) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P"));
  const HttpResponse r = api.Put(
      ContactPath(c["id"]),
      {{"phone_numbers",
        {{{"number", "+15551230003"}, {"number_e164", "+15550000000"}}}}});
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["phone_numbers"][0]["number_e164"].dump(),
            "\"+15551230003\"");
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15550000000").status, 404u);
}

// docs/http_api.md: the ids of phones and emails are output-only, accepted
// and ignored; the server assigns them.
TEST_F(ContactsApiTest, ItemIdsInACreateAreIgnored) {
  ApiClient api = TenantApi();
  const std::string chosen = RandomTenant();
  const json c = api.CreateContact(
      {{"phone_numbers", {{{"id", chosen}, {"number", "+15551230005"}}}},
       {"emails", {{{"id", chosen}, {"address", "i@example.com"}}}}});
  EXPECT_NE(c["phone_numbers"][0]["id"].dump(), json(chosen).dump()) << c;
  EXPECT_NE(c["emails"][0]["id"].dump(), json(chosen).dump()) << c;
}

TEST_F(ContactsApiTest, TwoPhonesOfAContactNeverShareAnId) {
  ApiClient api = TenantApi();
  const std::string chosen = RandomTenant();
  const HttpResponse r = api.Post(
      "/v1/contacts", {{"phone_numbers",
                        {{{"id", chosen}, {"number", "+15551230006"}},
                         {{"id", chosen}, {"number", "+15551230007"}}}}});
  ASSERT_EQ(r.status, 201u) << Describe(r);
  const json phones = r.Json()["phone_numbers"];
  ASSERT_EQ(phones.size(), 2u);
  EXPECT_NE(phones[0]["id"], phones[1]["id"]) << phones;
  // Removing one phone leaves the other.
  const HttpResponse removed = api.Delete(ContactPath(
      r.Json()["id"], "phone-numbers/" + phones[0]["id"].get<std::string>()));
  ASSERT_EQ(removed.status, 200u) << Describe(removed);
  EXPECT_EQ(removed.Json()["phone_numbers"].size(), 1u) << Describe(removed);
}

TEST_F(ContactsApiTest, PutOfAnUnknownIdIs404) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Put(ContactPath(RandomTenant()), {{"company", "X"}}),
                   404, "CONTACT_NOT_FOUND");
}

TEST_F(ContactsApiTest, PutWithAnotherIdInTheBodyIsInvalidId) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P"));
  EXPECT_API_ERROR(
      api.Put(ContactPath(c["id"]), {{"id", RandomTenant()}, {"notes", "x"}}),
      400, "INVALID_ID");
  const HttpResponse same =
      api.Put(ContactPath(c["id"]), {{"id", c["id"]}, {"notes", "x"}});
  EXPECT_EQ(same.status, 200u) << Describe(same);
}

TEST_F(ContactsApiTest, PutOfAnExternalIdOfAnotherContactIsConflict) {
  ApiClient api = TenantApi();
  api.CreateContact({{"external_id", "crm-a"}});
  const json b = api.CreateContact({{"external_id", "crm-b"}});
  EXPECT_API_ERROR(api.Put(ContactPath(b["id"]), {{"external_id", "crm-a"}}),
                   409, "EXTERNAL_ID_CONFLICT");
}

TEST_F(ContactsApiTest, DeleteAnswersTheContactWithTmDeleteAndRemovesIt) {
  ApiClient api = TenantApi();
  const json c =
      api.CreateContact(ContactBody("Gone", "+15551230004", "gone@x.com"));
  const HttpResponse r = api.Delete(ContactPath(c["id"]));
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["id"], c["id"]);
  EXPECT_EQ(r.Json()["first_name"], "Gone");
  EXPECT_TRUE(IsApiTime(r.Json()["tm_delete"])) << Describe(r);
  EXPECT_API_ERROR(api.Get(ContactPath(c["id"])), 404, "CONTACT_NOT_FOUND");
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15551230004").status, 404u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=gone@x.com").status, 404u);
  EXPECT_EQ(api.Get("/v1/contacts").Json()["result"], json::array());
  EXPECT_API_ERROR(api.Delete(ContactPath(c["id"])), 404, "CONTACT_NOT_FOUND");
}

TEST_F(ContactsApiTest, ABodyCustomerIdOfAnotherTenantIsForbidden) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Post("/v1/contacts", {{"customer_id", RandomTenant()}}),
                   403, "PERMISSION_DENIED");
  const json c = api.CreateContact({{"customer_id", api.tenant()}});
  EXPECT_EQ(c["customer_id"], api.tenant());
  EXPECT_API_ERROR(
      api.Put(ContactPath(c["id"]), {{"customer_id", RandomTenant()}}), 403,
      "PERMISSION_DENIED");
}

TEST_F(ContactsApiTest, RegionReadsNationalNumbersOfAWrite) {
  ApiClient api = TenantApi();
  const HttpResponse gb =
      api.Post("/v1/contacts?region=GB", ContactBody("Uk", "020 7946 0018"));
  ASSERT_EQ(gb.status, 201u) << Describe(gb);
  EXPECT_EQ(gb.Json()["phone_numbers"][0]["number_e164"], "+442079460018");
  // Without it, the server's default region (US).
  const json us = api.CreateContact(ContactBody("Us", "(555) 010-2030"));
  EXPECT_EQ(us["phone_numbers"][0]["number_e164"], "+15550102030");
}

}  // namespace
}  // namespace contactd::testing
