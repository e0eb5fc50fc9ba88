// The phone, email and tag rows of the REST API: POST/PUT/DELETE of
// /v1/contacts/{id}/phone-numbers, /emails and /tags.

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/server_per_suite.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

class ItemsApiTest : public ServerPerSuite<ItemsApiTest> {
 public:
  static constexpr char kName[] = "http_items";
  static std::vector<std::string> Args() { return {"--fsync", "never"}; }
};

std::string PhonePath(const json& contact, const json& phone_id) {
  return ContactPath(contact["id"],
                     "phone-numbers/" + phone_id.get<std::string>());
}

std::string EmailPath(const json& contact, const json& email_id) {
  return ContactPath(contact["id"], "emails/" + email_id.get<std::string>());
}

TEST_F(ItemsApiTest, AddPhoneAnswers201WithTheNewNumber) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P", "+15552220001"));
  const HttpResponse r =
      api.Post(ContactPath(c["id"], "phone-numbers"),
               {{"number", "(555) 222-0002"}, {"type", "home"}});
  ASSERT_EQ(r.status, 201u) << Describe(r);
  const json phones = r.Json()["phone_numbers"];
  ASSERT_EQ(phones.size(), 2u) << phones;
  EXPECT_EQ(phones[0], c["phone_numbers"][0]);
  EXPECT_TRUE(IsUuid(phones[1]["id"]));
  EXPECT_EQ(phones[1]["number_e164"], "+15552220002");
  EXPECT_EQ(phones[1]["type"], "home");
  const HttpResponse found = api.Get("/v1/contacts/lookup?phone=5552220002");
  ASSERT_EQ(found.status, 200u) << Describe(found);
  EXPECT_EQ(found.Json()["id"], c["id"]);
}

TEST_F(ItemsApiTest, AddPhoneReadsANationalNumberInTheRegionGiven) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P"));
  const HttpResponse r =
      api.Post(ContactPath(c["id"], "phone-numbers?region=GB"),
               {{"number", "020 7946 0018"}});
  ASSERT_EQ(r.status, 201u) << Describe(r);
  EXPECT_EQ(r.Json()["phone_numbers"][0]["number_e164"], "+442079460018");
}

TEST_F(ItemsApiTest, APrimaryPhoneMakesTheOthersNonPrimary) {
  ApiClient api = TenantApi();
  json body = ContactBody("P", "+15552220003");
  body["phone_numbers"][0]["is_primary"] = true;
  const json c = api.CreateContact(body);
  const HttpResponse r =
      api.Post(ContactPath(c["id"], "phone-numbers"),
               {{"number", "+15552220004"}, {"is_primary", true}});
  ASSERT_EQ(r.status, 201u) << Describe(r);
  EXPECT_EQ(r.Json()["phone_numbers"][0]["is_primary"], false);
  EXPECT_EQ(r.Json()["phone_numbers"][1]["is_primary"], true);
}

TEST_F(ItemsApiTest, UpdatePhoneChangesOnlyTheFieldsSent) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P", "+15552220005"));
  const json phone = c["phone_numbers"][0];
  const HttpResponse r = api.Put(PhonePath(c, phone["id"]), {{"type", "fax"}});
  ASSERT_EQ(r.status, 200u) << Describe(r);
  json expected = phone;
  expected["type"] = "fax";
  EXPECT_EQ(r.Json()["phone_numbers"][0], expected);

  const HttpResponse renumbered =
      api.Put(PhonePath(c, phone["id"]), {{"number", "+15552220006"}});
  ASSERT_EQ(renumbered.status, 200u) << Describe(renumbered);
  EXPECT_EQ(renumbered.Json()["phone_numbers"][0]["number_e164"],
            "+15552220006");
  EXPECT_EQ(renumbered.Json()["phone_numbers"][0]["type"], "fax");
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15552220006").status, 200u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15552220005").status, 404u);
}

TEST_F(ItemsApiTest, UpdateOrRemoveOfAnUnknownPhoneIs404) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P", "+15552220007"));
  const json other = RandomTenant();
  EXPECT_API_ERROR(api.Put(PhonePath(c, other), {{"type", "fax"}}), 404,
                   "PHONE_NOT_FOUND");
  EXPECT_API_ERROR(api.Delete(PhonePath(c, other)), 404, "PHONE_NOT_FOUND");
}

