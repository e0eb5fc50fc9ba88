// Tests for the field rules of validation.h, the enum name parsers of
// contact.h and Uuid parsing (uuid.h). One rule (one edge of it) per test.

#include "index/validation.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/contact.h"
#include "index/errors.h"
#include "index/uuid.h"

namespace contactd::index {

// Lets gtest print a Reason by name.
void PrintTo(Reason reason, std::ostream* os) { *os << ReasonName(reason); }

namespace {

using ::testing::HasSubstr;

constexpr char kTenant[] = "0b7e3f4c-9a2d-4c1e-8f00-1234567890ab";

// A contact that passes every rule; each test breaks exactly one.
Contact ValidContact() {
  Contact c;
  c.customer_id = *Uuid::Parse(kTenant);
  c.first_name = "Ada";
  c.last_name = "Lovelace";
  c.phone_numbers.push_back(
      {Uuid(), "(555) 123-4567", "+15551234567", PhoneType::kMobile, true, {}});
  c.emails.push_back({Uuid(), "ada@example.com", EmailType::kWork, true, {}});
  c.tags = {"vip"};
  return c;
}

// The i-th distinct normalized phone, "+1555000iiii".
PhoneNumber Phone(int i) {
  const std::string digits = std::to_string(10000 + i).substr(1);  // 4 digits
  const std::string e164 = "+1555000" + digits;
  return {Uuid(), e164, e164, PhoneType::kMobile, false, {}};
}

Email MakeEmail(int i) {
  return {Uuid(),
          "user" + std::to_string(i) + "@example.com",
          EmailType::kWork,
          false,
          {}};
}

void ExpectInvalid(const absl::Status& status, Reason reason) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(ReasonOf(status), reason) << status;
}

TEST(ValidationTest, ValidContactPasses) {
  EXPECT_TRUE(ValidateContact(ValidContact()).ok());
}

TEST(ValidationTest, EmptyContactWithOnlyCustomerIdPasses) {
  Contact c;
  c.customer_id = *Uuid::Parse(kTenant);
  EXPECT_TRUE(ValidateContact(c).ok());
}

// ---- customer_id ------------------------------------------------------------

TEST(ValidationTest, NilCustomerIdIsInvalidId) {
  Contact c = ValidContact();
  c.customer_id = Uuid();
  const absl::Status st = ValidateContact(c);
  ExpectInvalid(st, Reason::kInvalidId);
  EXPECT_THAT(st.message(), HasSubstr("customer_id"));
}

// ---- Length limits: at the limit passes, one byte over fails naming the
// field.

struct LengthCase {
  const char* field;
  size_t limit;
  std::string Contact::*member;
};

class FieldLengthTest : public ::testing::TestWithParam<LengthCase> {};

TEST_P(FieldLengthTest, AtLimitPasses) {
  Contact c = ValidContact();
  c.*GetParam().member = std::string(GetParam().limit, 'x');
  EXPECT_TRUE(ValidateContact(c).ok()) << GetParam().field;
}

TEST_P(FieldLengthTest, OneOverLimitIsFieldTooLongNamingTheField) {
  Contact c = ValidContact();
  c.*GetParam().member = std::string(GetParam().limit + 1, 'x');
  const absl::Status st = ValidateContact(c);
  ExpectInvalid(st, Reason::kFieldTooLong);
  EXPECT_THAT(st.message(), HasSubstr(GetParam().field));
}

INSTANTIATE_TEST_SUITE_P(
    ValidationTest, FieldLengthTest,
    ::testing::Values(LengthCase{"first_name", 100, &Contact::first_name},
                      LengthCase{"last_name", 100, &Contact::last_name},
                      LengthCase{"job_title", 100, &Contact::job_title},
                      LengthCase{"display_name", 200, &Contact::display_name},
                      LengthCase{"company", 200, &Contact::company},
                      LengthCase{"external_id", 255, &Contact::external_id},
                      LengthCase{"notes", 4096, &Contact::notes}),
    [](const ::testing::TestParamInfo<LengthCase>& param_info) {
      return std::string(param_info.param.field);
    });

TEST(ValidationTest, LimitsMatchTheDocumentedTable) {
  EXPECT_EQ(FieldLimits::kName, 100u);
  EXPECT_EQ(FieldLimits::kDisplayName, 200u);
  EXPECT_EQ(FieldLimits::kCompany, 200u);
  EXPECT_EQ(FieldLimits::kExternalId, 255u);
  EXPECT_EQ(FieldLimits::kNotes, 4096u);
  EXPECT_EQ(FieldLimits::kPhoneInput, 64u);
  EXPECT_EQ(FieldLimits::kEmail, 254u);
  EXPECT_EQ(FieldLimits::kTag, 64u);
  EXPECT_EQ(FieldLimits::kPhones, 32u);
  EXPECT_EQ(FieldLimits::kEmails, 32u);
  EXPECT_EQ(FieldLimits::kTags, 64u);
}

TEST(ValidationTest, PhoneAsEnteredOf64BytesPasses) {
  Contact c = ValidContact();
  c.phone_numbers[0].number = std::string(64, '5');
  EXPECT_TRUE(ValidateContact(c).ok());
}

TEST(ValidationTest, PhoneAsEnteredOf65BytesIsFieldTooLong) {
  Contact c = ValidContact();
  c.phone_numbers[0].number = std::string(65, '5');
  const absl::Status st = ValidateContact(c);
  ExpectInvalid(st, Reason::kFieldTooLong);
  EXPECT_THAT(st.message(), HasSubstr("phone_numbers.number"));
}

TEST(ValidationTest, PhoneWithoutE164FormIsInvalidPhone) {
  Contact c = ValidContact();
  c.phone_numbers[0].number_e164.clear();
  ExpectInvalid(ValidateContact(c), Reason::kInvalidPhone);
}

TEST(ValidationTest, EmailOf254BytesPasses) {
  Contact c = ValidContact();
  c.emails[0].address = std::string(254 - 12, 'a') + "@example.com";
  ASSERT_EQ(c.emails[0].address.size(), 254u);
  EXPECT_TRUE(ValidateContact(c).ok());
}

TEST(ValidationTest, EmailOf255BytesIsInvalidEmail) {
  Contact c = ValidContact();
  c.emails[0].address = std::string(255 - 12, 'a') + "@example.com";
  ASSERT_EQ(c.emails[0].address.size(), 255u);
  ExpectInvalid(ValidateContact(c), Reason::kInvalidEmail);
}

TEST(ValidationTest, EmptyEmailIsInvalidEmail) {
  Contact c = ValidContact();
  c.emails[0].address.clear();
  ExpectInvalid(ValidateContact(c), Reason::kInvalidEmail);
}

// ---- ValidateLength on its own ---------------------------------------------

TEST(ValidationTest, ValidateLengthAtLimitIsOk) {
  EXPECT_TRUE(ValidateLength("field", "abc", 3).ok());
}

TEST(ValidationTest, ValidateLengthOverLimitNamesFieldSizeAndLimit) {
  const absl::Status st = ValidateLength("company", "abcd", 3);
  ExpectInvalid(st, Reason::kFieldTooLong);
  EXPECT_THAT(st.message(), HasSubstr("company"));
  EXPECT_THAT(st.message(), HasSubstr("4"));
  EXPECT_THAT(st.message(), HasSubstr("3"));
}

// ---- Counts
// -------------------------------------------------------------------

TEST(ValidationTest, ThirtyTwoPhonesPass) {
  Contact c = ValidContact();
  c.phone_numbers.clear();
  for (int i = 0; i < 32; ++i) c.phone_numbers.push_back(Phone(i));
  EXPECT_TRUE(ValidateContact(c).ok());
}

TEST(ValidationTest, ThirtyThreePhonesAreTooManyPhones) {
  Contact c = ValidContact();
  c.phone_numbers.clear();
  for (int i = 0; i < 33; ++i) c.phone_numbers.push_back(Phone(i));
  ExpectInvalid(ValidateContact(c), Reason::kTooManyPhones);
}

TEST(ValidationTest, ThirtyTwoEmailsPass) {
  Contact c = ValidContact();
  c.emails.clear();
  for (int i = 0; i < 32; ++i) c.emails.push_back(MakeEmail(i));
  EXPECT_TRUE(ValidateContact(c).ok());
}

TEST(ValidationTest, ThirtyThreeEmailsAreTooManyEmails) {
  Contact c = ValidContact();
  c.emails.clear();
  for (int i = 0; i < 33; ++i) c.emails.push_back(MakeEmail(i));
  ExpectInvalid(ValidateContact(c), Reason::kTooManyEmails);
}

TEST(ValidationTest, SixtyFourTagsPass) {
  Contact c = ValidContact();
  c.tags.clear();
  for (int i = 0; i < 64; ++i) c.tags.push_back("tag" + std::to_string(i));
  EXPECT_TRUE(ValidateContact(c).ok());
}

TEST(ValidationTest, SixtyFiveTagsAreTooManyTags) {
  Contact c = ValidContact();
  c.tags.clear();
  for (int i = 0; i < 65; ++i) c.tags.push_back("tag" + std::to_string(i));
  ExpectInvalid(ValidateContact(c), Reason::kTooManyTags);
}

// ---- Primaries and duplicates
// ------------------------------------------------

TEST(ValidationTest, TwoPrimaryPhonesAreMultiplePrimaryPhones) {
  Contact c = ValidContact();
  PhoneNumber second = Phone(1);
  second.is_primary = true;
  c.phone_numbers.push_back(second);
  ExpectInvalid(ValidateContact(c), Reason::kMultiplePrimaryPhones);
}

TEST(ValidationTest, NoPrimaryPhoneIsAllowed) {
  Contact c = ValidContact();
  c.phone_numbers[0].is_primary = false;
  c.phone_numbers.push_back(Phone(1));
  EXPECT_TRUE(ValidateContact(c).ok());
}

TEST(ValidationTest, TwoPrimaryEmailsAreMultiplePrimaryEmails) {
  Contact c = ValidContact();
  Email second = MakeEmail(1);
  second.is_primary = true;
  c.emails.push_back(second);
  ExpectInvalid(ValidateContact(c), Reason::kMultiplePrimaryEmails);
}

TEST(ValidationTest, SameNumberInTwoFormatsIsDuplicatePhone) {
  Contact c = ValidContact();
  // Entered differently, normalized to the same E.164 number.
  c.phone_numbers.push_back(
      {Uuid(), "+1 555 123 4567", "+15551234567", PhoneType::kWork, false, {}});
  ExpectInvalid(ValidateContact(c), Reason::kDuplicatePhone);
}

TEST(ValidationTest, SameAddressTwiceIsDuplicateEmail) {
  Contact c = ValidContact();
  c.emails.push_back(
      {Uuid(), "ada@example.com", EmailType::kPersonal, false, {}});
  ExpectInvalid(ValidateContact(c), Reason::kDuplicateEmail);
}

// ---- Tags -------------------------------------------------------------------

TEST(ValidationTest, EmptyTagIsInvalidTag) {
  Contact c = ValidContact();
  c.tags.push_back("");
  ExpectInvalid(ValidateContact(c), Reason::kInvalidTag);
}

TEST(ValidationTest, TagOf64BytesPasses) {
  Contact c = ValidContact();
  c.tags.push_back(std::string(64, 't'));
  EXPECT_TRUE(ValidateContact(c).ok());
}

TEST(ValidationTest, TagOf65BytesIsInvalidTag) {
  Contact c = ValidContact();
  c.tags.push_back(std::string(65, 't'));
  ExpectInvalid(ValidateContact(c), Reason::kInvalidTag);
}

TEST(ValidationTest, TagWithNewlineIsInvalidTag) {
  Contact c = ValidContact();
  c.tags.push_back("vip\nlist");
  ExpectInvalid(ValidateContact(c), Reason::kInvalidTag);
}

TEST(ValidationTest, TagWithDeleteCharacterIsInvalidTag) {
  Contact c = ValidContact();
  c.tags.push_back("vip\x7f");
  ExpectInvalid(ValidateContact(c), Reason::kInvalidTag);
}

TEST(ValidationTest, TagWithNulByteIsInvalidTag) {
  ExpectInvalid(ValidateTag(std::string_view("a\0b", 3)), Reason::kInvalidTag);
}

TEST(ValidationTest, TagWithSpaceAndUtf8Passes) {
  EXPECT_TRUE(ValidateTag("key account \xc3\xa9t\xc3\xa9").ok());
}

// ---- Enums in range
// -----------------------------------------------------------

TEST(ValidationTest, SourceOutOfRangeIsInvalidEnum) {
  Contact c = ValidContact();
  c.source = static_cast<Source>(4);
  ExpectInvalid(ValidateContact(c), Reason::kInvalidEnum);
}

TEST(ValidationTest, PhoneTypeOutOfRangeIsInvalidEnum) {
  Contact c = ValidContact();
  c.phone_numbers[0].type = static_cast<PhoneType>(5);
  ExpectInvalid(ValidateContact(c), Reason::kInvalidEnum);
}

TEST(ValidationTest, EmailTypeOutOfRangeIsInvalidEnum) {
  Contact c = ValidContact();
  c.emails[0].type = static_cast<EmailType>(3);
  ExpectInvalid(ValidateContact(c), Reason::kInvalidEnum);
}

TEST(ValidationTest, LastValueOfEachEnumPasses) {
  Contact c = ValidContact();
  c.source = Source::kSync;
  c.phone_numbers[0].type = PhoneType::kOther;
  c.emails[0].type = EmailType::kOther;
  EXPECT_TRUE(ValidateContact(c).ok());
}

// ---- Enum names (contact.h)
// ---------------------------------------------------

TEST(EnumNameTest, EveryPhoneTypeNameParsesBack) {
  for (int i = 0; i <= static_cast<int>(PhoneType::kOther); ++i) {
    const auto type = static_cast<PhoneType>(i);
    const absl::StatusOr<PhoneType> parsed =
        ParsePhoneType(PhoneTypeName(type));
    ASSERT_TRUE(parsed.ok()) << PhoneTypeName(type);
    EXPECT_EQ(*parsed, type);
  }
}

TEST(EnumNameTest, EveryEmailTypeNameParsesBack) {
  for (int i = 0; i <= static_cast<int>(EmailType::kOther); ++i) {
    const auto type = static_cast<EmailType>(i);
    const absl::StatusOr<EmailType> parsed =
        ParseEmailType(EmailTypeName(type));
    ASSERT_TRUE(parsed.ok()) << EmailTypeName(type);
    EXPECT_EQ(*parsed, type);
  }
}

TEST(EnumNameTest, EverySourceNameParsesBack) {
  for (int i = 0; i <= static_cast<int>(Source::kSync); ++i) {
    const auto source = static_cast<Source>(i);
    const absl::StatusOr<Source> parsed = ParseSource(SourceName(source));
    ASSERT_TRUE(parsed.ok()) << SourceName(source);
    EXPECT_EQ(*parsed, source);
  }
}

TEST(EnumNameTest, DocumentedNames) {
  EXPECT_EQ(PhoneTypeName(PhoneType::kMobile), "mobile");
  EXPECT_EQ(PhoneTypeName(PhoneType::kFax), "fax");
  EXPECT_EQ(EmailTypeName(EmailType::kPersonal), "personal");
  EXPECT_EQ(SourceName(Source::kImport), "import");
}

TEST(EnumNameTest, OutOfRangeValueNameIsUnknown) {
  EXPECT_EQ(PhoneTypeName(static_cast<PhoneType>(200)), "unknown");
  EXPECT_EQ(EmailTypeName(static_cast<EmailType>(3)), "unknown");
  EXPECT_EQ(SourceName(static_cast<Source>(4)), "unknown");
}

TEST(EnumNameTest, UnknownPhoneTypeIsInvalidEnum) {
  const absl::Status st = ParsePhoneType("pager").status();
  ExpectInvalid(st, Reason::kInvalidEnum);
  EXPECT_THAT(st.message(), HasSubstr("pager"));
  EXPECT_THAT(st.message(), HasSubstr("mobile"));  // lists the valid names
}

TEST(EnumNameTest, UnknownEmailTypeIsInvalidEnum) {
  ExpectInvalid(ParseEmailType("business").status(), Reason::kInvalidEnum);
}

TEST(EnumNameTest, UnknownSourceIsInvalidEnum) {
  ExpectInvalid(ParseSource("crm").status(), Reason::kInvalidEnum);
}

TEST(EnumNameTest, EmptyNameIsInvalidEnum) {
  ExpectInvalid(ParsePhoneType("").status(), Reason::kInvalidEnum);
  ExpectInvalid(ParseEmailType("").status(), Reason::kInvalidEnum);
  ExpectInvalid(ParseSource("").status(), Reason::kInvalidEnum);
}

TEST(EnumNameTest, VeryLongUnknownNameIsQuotedShortened) {
  const std::string name(10000, 'z');
  const absl::Status st = ParseSource(name).status();
  ExpectInvalid(st, Reason::kInvalidEnum);
  EXPECT_LT(st.message().size(), 200u);
}

// ---- Uuid
// ---------------------------------------------------------------------

TEST(UuidTest, ParsesLowercaseCanonicalForm) {
  const absl::StatusOr<Uuid> id = Uuid::Parse(kTenant);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->bytes()[0], 0x0b);
  EXPECT_EQ(id->bytes()[15], 0xab);
  EXPECT_FALSE(id->is_nil());
}

