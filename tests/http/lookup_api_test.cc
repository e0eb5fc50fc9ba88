// The read rows of the REST API: GET /v1/contacts/lookup (phone, email,
// region, all) and GET /v1/contacts (pages, order, tag filter).

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/server_per_suite.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

class LookupApiTest : public ServerPerSuite<LookupApiTest> {
 public:
  static constexpr char kName[] = "http_lookup";
  static std::vector<std::string> Args() { return {"--fsync", "never"}; }
};

// Creates `n` contacts named "c<i>"; their ids, sorted.
std::vector<std::string> CreateContacts(ApiClient& api, int n,
                                        const json& extra = json::object()) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    json body = ContactBody("c" + std::to_string(i));
    body.update(extra);
    ids.push_back(api.CreateContact(body).value("id", ""));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Every page of GET /v1/contacts?page_size=<size><query>; their ids.
std::vector<std::string> ListAllPages(ApiClient& api, int size,
                                      const std::string& query = "") {
  std::vector<std::string> ids;
  std::string token;
  for (int pages = 0; pages < 1000; ++pages) {
    const HttpResponse r =
        api.Get("/v1/contacts?page_size=" + std::to_string(size) +
                "&page_token=" + token + query);
    EXPECT_EQ(r.status, 200u) << Describe(r);
    if (r.status != 200) break;
    const json page = r.Json();
    EXPECT_LE(page["result"].size(), static_cast<size_t>(size));
    for (const std::string& id : Ids(page["result"])) ids.push_back(id);
    token = page["next_page_token"].get<std::string>();
    if (token.empty()) break;
  }
  return ids;
}

TEST_F(LookupApiTest, PhoneLookupAnswersTheContactAndTheMatchCount) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("Ada", "+15553330001"));
  // "+1 (555) 333-0001", percent-encoded.
  const HttpResponse r =
      api.Get("/v1/contacts/lookup?phone=%2B1%20(555)%20333-0001");
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json(), c);
  EXPECT_EQ(r.Header("X-Match-Count"), "1");
}

TEST_F(LookupApiTest, EmailLookupIgnoresCase) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("Ada", "", "ada@example.com"));
  const HttpResponse r = api.Get("/v1/contacts/lookup?email=ADA%40Example.COM");
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["id"], c["id"]);
  EXPECT_EQ(r.Header("X-Match-Count"), "1");
}

TEST_F(LookupApiTest, RegionReadsANationalNumberOfALookup) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("Uk", "+442079460018"));
  const HttpResponse r =
      api.Get("/v1/contacts/lookup?phone=020%207946%200018&region=GB");
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["id"], c["id"]);
  // Read in the default region (US) it is another number.
  EXPECT_NE(api.Get("/v1/contacts/lookup?phone=020%207946%200018").status,
            200u);
}

TEST_F(LookupApiTest, AllAnswersEveryMatchAndTheCount) {
  ApiClient api = TenantApi();
  const json a = api.CreateContact(ContactBody("A", "+15553330002"));
  const json b = api.CreateContact(ContactBody("B", "+15553330002"));
  const HttpResponse first =
      api.Get("/v1/contacts/lookup?phone=%2B15553330002");
  ASSERT_EQ(first.status, 200u) << Describe(first);
  EXPECT_EQ(first.Header("X-Match-Count"), "2");
  const HttpResponse all =
      api.Get("/v1/contacts/lookup?phone=%2B15553330002&all=true");
  ASSERT_EQ(all.status, 200u) << Describe(all);
  EXPECT_EQ(all.Json()["match_count"], 2);
  std::vector<std::string> ids = Ids(all.Json()["result"]);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected = {a["id"], b["id"]};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);
  EXPECT_TRUE(first.Json()["id"] == a["id"] || first.Json()["id"] == b["id"]);
}

TEST_F(LookupApiTest, EmailLookupWithAllAnswersTheList) {
  ApiClient api = TenantApi();
  const json a = api.CreateContact(ContactBody("A", "", "team@example.com"));
  const HttpResponse all =
      api.Get("/v1/contacts/lookup?email=team@example.com&all=true");
  ASSERT_EQ(all.status, 200u) << Describe(all);
  EXPECT_EQ(all.Json()["match_count"], 1);
  EXPECT_EQ(Ids(all.Json()["result"]), std::vector<std::string>{a["id"]});
}

TEST_F(LookupApiTest, NoMatchIs404) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?phone=%2B15553339999"), 404,
                   "CONTACT_NOT_FOUND");
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?email=no@example.com"), 404,
                   "CONTACT_NOT_FOUND");
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?phone=%2B15553339999&all=true"),
                   404, "CONTACT_NOT_FOUND");
}

TEST_F(LookupApiTest, NeitherPhoneNorEmailIs400) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup"), 400, "MISSING_LOOKUP_KEY");
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?region=GB&all=true"), 400,
                   "MISSING_LOOKUP_KEY");
}

