// ContactToJson / ContactFromJson: the JSON shape of a contact.

#include "protocol/contact_json.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/errors.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using ::testing::HasSubstr;

absl::Status ParseError(std::string_view text) {
  return ContactFromJsonText(text).status();
}

TEST(ContactJsonTest, RoundTripsATypicalContact) {
  const index::Contact contact = testing::TypicalContact();
  const Json json = ContactToJson(contact);
  absl::StatusOr<index::Contact> back = ContactFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, contact);
}

TEST(ContactJsonTest, RoundTripsThroughText) {
  const index::Contact contact = testing::ExampleContact();
  absl::StatusOr<index::Contact> back =
      ContactFromJsonText(DumpJson(ContactToJson(contact), 2));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, contact);
}

TEST(ContactJsonTest, OutputHasTheReferenceShapeInOrder) {
  const Json json = ContactToJson(testing::ExampleContact());
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "id", "customer_id", "first_name", "last_name",
                      "display_name", "company", "job_title", "phone_numbers",
                      "emails", "tags", "source", "external_id", "notes",
                      "tm_create", "tm_update", "tm_delete"}));
  const Json& phone = json["phone_numbers"][0];
  EXPECT_EQ(phone["number_e164"], "+15551234567");
  EXPECT_TRUE(phone["is_primary"].is_boolean());
  EXPECT_TRUE(json["tm_create"].is_string());
  EXPECT_EQ(json["customer_id"], testing::TestTenant().ToString());
}

TEST(ContactJsonTest, UnsetTimesAndNilIdsAreNull) {
  index::Contact contact;
  const Json json = ContactToJson(contact);
  EXPECT_TRUE(json["id"].is_null());
  EXPECT_TRUE(json["tm_update"].is_null());
  EXPECT_EQ(json["source"], "manual");
}