TEST(UuidTest, ParsesUppercaseAndPrintsLowercase) {
  const absl::StatusOr<Uuid> id =
      Uuid::Parse("0B7E3F4C-9A2D-4C1E-8F00-1234567890AB");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->ToString(), kTenant);
}

TEST(UuidTest, ToStringParsesBackToTheSameId) {
  for (int i = 0; i < 100; ++i) {
    const Uuid id = Uuid::Random();
    const absl::StatusOr<Uuid> parsed = Uuid::Parse(id.ToString());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, id);
  }
}

TEST(UuidTest, NilIsAllZeros) {
  EXPECT_TRUE(Uuid().is_nil());
  EXPECT_EQ(Uuid().ToString(), "00000000-0000-0000-0000-000000000000");
  const absl::StatusOr<Uuid> parsed =
      Uuid::Parse("00000000-0000-0000-0000-000000000000");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->is_nil());
}

TEST(UuidTest, RandomIsVersion4Rfc4122Variant) {
  const Uuid id = Uuid::Random();
  EXPECT_EQ(id.bytes()[6] >> 4, 4);
  EXPECT_EQ(id.bytes()[8] & 0xc0, 0x80);
  EXPECT_EQ(id.ToString().size(), Uuid::kTextSize);
  EXPECT_NE(Uuid::Random(), id);
}