TEST_F(ItemsApiTest, RemovePhoneAnswers200AndTheNumberStopsMatching) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P", "+15552220008"));
  const HttpResponse r = api.Delete(PhonePath(c, c["phone_numbers"][0]["id"]));
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["phone_numbers"], json::array());
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15552220008").status, 404u);
}

TEST_F(ItemsApiTest, AddUpdateAndRemoveAnEmail) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("E"));
  const HttpResponse added =
      api.Post(ContactPath(c["id"], "emails"),
               {{"address", "Old@Example.com"}, {"type", "other"}});
  ASSERT_EQ(added.status, 201u) << Describe(added);
  const json email = added.Json()["emails"][0];
  EXPECT_EQ(email["address"], "old@example.com");
  EXPECT_EQ(email["type"], "other");
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=OLD@example.com").status, 200u);

  const HttpResponse updated =
      api.Put(EmailPath(c, email["id"]), {{"address", "new@example.com"}});
  ASSERT_EQ(updated.status, 200u) << Describe(updated);
  EXPECT_EQ(updated.Json()["emails"][0]["id"], email["id"]);
  EXPECT_EQ(updated.Json()["emails"][0]["type"], "other");
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=new@example.com").status, 200u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=old@example.com").status, 404u);

  const HttpResponse removed = api.Delete(EmailPath(c, email["id"]));
  ASSERT_EQ(removed.status, 200u) << Describe(removed);
  EXPECT_EQ(removed.Json()["emails"], json::array());
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=new@example.com").status, 404u);
}

TEST_F(ItemsApiTest, UpdateOrRemoveOfAnUnknownEmailIs404) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("E", "", "e@example.com"));
  const json other = RandomTenant();
  EXPECT_API_ERROR(api.Put(EmailPath(c, other), {{"type", "work"}}), 404,
                   "EMAIL_NOT_FOUND");
  EXPECT_API_ERROR(api.Delete(EmailPath(c, other)), 404, "EMAIL_NOT_FOUND");
}

TEST_F(ItemsApiTest, AddTagAnswers201AndAddingItAgainChangesNothing) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("T"));
  const HttpResponse r =
      api.Post(ContactPath(c["id"], "tags"), {{"tag", "vip"}});
  ASSERT_EQ(r.status, 201u) << Describe(r);
  EXPECT_EQ(r.Json()["tags"], json({"vip"}));
  const HttpResponse again =
      api.Post(ContactPath(c["id"], "tags"), {{"tag", "vip"}});
  ASSERT_EQ(again.status, 201u) << Describe(again);
  EXPECT_EQ(again.Json()["tags"], json({"vip"}));
}

TEST_F(ItemsApiTest, RemoveTagIsPercentDecodedAndAnUnknownTagIs404) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact({{"tags", {"key account", "vip"}}});
  const HttpResponse r = api.Delete(ContactPath(c["id"], "tags/key%20account"));
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["tags"], json({"vip"}));
  EXPECT_API_ERROR(api.Delete(ContactPath(c["id"], "tags/key%20account")), 404,
                   "TAG_NOT_FOUND");
}

TEST_F(ItemsApiTest, ATagBodyOtherThanOneTagIsInvalid) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("T"));
  const std::string path = ContactPath(c["id"], "tags");
  EXPECT_API_ERROR(api.Post(path, {{"tag", 5}}), 400, "INVALID_JSON_BODY");
  EXPECT_API_ERROR(api.Post(path, {{"tag", "a"}, {"x", 1}}), 400,
                   "INVALID_JSON_BODY");
  EXPECT_API_ERROR(api.Post(path, json::object()), 400, "INVALID_JSON_BODY");
  EXPECT_API_ERROR(api.Post(path, {{"tag", ""}}), 400, "INVALID_TAG");
  EXPECT_API_ERROR(api.Post(path, {{"tag", std::string(65, 't')}}), 400,
                   "INVALID_TAG");
}