TEST(ContactJsonTest, TimesAreRfc3339Utc) {
  EXPECT_EQ(FormatJsonTime(absl::FromUnixSeconds(1714564800)),
            "2024-05-01T12:00:00.000000Z");
  EXPECT_EQ(FormatJsonTime(absl::FromUnixMicros(1714564800250000)),
            "2024-05-01T12:00:00.250000Z");
  EXPECT_EQ(FormatJsonTime(absl::FromUnixMicros(1770475559038962)),
            "2026-02-07T14:45:59.038962Z");
  absl::StatusOr<absl::Time> t = ParseJsonTime("2024-05-01T14:00:00+02:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, absl::FromUnixSeconds(1714564800));
}

TEST(ContactJsonTest, MinimalInputGetsDefaults) {
  absl::StatusOr<index::Contact> c = ContactFromJsonText(
      R"({"first_name": "Ada", "phone_numbers": [{"number": "+15551234567"}]})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->first_name, "Ada");
  EXPECT_TRUE(c->id.is_nil());
  ASSERT_EQ(c->phone_numbers.size(), 1u);
  EXPECT_EQ(c->phone_numbers[0].type, index::PhoneType::kMobile);
  EXPECT_EQ(c->source, index::Source::kManual);
}

TEST(ContactJsonTest, NullIsTheSameAsAbsent) {
  absl::StatusOr<index::Contact> c = ContactFromJsonText(
      R"({"id": null, "notes": null, "tags": null, "tm_create": null})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c, index::Contact());
}

TEST(ContactJsonTest, UnknownFieldIsRejectedByName) {
  const absl::Status s = ParseError(R"({"fist_name": "Ada"})");
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("fist_name: unknown field"));
}

TEST(ContactJsonTest, UnknownNestedFieldNamesItsPath) {
  const absl::Status s =
      ParseError(R"({"emails": [{"address": "a@b.c"}, {"adress": "x"}]})");
  EXPECT_THAT(s.message(), HasSubstr("emails[1].adress: unknown field"));
}

TEST(ContactJsonTest, WrongTypeNamesFieldAndTypes) {
  const absl::Status s = ParseError(R"({"first_name": 42})");
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_THAT(s.message(),
              HasSubstr("first_name: expected a string, got number"));
}

TEST(ContactJsonTest, IsPrimaryMustBeBoolean) {
  const absl::Status s =
      ParseError(R"({"phone_numbers": [{"number": "1", "is_primary": 1}]})");
  EXPECT_THAT(s.message(), HasSubstr("phone_numbers[0].is_primary: expected "
                                     "true or false, got number"));
}

TEST(ContactJsonTest, TagMustBeAString) {
  const absl::Status s = ParseError(R"({"tags": ["vip", 3]})");
  EXPECT_THAT(s.message(), HasSubstr("tags[1]: expected a string"));
}

TEST(ContactJsonTest, PhoneNumbersMustBeAnArray) {
  const absl::Status s = ParseError(R"({"phone_numbers": {"number": "1"}})");
  EXPECT_THAT(s.message(), HasSubstr("phone_numbers: expected an array"));
}

TEST(ContactJsonTest, UnknownEnumNameHasReasonInvalidEnum) {
  const absl::Status s =
      ParseError(R"({"phone_numbers": [{"number": "1", "type": "cell"}]})");
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_EQ(index::ReasonOf(s), index::Reason::kInvalidEnum);
  EXPECT_THAT(s.message(), HasSubstr("phone_numbers[0].type"));
  EXPECT_THAT(s.message(), HasSubstr("cell"));
}

TEST(ContactJsonTest, UnknownSourceIsRejected) {
  const absl::Status s = ParseError(R"({"source": "crm"})");
  EXPECT_EQ(index::ReasonOf(s), index::Reason::kInvalidEnum);
  EXPECT_THAT(s.message(), HasSubstr("source"));
}

TEST(ContactJsonTest, BadUuidHasReasonInvalidId) {
  const absl::Status s = ParseError(R"({"customer_id": "not-a-uuid"})");
  EXPECT_EQ(index::ReasonOf(s), index::Reason::kInvalidId);
  EXPECT_THAT(s.message(),
              HasSubstr("customer_id: 'not-a-uuid' is not a UUID"));
}

TEST(ContactJsonTest, BadTimeIsRejected) {
  const absl::Status s = ParseError(R"({"tm_create": "yesterday"})");
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_THAT(s.message(),
              HasSubstr("tm_create: 'yesterday' is not an RFC 3339"));
}

TEST(ContactJsonTest, DocumentMustBeAnObject) {
  EXPECT_THAT(ParseError("[1, 2]").message(), HasSubstr("expected an object"));
}

TEST(ContactJsonTest, SyntaxErrorIsInvalidArgument) {
  const absl::Status s = ParseError(R"({"first_name": )");
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
}

TEST(ContactJsonTest, TrailingGarbageIsRejected) {
  EXPECT_TRUE(absl::IsInvalidArgument(ParseError(R"({} {})")));
}

TEST(ContactJsonTest, InvalidUtf8IsReplacedNotThrown) {
  index::Contact contact;
  contact.notes = "bad \xff byte";
  const std::string text = DumpJson(ContactToJson(contact));
  EXPECT_THAT(text, HasSubstr("bad \xEF\xBF\xBD byte"));
}

TEST(ContactJsonTest, SummaryNamesTheMatchedType) {
  ContactSummary summary;
  summary.matched_type = static_cast<uint8_t>(index::PhoneType::kWork);
  summary.first_name = "Ada";
  Json j = ContactSummaryToJson(summary, LookupKind::kPhone);
  EXPECT_EQ(j["matched_type"], "work");
  summary.matched_type = static_cast<uint8_t>(index::EmailType::kPersonal);
  j = ContactSummaryToJson(summary, LookupKind::kEmail);
  EXPECT_EQ(j["matched_type"], "personal");
  EXPECT_EQ(j["first_name"], "Ada");
}

TEST(ContactJsonTest, TmDeleteIsNullUnlessGiven) {
  index::Contact contact;
  EXPECT_TRUE(ContactToJson(contact)["tm_delete"].is_null());
  EXPECT_EQ(ContactToJson(contact,
                          absl::FromUnixMicros(1770475559038962))["tm_delete"],
            "2026-02-07T14:45:59.038962Z");
  // Output can be fed back: tm_delete is accepted (and ignored) on input.
  EXPECT_TRUE(ContactFromJson(ContactToJson(contact)).ok());
}

TEST(ContactJsonTest, ReadsOnePhoneOrEmail) {
  absl::StatusOr<index::PhoneNumber> phone =
      PhoneFromJson(Json::parse(R"({"number": "+1 555 123 4567", "type": "work",
                      "is_primary": true})"));
  ASSERT_TRUE(phone.ok()) << phone.status();
  EXPECT_EQ(phone->number, "+1 555 123 4567");
  EXPECT_EQ(phone->type, index::PhoneType::kWork);
  EXPECT_TRUE(phone->is_primary);
  absl::StatusOr<index::Email> email =
      EmailFromJson(Json::parse(R"({"address": "a@b.example", "typ": 1})"));
  ASSERT_FALSE(email.ok());
  EXPECT_THAT(email.status().message(), HasSubstr("email.typ: unknown field"));
  EXPECT_FALSE(PhoneFromJson(Json::parse("[1]")).ok());
}

TEST(ContactJsonTest, ParseJsonReportsThePosition) {
  absl::StatusOr<Json> json = ParseJson(R"({"a": })");
  ASSERT_FALSE(json.ok());
  EXPECT_THAT(json.status().message(), HasSubstr("column 7"));
  EXPECT_TRUE(ParseJson(R"({"a": 1})").ok());
}

}  // namespace
}  // namespace contactd::protocol
