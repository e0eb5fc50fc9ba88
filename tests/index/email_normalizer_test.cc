#include "index/email_normalizer.h"

#include <string>
#include <string_view>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/errors.h"

namespace contactd::index {
namespace {

using ::testing::HasSubstr;

// The normalized address, or the reason name of the error ("INVALID_EMAIL").
std::string Normalize(std::string_view input) {
  const absl::StatusOr<NormalizedEmail> email = NormalizeEmail(input);
  if (!email.ok()) return std::string(ReasonName(ReasonOf(email.status())));
  return email->ToString();
}

std::string ErrorMessage(std::string_view input) {
  return std::string(NormalizeEmail(input).status().message());
}

// --- Accepted ---------------------------------------------------------------

TEST(EmailNormalizerTest, TrimsAndLowercases) {
  EXPECT_EQ(Normalize("  John@Example.COM "), "john@example.com");
}

TEST(EmailNormalizerTest, AlreadyNormalIsUnchanged) {
  EXPECT_EQ(Normalize("john@example.com"), "john@example.com");
}

TEST(EmailNormalizerTest, TrimsTabsAndNewlines) {
  EXPECT_EQ(Normalize("\t john@example.com\r\n"), "john@example.com");
}

TEST(EmailNormalizerTest, LowercasesLocalPart) {
  EXPECT_EQ(Normalize("John.Smith+Tag@example.com"),
            "john.smith+tag@example.com");
}

TEST(EmailNormalizerTest, SubdomainsAreAccepted) {
  EXPECT_EQ(Normalize("a@mail.eu.example.co.uk"), "a@mail.eu.example.co.uk");
}

TEST(EmailNormalizerTest, NonAsciiBytesAreKept) {
  EXPECT_EQ(Normalize("J\xC3\x9Crgen@B\xC3\xBC"
                      "cher.de"),
            "j\xC3\x9Crgen@b\xC3\xBC"
            "cher.de");
}

TEST(EmailNormalizerTest, MaxLengthIsAccepted) {
  const std::string input =
      std::string(kMaxEmailLength - 12, 'a') + "@example.com";
  ASSERT_EQ(input.size(), kMaxEmailLength);
  EXPECT_EQ(Normalize(input), input);
}

TEST(EmailNormalizerTest, MaxLengthAfterTrimmingIsAccepted) {
  const std::string address =
      std::string(kMaxEmailLength - 12, 'a') + "@example.com";
  EXPECT_EQ(Normalize("   " + address + "   "), address);
}

TEST(EmailNormalizerTest, ViewMatchesToString) {
  const absl::StatusOr<NormalizedEmail> email = NormalizeEmail("A@B.C");
  ASSERT_TRUE(email.ok()) << email.status();
  EXPECT_EQ(email->view(), "a@b.c");
  EXPECT_EQ(email->ToString(), "a@b.c");
}

// --- Rejected ---------------------------------------------------------------

TEST(EmailNormalizerTest, EmptyIsRejected) {
  EXPECT_EQ(Normalize(""), "INVALID_EMAIL");
  EXPECT_EQ(ErrorMessage(""), "email address is empty");
}

TEST(EmailNormalizerTest, WhiteSpaceOnlyIsRejected) {
  EXPECT_EQ(Normalize(" \t "), "INVALID_EMAIL");
}

TEST(EmailNormalizerTest, MissingAtIsRejected) {
  EXPECT_EQ(Normalize("john.example.com"), "INVALID_EMAIL");
  EXPECT_EQ(ErrorMessage("john.example.com"), "'john.example.com' has no '@'");
}

TEST(EmailNormalizerTest, TwoAtsAreRejected) {
  EXPECT_EQ(Normalize("john@doe@example.com"), "INVALID_EMAIL");
  EXPECT_THAT(ErrorMessage("john@doe@example.com"), HasSubstr("more than one"));
}

TEST(EmailNormalizerTest, EmptyLocalPartIsRejected) {
  EXPECT_EQ(Normalize("@example.com"), "INVALID_EMAIL");
  EXPECT_THAT(ErrorMessage("@example.com"), HasSubstr("empty local part"));
}

TEST(EmailNormalizerTest, EmptyDomainIsRejected) {
  EXPECT_EQ(Normalize("john@"), "INVALID_EMAIL");
  EXPECT_THAT(ErrorMessage("john@"), HasSubstr("empty domain"));
}

TEST(EmailNormalizerTest, DomainWithoutDotIsRejected) {
  EXPECT_EQ(Normalize("john@localhost"), "INVALID_EMAIL");
  EXPECT_THAT(ErrorMessage("john@localhost"), HasSubstr("without a dot"));
}

TEST(EmailNormalizerTest, DomainWithLeadingDotIsRejected) {
  EXPECT_EQ(Normalize("john@.example.com"), "INVALID_EMAIL");
}

TEST(EmailNormalizerTest, DomainWithTrailingDotIsRejected) {
  EXPECT_EQ(Normalize("john@example.com."), "INVALID_EMAIL");
}

TEST(EmailNormalizerTest, DomainWithEmptyLabelIsRejected) {
  EXPECT_EQ(Normalize("john@example..com"), "INVALID_EMAIL");
}

TEST(EmailNormalizerTest, InnerSpaceIsRejected) {
  EXPECT_EQ(Normalize("john doe@example.com"), "INVALID_EMAIL");
  EXPECT_THAT(ErrorMessage("john doe@example.com"),
              HasSubstr("space or control character"));
}

TEST(EmailNormalizerTest, InnerTabIsRejected) {
  EXPECT_EQ(Normalize("john\t@example.com"), "INVALID_EMAIL");
}

TEST(EmailNormalizerTest, NulByteIsRejected) {
  EXPECT_EQ(Normalize(std::string_view("john\0@example.com", 17)),
            "INVALID_EMAIL");
}

TEST(EmailNormalizerTest, DeleteCharacterIsRejected) {
  EXPECT_EQ(Normalize("john\x7f@example.com"), "INVALID_EMAIL");
}

TEST(EmailNormalizerTest, LongerThanMaxIsRejected) {
  const std::string input =
      std::string(kMaxEmailLength - 11, 'a') + "@example.com";
  ASSERT_EQ(input.size(), kMaxEmailLength + 1);
  EXPECT_EQ(Normalize(input), "INVALID_EMAIL");
  EXPECT_THAT(ErrorMessage(input), HasSubstr("longer than 254 bytes"));
}

TEST(EmailNormalizerTest, ErrorMessageQuotesBoundedPrefix) {
  const std::string input(10000, 'x');
  const std::string message = ErrorMessage(input);
  EXPECT_THAT(message, HasSubstr("...'"));
  EXPECT_LT(message.size(), 150u);
}

TEST(EmailNormalizerTest, ErrorMessageEscapesControlCharacters) {
  EXPECT_EQ(ErrorMessage("a\nb@example.com"),
            "'a\\nb@example.com' contains a space or control character");
}

TEST(EmailNormalizerTest, ErrorIsInvalidArgument) {
  EXPECT_EQ(NormalizeEmail("nope").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --- IsNormalizedEmail ------------------------------------------------------

TEST(EmailNormalizerTest, IsNormalizedAgreesWithNormalize) {
  for (std::string_view address :
       {"john@example.com", "John@example.com", "john@EXAMPLE.com",
        " john@example.com", "john@example.com\t", "j ohn@example.com", "",
        "john@localhost", "a@b..com", "a@@b.com", "@b.com",
        "j\xc3\xa9@example.com"}) {
    const absl::StatusOr<NormalizedEmail> normalized = NormalizeEmail(address);
    const bool unchanged = normalized.ok() && normalized->view() == address;
    EXPECT_EQ(IsNormalizedEmail(address), unchanged) << "'" << address << "'";
  }
  EXPECT_TRUE(IsNormalizedEmail("john@example.com"));
  EXPECT_FALSE(IsNormalizedEmail("John@example.com"));
}

}  // namespace
}  // namespace contactd::index