TEST_F(ItemsApiTest, ItemsOfAnUnknownContactAre404) {
  ApiClient api = TenantApi();
  const json missing = {{"id", RandomTenant()}};
  const json item = RandomTenant();
  EXPECT_API_ERROR(api.Post(ContactPath(missing["id"], "phone-numbers"),
                            {{"number", "+15552220009"}}),
                   404, "CONTACT_NOT_FOUND");
  EXPECT_API_ERROR(
      api.Post(ContactPath(missing["id"], "emails"), {{"address", "a@b.com"}}),
      404, "CONTACT_NOT_FOUND");
  EXPECT_API_ERROR(
      api.Post(ContactPath(missing["id"], "tags"), {{"tag", "vip"}}), 404,
      "CONTACT_NOT_FOUND");
  EXPECT_API_ERROR(api.Delete(PhonePath(missing, item)), 404,
                   "CONTACT_NOT_FOUND");
  EXPECT_API_ERROR(api.Put(EmailPath(missing, item), {{"type", "work"}}), 404,
                   "CONTACT_NOT_FOUND");
  EXPECT_API_ERROR(api.Delete(ContactPath(missing["id"], "tags/vip")), 404,
                   "CONTACT_NOT_FOUND");
}

TEST_F(ItemsApiTest, AnItemIdThatIsNotAUuidIsInvalidId) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P", "+15552220010"));
  EXPECT_API_ERROR(api.Delete(ContactPath(c["id"], "phone-numbers/nope")), 400,
                   "INVALID_ID");
  EXPECT_API_ERROR(
      api.Put(ContactPath(c["id"], "emails/nope"), {{"type", "work"}}), 400,
      "INVALID_ID");
}

TEST_F(ItemsApiTest, AnItemBodyWithAnUnknownFieldIsInvalid) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("P"));
  EXPECT_API_ERROR(api.Post(ContactPath(c["id"], "phone-numbers"),
                            {{"number", "+15552220011"}, {"kind", "x"}}),
                   400, "INVALID_JSON_BODY");
  EXPECT_API_ERROR(api.Post(ContactPath(c["id"], "emails"),
                            {{"address", "a@b.com"}, {"type", "cell"}}),
                   400, "INVALID_ENUM");
}

TEST_F(ItemsApiTest, ConcurrentWritesToOneContactAreAllKept) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("Busy"));
  constexpr int kThreads = 4, kTagsEach = 10;
  std::vector<std::thread> writers;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      ApiClient writer(http_port(), api.tenant());
      for (int i = 0; i < kTagsEach; ++i) {
        const std::string tag =
            "t" + std::to_string(t) + "-" + std::to_string(i);
        if (writer.Post(ContactPath(c["id"], "tags"), {{"tag", tag}}).status !=
            201) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
  EXPECT_EQ(api.Get(ContactPath(c["id"])).Json()["tags"].size(),
            static_cast<size_t>(kThreads * kTagsEach));
}

TEST_F(ItemsApiTest, AnEncodedSlashInATagIsPartOfTheTag) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact({{"tags", {"a/b", "c"}}});
  const HttpResponse r = api.Delete(ContactPath(c["id"], "tags/a%2Fb"));
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["tags"], json({"c"}));
}

TEST_F(ItemsApiTest, MakingAPhoneOrEmailPrimaryUnsetsTheOthers) {
  ApiClient api = TenantApi();
  const json c =
      api.CreateContact({{"phone_numbers",
                          {{{"number", "+15552220012"}, {"is_primary", true}},
                           {{"number", "+15552220013"}}}},
                         {"emails",
                          {{{"address", "a@x.com"}, {"is_primary", true}},
                           {{"address", "b@x.com"}}}}});
  const HttpResponse phone = api.Put(PhonePath(c, c["phone_numbers"][1]["id"]),
                                     {{"is_primary", true}});
  ASSERT_EQ(phone.status, 200u) << Describe(phone);
  EXPECT_EQ(phone.Json()["phone_numbers"][0]["is_primary"], false);
  EXPECT_EQ(phone.Json()["phone_numbers"][1]["is_primary"], true);
  const HttpResponse email =
      api.Put(EmailPath(c, c["emails"][1]["id"]), {{"is_primary", true}});
  ASSERT_EQ(email.status, 200u) << Describe(email);
  EXPECT_EQ(email.Json()["emails"][0]["is_primary"], false);
  EXPECT_EQ(email.Json()["emails"][1]["is_primary"], true);
  EXPECT_API_ERROR(
      api.Put(EmailPath(c, c["emails"][1]["id"]), {{"address", "A@x.com"}}),
      400, "DUPLICATE_EMAIL");
}

}  // namespace
}  // namespace contactd::testing