TEST_F(LookupApiTest, PhoneWinsWhenBothAreGiven) {
  ApiClient api = TenantApi();
  const json by_phone = api.CreateContact(ContactBody("P", "+15553330003"));
  api.CreateContact(ContactBody("E", "", "e@example.com"));
  const HttpResponse r =
      api.Get("/v1/contacts/lookup?email=e@example.com&phone=%2B15553330003");
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["id"], by_phone["id"]);
  // Even when the phone has no match.
  EXPECT_EQ(
      api.Get("/v1/contacts/lookup?email=e@example.com&phone=%2B15553339998")
          .status,
      404u);
}

TEST_F(LookupApiTest, BadLookupInputsAre400) {
  ApiClient api = TenantApi();
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?phone=anonymous"), 400,
                   "INVALID_PHONE");
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?email=not-an-address"), 400,
                   "INVALID_EMAIL");
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?phone=5553330004&region=ZZZ"),
                   400, "INVALID_REGION");
  EXPECT_API_ERROR(api.Get("/v1/contacts/lookup?phone=%2B15553330004&all=yes"),
                   400, "INVALID_QUERY");
}

TEST_F(LookupApiTest, LookupsStayInTheirTenant) {
  ApiClient a = TenantApi(), b = TenantApi();
  a.CreateContact(ContactBody("A", "+15553330005", "a@example.com"));
  EXPECT_EQ(b.Get("/v1/contacts/lookup?phone=%2B15553330005").status, 404u);
  EXPECT_EQ(b.Get("/v1/contacts/lookup?email=a@example.com").status, 404u);
  EXPECT_EQ(a.Get("/v1/contacts/lookup?phone=%2B15553330005").status, 200u);
}

TEST_F(LookupApiTest, ListPagesFollowIdOrderToAnEmptyToken) {
  ApiClient api = TenantApi();
  const std::vector<std::string> ids = CreateContacts(api, 5);
  EXPECT_EQ(ListAllPages(api, 2), ids);
  const HttpResponse first = api.Get("/v1/contacts?page_size=2");
  ASSERT_EQ(first.status, 200u) << Describe(first);
  EXPECT_EQ(first.Json()["next_page_token"], ids[1]);
  const HttpResponse whole = api.Get("/v1/contacts");
  EXPECT_EQ(Ids(whole.Json()["result"]), ids);
  EXPECT_EQ(whole.Json()["next_page_token"], "");
}

TEST_F(LookupApiTest, AFullLastPageEndsWithAnEmptyToken) {
  ApiClient api = TenantApi();
  const std::vector<std::string> ids = CreateContacts(api, 4);
  const HttpResponse second =
      api.Get("/v1/contacts?page_size=2&page_token=" + ids[1]);
  ASSERT_EQ(second.status, 200u) << Describe(second);
  EXPECT_EQ(Ids(second.Json()["result"]),
            std::vector<std::string>(ids.begin() + 2, ids.end()));
  EXPECT_EQ(second.Json()["next_page_token"], "");
}

TEST_F(LookupApiTest, TheDefaultPageSizeIs100) {
  ApiClient api = TenantApi();
  const std::vector<std::string> ids = CreateContacts(api, 101);
  const HttpResponse r = api.Get("/v1/contacts");
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["result"].size(), 100u);
  EXPECT_EQ(r.Json()["next_page_token"], ids[99]);
  EXPECT_EQ(ListAllPages(api, 100), ids);
}

TEST_F(LookupApiTest, PagesAreStableUnderWrites) {
  ApiClient api = TenantApi();
  const std::vector<std::string> ids = CreateContacts(api, 6);
  const HttpResponse first = api.Get("/v1/contacts?page_size=3");
  const std::string token = first.Json()["next_page_token"];
  const std::vector<std::string> added = CreateContacts(api, 4);
  const HttpResponse rest =
      api.Get("/v1/contacts?page_size=100&page_token=" + token);
  // Everything after the token: the old contacts of the second half, and
  // the new ones with larger ids; nothing of the first page again.
  std::vector<std::string> expected(ids.begin() + 3, ids.end());
  for (const std::string& id : added) {
    if (id > token) expected.push_back(id);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Ids(rest.Json()["result"]), expected);
}

TEST_F(LookupApiTest, TagFiltersTheList) {
  ApiClient api = TenantApi();
  const std::vector<std::string> vips =
      CreateContacts(api, 3, {{"tags", {"vip"}}});
  CreateContacts(api, 2, {{"tags", {"other"}}});
  EXPECT_EQ(ListAllPages(api, 2, "&tag=vip"), vips);
  EXPECT_EQ(ListAllPages(api, 100, "&tag=none").size(), 0u);
  EXPECT_EQ(ListAllPages(api, 100).size(), 5u);
}

TEST_F(LookupApiTest, AnEmptyTenantListsNothing) {
  ApiClient api = TenantApi();
  const HttpResponse r = api.Get("/v1/contacts");
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json(),
            json({{"result", json::array()}, {"next_page_token", ""}}));
}

TEST_F(LookupApiTest, BadListQueriesAre400) {
  ApiClient api = TenantApi();
  for (const char* query : {"page_size=0", "page_size=101", "page_size=ten",
                            "page_size=-1", "page_size=", "page_token=xyz"}) {
    EXPECT_API_ERROR(api.Get(std::string("/v1/contacts?") + query), 400,
                     "INVALID_QUERY");
  }
}

}  // namespace
}  // namespace contactd::testing