TEST(UuidTest, TooShortIsInvalidId) {
  ExpectInvalid(Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890a").status(),
                Reason::kInvalidId);
}

TEST(UuidTest, TooLongIsInvalidId) {
  ExpectInvalid(Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890abc").status(),
                Reason::kInvalidId);
}

TEST(UuidTest, EmptyIsInvalidId) {
  ExpectInvalid(Uuid::Parse("").status(), Reason::kInvalidId);
}

TEST(UuidTest, NonHexDigitIsInvalidId) {
  ExpectInvalid(Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890ag").status(),
                Reason::kInvalidId);
}

TEST(UuidTest, MisplacedDashIsInvalidId) {
  ExpectInvalid(Uuid::Parse("0b7e3f4c9-a2d-4c1e-8f00-1234567890ab").status(),
                Reason::kInvalidId);
}

TEST(UuidTest, HexWithoutDashesIsInvalidId) {
  // 32 hex digits plus 4 extra ones: right length, no dashes.
  ExpectInvalid(Uuid::Parse("0b7e3f4c09a2d04c1e08f0001234567890ab").status(),
                Reason::kInvalidId);
}

TEST(UuidTest, BracedFormIsInvalidId) {
  ExpectInvalid(Uuid::Parse("{0b7e3f4c-9a2d-4c1e-8f00-1234567890a}").status(),
                Reason::kInvalidId);
}

TEST(UuidTest, OrderIsByteLexicographic) {
  const Uuid a = *Uuid::Parse("00000000-0000-0000-0000-0000000000ff");
  const Uuid b = *Uuid::Parse("00000000-0000-0000-0000-000000000100");
  const Uuid c = *Uuid::Parse("01000000-0000-0000-0000-000000000000");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

}  // namespace
}  // namespace contactd::index
