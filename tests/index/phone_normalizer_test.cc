#include "index/phone_normalizer.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/errors.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace contactd::index {
namespace {

using ::i18n::phonenumbers::PhoneNumber;
using ::i18n::phonenumbers::PhoneNumberUtil;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const PhoneNormalizer& Normalizer(std::string_view region = "US") {
  static const auto* const us = new PhoneNormalizer(*PhoneNormalizer::Create());
  if (region == "US") return *us;
  static const auto* const gb =
      new PhoneNormalizer(*PhoneNormalizer::Create("GB"));
  static const auto* const br =
      new PhoneNormalizer(*PhoneNormalizer::Create("BR"));
  return region == "GB" ? *gb : *br;
}

// "+15551234567", or the reason name of the error ("INVALID_PHONE").
std::string Normalize(std::string_view input, std::string_view region = {}) {
  const absl::StatusOr<E164Number> number =
      Normalizer().Normalize(input, region);
  if (!number.ok()) return std::string(ReasonName(ReasonOf(number.status())));
  return number->ToString();
}

std::string ErrorMessage(std::string_view input, std::string_view region = {}) {
  return std::string(Normalizer().Normalize(input, region).status().message());
}

// --- Accepted formats -------------------------------------------------------

TEST(PhoneNormalizerTest, NationalFormatInUs) {
  EXPECT_EQ(Normalize("(555) 123-4567"), "+15551234567");
}

TEST(PhoneNormalizerTest, NationalFormatWithRegionOverride) {
  EXPECT_EQ(Normalize("020 7946 0018", "GB"), "+442079460018");
}

TEST(PhoneNormalizerTest, InternationalWithParentheses) {
  EXPECT_EQ(Normalize("+1 (555) 123-4567"), "+15551234567");
}

TEST(PhoneNormalizerTest, InternationalWithDashesAndSurroundingSpaces) {
  EXPECT_EQ(Normalize("  +1-555-123-4567  "), "+15551234567");
}

TEST(PhoneNormalizerTest, InternationalWithDots) {
  EXPECT_EQ(Normalize("+1 (555) 123.4567"), "+15551234567");
}

TEST(PhoneNormalizerTest, StrictE164IsUnchanged) {
  EXPECT_EQ(Normalize("+15551234567"), "+15551234567");
}

TEST(PhoneNormalizerTest, UsNumberWithTrunkPrefix) {
  EXPECT_EQ(Normalize("1 555 123 4567"), "+15551234567");
}

TEST(PhoneNormalizerTest, InternationalDialPrefixFromUs) {
  EXPECT_EQ(Normalize("011 44 20 7946 0018"), "+442079460018");
}

TEST(PhoneNormalizerTest, GbInternationalFormat) {
  EXPECT_EQ(Normalize("+44 20 7946 0018"), "+442079460018");
}

TEST(PhoneNormalizerTest, GbMobile) {
  EXPECT_EQ(Normalize("07700 900123", "GB"), "+447700900123");
}

TEST(PhoneNormalizerTest, GermanyLandline) {
  EXPECT_EQ(Normalize("030 12345678", "DE"), "+493012345678");
}

TEST(PhoneNormalizerTest, GermanyMobile) {
  EXPECT_EQ(Normalize("0151 23456789", "DE"), "+4915123456789");
}

TEST(PhoneNormalizerTest, FranceLandline) {
  EXPECT_EQ(Normalize("01 23 45 67 89", "FR"), "+33123456789");
}

TEST(PhoneNormalizerTest, IndiaMobileWithTrunkPrefix) {
  EXPECT_EQ(Normalize("098765 43210", "IN"), "+919876543210");
}

TEST(PhoneNormalizerTest, JapanLandline) {
  EXPECT_EQ(Normalize("03-1234-5678", "JP"), "+81312345678");
}

TEST(PhoneNormalizerTest, BrazilMobile) {
  EXPECT_EQ(Normalize("(11) 91234-5678", "BR"), "+5511912345678");
}

TEST(PhoneNormalizerTest, BrazilCarrierCodeIsStripped) {
  EXPECT_EQ(Normalize("0 15 11 91234-5678", "BR"), "+5511912345678");
}

TEST(PhoneNormalizerTest, AustraliaLandline) {
  EXPECT_EQ(Normalize("(02) 9876 5432", "AU"), "+61298765432");
}

TEST(PhoneNormalizerTest, AustraliaMobile) {
  EXPECT_EQ(Normalize("0412 345 678", "AU"), "+61412345678");
}

TEST(PhoneNormalizerTest, RussiaTrunkPrefixEight) {
  EXPECT_EQ(Normalize("8 (495) 123-45-67", "RU"), "+74951234567");
}

TEST(PhoneNormalizerTest, ItalianLeadingZeroIsKept) {
  EXPECT_EQ(Normalize("+39 06 1234 5678"), "+390612345678");
}

TEST(PhoneNormalizerTest, NonGeographicalCode) {
  EXPECT_EQ(Normalize("+800 1234 5678"), "+80012345678");
}

TEST(PhoneNormalizerTest, ExtensionIsDropped) {
  EXPECT_EQ(Normalize("+1 555 123 4567 ext. 89"), "+15551234567");
}

TEST(PhoneNormalizerTest, ExtensionWithXIsDropped) {
  EXPECT_EQ(Normalize("(555) 123-4567 x12"), "+15551234567");
}

TEST(PhoneNormalizerTest, RegionOverrideIsCaseInsensitive) {
  EXPECT_EQ(Normalize("020 7946 0018", "gb"), "+442079460018");
}

TEST(PhoneNormalizerTest, RegionOverrideDoesNotAffectInternationalInput) {
  EXPECT_EQ(Normalize("+1 555 123 4567", "GB"), "+15551234567");
}

TEST(PhoneNormalizerTest, DefaultRegionFromCreate) {
  const absl::StatusOr<PhoneNormalizer> gb = PhoneNormalizer::Create("GB");
  ASSERT_TRUE(gb.ok()) << gb.status();
  const absl::StatusOr<E164Number> number = gb->Normalize("020 7946 0018");
  ASSERT_TRUE(number.ok()) << number.status();
  EXPECT_EQ(number->ToString(), "+442079460018");
}

TEST(PhoneNormalizerTest, DefaultRegionIsCanonicalized) {
  const absl::StatusOr<PhoneNormalizer> gb = PhoneNormalizer::Create("gb");
  ASSERT_TRUE(gb.ok()) << gb.status();
  EXPECT_EQ(gb->default_region(), "GB");
}

TEST(PhoneNormalizerTest, InputOfMaxLengthIsAccepted) {
  std::string input = "+15551234567";
  input.resize(PhoneNormalizer::kMaxInputLength, ' ');
  EXPECT_EQ(Normalize(input), "+15551234567");
}

// --- Rejected input ---------------------------------------------------------

TEST(PhoneNormalizerTest, AnonymousIsRejected) {
  EXPECT_EQ(Normalize("anonymous"), "INVALID_PHONE");
  EXPECT_EQ(ErrorMessage("anonymous"), "'anonymous' is not a phone number");
}

TEST(PhoneNormalizerTest, RestrictedIsRejected) {
  EXPECT_EQ(Normalize("Restricted"), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, LettersAreRejected) {
  EXPECT_EQ(Normalize("abc"), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, EmptyIsRejected) {
  EXPECT_EQ(Normalize(""), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, WhiteSpaceOnlyIsRejected) {
  EXPECT_EQ(Normalize("   "), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, LonePlusIsRejected) {
  EXPECT_EQ(Normalize("+"), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, TooShortForCountryCode) {
  EXPECT_EQ(Normalize("+1 555"), "INVALID_PHONE");
  EXPECT_EQ(ErrorMessage("+1 555"), "'+1 555' is too short for country code 1");
}

TEST(PhoneNormalizerTest, TooLongForCountryCode) {
  EXPECT_EQ(Normalize("+1 555 123 45678"), "INVALID_PHONE");
  EXPECT_THAT(ErrorMessage("+1 555 123 45678"), HasSubstr("country code 1"));
}

TEST(PhoneNormalizerTest, LocalOnlyUsNumberIsRejected) {
  EXPECT_EQ(Normalize("555-1234"), "INVALID_PHONE");
  EXPECT_THAT(ErrorMessage("555-1234"), HasSubstr("area code"));
}

TEST(PhoneNormalizerTest, UnknownCountryCodeIsRejected) {
  EXPECT_EQ(Normalize("+999 123 4567"), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, StrictE164WithUnknownCountryCodeIsRejected) {
  EXPECT_EQ(Normalize("+2821234567"), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, StrictE164WithImpossibleLengthIsRejected) {
  EXPECT_EQ(Normalize("+1555123456"), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, InputLongerThanMaxIsRejected) {
  std::string input = "+15551234567";
  input.resize(PhoneNormalizer::kMaxInputLength + 1, ' ');
  EXPECT_EQ(Normalize(input), "INVALID_PHONE");
}

TEST(PhoneNormalizerTest, ErrorMessageQuotesBoundedPrefix) {
  const std::string input(1000, '9');
  const std::string message = ErrorMessage(input);
  EXPECT_THAT(message, StartsWith("'9999"));
  EXPECT_THAT(message, HasSubstr("...'"));
  EXPECT_LT(message.size(), 100u);
}

TEST(PhoneNormalizerTest, ErrorMessageEscapesControlCharacters) {
  EXPECT_EQ(ErrorMessage(std::string_view("a\nb\0", 4)),
            "'a\\nb\\x00' is not a phone number");
}

// --- Regions ----------------------------------------------------------------

TEST(PhoneNormalizerTest, InvalidRegionOverrideIsRejected) {
  EXPECT_EQ(Normalize("020 7946 0018", "XX"), "INVALID_REGION");
}

TEST(PhoneNormalizerTest, InvalidRegionIsRejectedEvenForStrictE164) {
  EXPECT_EQ(Normalize("+15551234567", "XX"), "INVALID_REGION");
}

TEST(PhoneNormalizerTest, CreateWithInvalidRegionFails) {
  const absl::StatusOr<PhoneNormalizer> normalizer =
      PhoneNormalizer::Create("Narnia");
  EXPECT_EQ(ReasonOf(normalizer.status()), Reason::kInvalidRegion);
  EXPECT_EQ(normalizer.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PhoneNormalizerTest, ValidateRegionAcceptsKnownRegions) {
  EXPECT_TRUE(ValidateRegion("US").ok());
  EXPECT_TRUE(ValidateRegion("gb").ok());
  EXPECT_TRUE(ValidateRegion("De").ok());
}

TEST(PhoneNormalizerTest, ValidateRegionRejectsUnknownRegions) {
  for (const std::string_view region : {"", "X", "XX", "ZZ", "USA", "001"}) {
    EXPECT_EQ(ReasonOf(ValidateRegion(region)), Reason::kInvalidRegion)
        << "'" << region << "'";
  }
}

// --- Fast path --------------------------------------------------------------

// What TryFastPath answers: "+15551234567", or "nullopt" when it defers.
std::string Fast(std::string_view input, std::string_view region = {}) {
  const std::optional<E164Number> number =
      Normalizer().TryFastPath(input, region);
  return number.has_value() ? number->ToString() : "nullopt";
}

// What the full parse answers: "+15551234567", or the error reason.
std::string Slow(std::string_view input, std::string_view region = {}) {
  const absl::StatusOr<E164Number> number =
      Normalizer().NormalizeSlow(input, region);
  if (!number.ok()) return std::string(ReasonName(ReasonOf(number.status())));
  return number->ToString();
}

TEST(PhoneNormalizerFastPathTest, AnswersStrictUsNumber) {
  EXPECT_EQ(Fast("+15551234567"), "+15551234567");
}

TEST(PhoneNormalizerFastPathTest, AnswersFormattedInternational) {
  EXPECT_EQ(Fast("+44 20 7946 0018"), "+442079460018");
  EXPECT_EQ(Fast("+1 (555) 123-4567"), "+15551234567");
  EXPECT_EQ(Fast("+1.555.123.4567"), "+15551234567");
}

TEST(PhoneNormalizerFastPathTest, AnswersSurroundingSeparators) {
  EXPECT_EQ(Fast("  +1-555-123-4567  "), "+15551234567");
  EXPECT_EQ(Fast("(+44) 20 7946 0018"), "+442079460018");
  EXPECT_EQ(Fast("+ (1) 555 123 4567"), "+15551234567");
}

TEST(PhoneNormalizerFastPathTest, AnswersNationalFormatInDefaultRegion) {
  EXPECT_EQ(Fast("(555) 123-4567"), "+15551234567");
}

TEST(PhoneNormalizerFastPathTest, AnswersNationalFormatsWithRegion) {
  EXPECT_EQ(Fast("07700 900123", "GB"), "+447700900123");
  EXPECT_EQ(Fast("01512 3456789", "DE"), "+4915123456789");
  EXPECT_EQ(Fast("06 12 34 56 78", "FR"), "+33612345678");
  EXPECT_EQ(Fast("0412 345 678", "au"), "+61412345678");
  EXPECT_EQ(Fast("(11) 91234-5678", "BR"), "+5511912345678");
}

TEST(PhoneNormalizerFastPathTest, AnswersInternationalPrefixOfTheRegion) {
  EXPECT_EQ(Fast("011 44 20 7946 0018"), "+442079460018");
  EXPECT_EQ(Fast("00 1 555 123 4567", "GB"), "+15551234567");
  EXPECT_EQ(Fast("0011 44 20 7946 0018", "AU"), "+442079460018");
}

TEST(PhoneNormalizerFastPathTest, DeclinesZeroAfterInternationalPrefix) {
  // ParsePrefixAsIdd: no calling code starts with 0, so "011 0..." is read
  // as a national number, which is too long here.
  EXPECT_EQ(Fast("011 0 20 7946 0018"), "nullopt");
  EXPECT_EQ(Slow("011 0 20 7946 0018"), "INVALID_PHONE");
}

TEST(PhoneNormalizerFastPathTest, AnswersNumberStartingWithTheRegionsCode) {
  // In the US, the trunk prefix 1 is also the calling code.
  EXPECT_EQ(Fast("1 555 123 4567"), "+15551234567");
  EXPECT_EQ(Fast("44 20 7946 0018", "GB"), "+442079460018");
}

TEST(PhoneNormalizerFastPathTest, AppliesNationalPrefixTransformRules) {
  // Brazil: trunk prefix 0 and carrier code 15 before the area code.
  EXPECT_EQ(Fast("0 15 11 91234-5678", "BR"), "+5511912345678");
  // Argentina: "0 11 15 ..." is a mobile number, "+54 9 11 ...".
  EXPECT_EQ(Fast("011 15 2345-6789", "AR"), "+5491123456789");
  EXPECT_EQ(Slow("011 15 2345-6789", "AR"), "+5491123456789");
}

TEST(PhoneNormalizerFastPathTest, KeepsItalianLeadingZero) {
  EXPECT_EQ(Fast("+39 06 1234 5678"), "+390612345678");
  EXPECT_EQ(Fast("06 1234 5678", "IT"), "+390612345678");
}

TEST(PhoneNormalizerFastPathTest, StripsNationalPrefixAfterCountryCode) {
  EXPECT_EQ(Fast("+44 (0)20 7946 0018"), "+442079460018");
}

TEST(PhoneNormalizerFastPathTest, KeepsPrefixWhenTheRestHasNoPossibleLength) {
  // NANPA's national prefix is "1", but the 9 digits after it are not a
  // possible length: Parse() keeps the 1.
  EXPECT_EQ(Fast("+11234567890"), "+11234567890");
  EXPECT_EQ(Slow("+11234567890"), "+11234567890");
}

TEST(PhoneNormalizerFastPathTest, DeclinesOtherCharacters) {
  for (const std::string_view input :
       {"+1 555 123 4567 ext. 89", "(555) 123-4567 x12", "+1 555 123 4567#",
        "+1/555/123/4567", "555,123,4567", "tel:+15551234567",
        "+1 555 123 4567;ext=1", "+1\t555 123 4567", "+1 555 123 4567\n",
        "\xEF\xBC\x8B"
        "15551234567"}) {
    EXPECT_EQ(Fast(input), "nullopt") << "'" << input << "'";
  }
}

TEST(PhoneNormalizerFastPathTest, DeclinesPlusAfterDigitsOrTwice) {
  EXPECT_EQ(Fast("1+5551234567"), "nullopt");
  EXPECT_EQ(Fast("++15551234567"), "nullopt");
}

TEST(PhoneNormalizerFastPathTest, DeclinesTooFewDigits) {
  for (const std::string_view input :
       {"", " ", "+", "+()", "()", "12", "+1 2"}) {
    EXPECT_EQ(Fast(input), "nullopt") << "'" << input << "'";
  }
}

TEST(PhoneNormalizerFastPathTest, DeclinesZeroAfterPlus) {
  // Parse() retries such input without the '+', with the region's IDD.
  EXPECT_EQ(Fast("+0044 20 7946 0018"), "nullopt");
}

TEST(PhoneNormalizerFastPathTest, DeclinesImpossibleLength) {
  EXPECT_EQ(Fast("+1555123456"), "nullopt");
}

TEST(PhoneNormalizerFastPathTest, DeclinesLocalOnlyNumber) {
  EXPECT_EQ(Fast("555-1234"), "nullopt");
}

TEST(PhoneNormalizerFastPathTest, DeclinesUnknownCountryCode) {
  EXPECT_EQ(Fast("+2821234567"), "nullopt");
}

TEST(PhoneNormalizerFastPathTest, DeclinesUnknownRegion) {
  EXPECT_EQ(Fast("(555) 123-4567", "XX"), "nullopt");
}

TEST(PhoneNormalizerFastPathTest, DeclinesInputLongerThanMax) {
  std::string input = "+15551234567";
  input.resize(PhoneNormalizer::kMaxInputLength + 1, ' ');
  EXPECT_EQ(Fast(input), "nullopt");
}

// --- Fast path: agreement with the full parse -------------------------------

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

constexpr PhoneNumberUtil::PhoneNumberType kExampleTypes[] = {
    PhoneNumberUtil::FIXED_LINE,
    PhoneNumberUtil::MOBILE,
    PhoneNumberUtil::TOLL_FREE,
    PhoneNumberUtil::PREMIUM_RATE,
    PhoneNumberUtil::SHARED_COST,
    PhoneNumberUtil::VOIP,
    PhoneNumberUtil::PERSONAL_NUMBER,
    PhoneNumberUtil::PAGER,
    PhoneNumberUtil::UAN,
    PhoneNumberUtil::VOICEMAIL,
};

// "+" country code, and the national significant number of `number`.
struct SplitNumber {
  std::string country_code;
  std::string national_number;
};

SplitNumber Split(const PhoneNumber& number) {
  SplitNumber split;
  split.country_code = absl::StrCat(number.country_code());
  Util().GetNationalSignificantNumber(number, &split.national_number);
  return split;
}

std::string Format(const PhoneNumber& number,
                   PhoneNumberUtil::PhoneNumberFormat format) {
  std::string formatted;
  Util().Format(number, format, &formatted);
  return formatted;
}

std::vector<std::string> SupportedRegions() {
  std::set<std::string> regions;
  Util().GetSupportedRegions(&regions);
  return std::vector<std::string>(regions.begin(), regions.end());
}

std::vector<PhoneNumber> ExampleNumbers(std::string_view region) {
  std::vector<PhoneNumber> numbers;
  for (const auto type : kExampleTypes) {
    PhoneNumber number;
    if (Util().GetExampleNumberForType(std::string(region), type, &number)) {
      numbers.push_back(number);
    }
  }
  return numbers;
}

std::vector<PhoneNumber> AllExampleNumbers() {
  std::vector<PhoneNumber> numbers;
  for (const std::string& region : SupportedRegions()) {
    for (const PhoneNumber& number : ExampleNumbers(region)) {
      numbers.push_back(number);
    }
  }
  std::set<int> non_geo_codes;
  Util().GetSupportedGlobalNetworkCallingCodes(&non_geo_codes);
  for (const int code : non_geo_codes) {
    PhoneNumber number;
    if (Util().GetExampleNumberForNonGeoEntity(code, &number)) {
      numbers.push_back(number);
    }
  }
  return numbers;
}

std::string NationalPrefixOf(const std::string& region) {
  std::string prefix;
  Util().GetNddPrefixForRegion(region, /*strip_non_digits=*/true, &prefix);
  return prefix;
}

std::string RegionOfCode(int code) {
  std::string region;
  Util().GetRegionCodeForCountryCode(code, &region);
  return region;
}

// The random choices of the generators; deterministic (fixed seeds).
class Random {
 public:
  explicit Random(uint64_t seed) : rng_(seed) {}

  int Uniform(int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(rng_);
  }
  bool OneIn(int n) { return Uniform(1, n) == 1; }
  char Digit(char lowest = '0') {
    return static_cast<char>(Uniform(lowest, '9'));
  }
  std::string Digits(int count) {
    std::string digits;
    while (static_cast<int>(digits.size()) < count) digits.push_back(Digit());
    return digits;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(0, static_cast<int>(items.size()) - 1)];
  }

 private:
  std::mt19937_64 rng_;
};

// `national` with random digits after a random point, and then: as is, up
// to two digits shorter or longer, or with a random first digit (0 too).
std::string Mutate(const std::string& national, int kind, Random& random) {
  std::string mutated = national;
  const int keep = random.Uniform(1, static_cast<int>(mutated.size()));
  for (size_t j = keep; j < mutated.size(); ++j) mutated[j] = random.Digit();
  switch (kind % 3) {
    case 1: {
      const int size = static_cast<int>(mutated.size()) + random.Uniform(-2, 2);
      const size_t old_size = mutated.size();
      mutated.resize(std::max(1, size));
      for (size_t j = old_size; j < mutated.size(); ++j) {
        mutated[j] = random.Digit();
      }
      break;
    }
    case 2:
      mutated[0] = random.Digit();
      break;
    default:
      break;
  }
  return mutated;
}

// `text` written with random separators between its characters and around
// it, sometimes right after the '+', as people (and formats) do.
std::string Scatter(std::string_view text, Random& random) {
  static const std::vector<std::string> kChunks = {
      " ", "-", ".", "(", ")", "  ", " - ", ") ", " (", "()", "--", ". "};
  std::string out;
  if (random.OneIn(4)) out += random.Pick(kChunks);
  for (const char c : text) {
    out.push_back(c);
    if (random.OneIn(3)) out += random.Pick(kChunks);
  }
  if (random.OneIn(4)) out += random.Pick(kChunks);
  return out;
}

// An input and the region passed with it ("" for the default region).
struct Case {
  std::string input;
  std::string region;
};

// Strict "+digits" strings; deterministic (fixed seed).
class StrictCorpusGenerator {
 public:
  std::vector<Case> Generate() {
    for (const PhoneNumber& number : AllExampleNumbers()) {
      AddVariantsOf(Split(number));
    }
    std::set<int> codes;
    Util().GetSupportedCallingCodes(&codes);
    for (const int code : codes) AddRandomNumbersFor(code);
    AddRandomDigitStrings();
    return std::move(corpus_);
  }

 private:
  static constexpr int kVariantsPerExample = 60;
  static constexpr int kRandomPerCode = 200;
  static constexpr int kRandomDigitStrings = 10000;

  void Add(const std::string& code, const std::string& national) {
    corpus_.push_back({"+" + code + national, ""});
  }

  // The example itself, then mutated copies, some with the national prefix
  // written after the country code.
  void AddVariantsOf(const SplitNumber& example) {
    Add(example.country_code, example.national_number);
    const std::string prefix =
        NationalPrefixOf(RegionOfCode(std::stoi(example.country_code)));
    for (int i = 0; i < kVariantsPerExample; ++i) {
      const std::string national = Mutate(example.national_number, i, random_);
      Add(example.country_code, i % 4 == 3 ? prefix + national : national);
    }
  }

  // Random national numbers of random length after a valid code, starting
  // with the national prefix, 0, or any digit.
  void AddRandomNumbersFor(int code) {
    const std::string code_text = absl::StrCat(code);
    const std::string prefix = NationalPrefixOf(RegionOfCode(code));
    const int max_length = 15 - static_cast<int>(code_text.size());
    for (int i = 0; i < kRandomPerCode; ++i) {
      const int length = random_.Uniform(0, max_length);
      std::string national = i % 3 == 0 ? prefix : i % 3 == 1 ? "0" : "";
      national += random_.Digits(length - static_cast<int>(national.size()));
      national.resize(std::min<size_t>(national.size(), max_length));
      Add(code_text, national);
    }
  }

  // "+" and 1 to 15 random digits: unassigned codes, junk lengths.
  void AddRandomDigitStrings() {
    for (int i = 0; i < kRandomDigitStrings; ++i) {
      const std::string first(1, random_.Digit('1'));
      Add("", first + random_.Digits(random_.Uniform(1, 15) - 1));
    }
  }

  Random random_{0x5eed'c0de'2024'0001};
  std::vector<Case> corpus_;
};

// "+" input with separators: libphonenumber's INTERNATIONAL format of example
// and random numbers, and their digits with random separators, each read
// with a random region (which must not matter).
class InternationalCorpusGenerator {
 public:
  std::vector<Case> Generate() {
    for (const PhoneNumber& number : AllExampleNumbers()) AddVariantsOf(number);
    std::set<int> codes;
    Util().GetSupportedCallingCodes(&codes);
    for (const int code : codes) AddRandomNumbersFor(code);
    for (const char* input :
         {"+", "+ ", "+()", "+ ()", "( + )", "+1", "+1 2", "+12", "+ 1 2 3",
          "+(44)", "(+44) (0)", "+44 (0) 20 7946 0018", "+.44.20.7946.0018.",
          "+-1-", "--+1 555 123 4567--", "+((1)) 555 123 4567"}) {
      Add(input);
    }
    return std::move(corpus_);
  }

 private:
  static constexpr int kVariantsPerExample = 6;
  static constexpr int kRandomPerCode = 40;

  void Add(std::string input) {
    corpus_.push_back({std::move(input), random_.Pick(regions_)});
  }

  void AddVariantsOf(const PhoneNumber& number) {
    Add(Format(number, PhoneNumberUtil::INTERNATIONAL));
    const SplitNumber split = Split(number);
    for (int i = 0; i < kVariantsPerExample; ++i) {
      const std::string national =
          i == 0 ? split.national_number
                 : Mutate(split.national_number, i, random_);
      Add(Scatter("+" + split.country_code + national, random_));
    }
  }

  // Random national numbers (with leading zeros or the national prefix too)
  // in INTERNATIONAL format, or with random separators.
  void AddRandomNumbersFor(int code) {
    const std::string code_text = absl::StrCat(code);
    const std::string prefix = NationalPrefixOf(RegionOfCode(code));
    for (int i = 0; i < kRandomPerCode; ++i) {
      const int length =
          random_.Uniform(1, 16 - static_cast<int>(code_text.size()));
      const std::string start = i % 4 == 0 ? prefix : i % 4 == 1 ? "0" : "";
      const std::string national = start + random_.Digits(length);
      if (i % 2 == 0) {
        Add(Scatter("+" + code_text + national, random_));
        continue;
      }
      PhoneNumber number;
      number.set_country_code(code);
      number.set_national_number(std::stoull(national));
      Add(Format(number, PhoneNumberUtil::INTERNATIONAL));
    }
  }

  Random random_{0x5eed'c0de'2024'0002};
  std::vector<std::string> regions_ = SupportedRegions();
  std::vector<Case> corpus_;
};

// The international prefixes regions format numbers with ("011", "0011",
// "8~10" without its '~'), and a few more from the patterns of regions that
// have several (carrier selection in BR, CO, AU...).
std::vector<std::string> InternationalPrefixes() {
  PhoneNumber germany;
  PhoneNumber france;
  Util().GetExampleNumber("DE", &germany);
  Util().GetExampleNumber("FR", &france);
  std::set<std::string> prefixes = {"0015", "0021", "0014",     "009", "00",
                                    "011",  "810",  "14880011", "0",   "1"};
  for (const std::string& region : SupportedRegions()) {
    std::string dialled;
    Util().FormatOutOfCountryCallingNumber(region == "DE" ? france : germany,
                                           region, &dialled);
    if (dialled.empty() || dialled[0] == '+') continue;
    std::string prefix = dialled.substr(0, dialled.find(' '));
    std::erase(prefix, '~');
    prefixes.insert(prefix);
  }
  return std::vector<std::string>(prefixes.begin(), prefixes.end());
}

// Input without '+', for every supported region: NATIONAL format of its
// example numbers, their digits with and without the trunk prefix, with the
// country code, with international prefixes and calling codes, random digit
// strings; as written and mutated, some with separators.
class NationalCorpusGenerator {
 public:
  std::vector<Case> Generate() {
    for (const std::string& region : SupportedRegions()) {
      AddExamples(region);
      AddDialledAbroad(region);
      AddRandom(region);
    }
    return std::move(corpus_);
  }

 private:
  static constexpr int kVariantsPerExample = 12;
  static constexpr int kRandomPerRegion = 60;

  void Add(const std::string& input, const std::string& region) {
    corpus_.push_back(
        {random_.OneIn(3) ? Scatter(input, random_) : input, region});
  }

  void AddExamples(const std::string& region) {
    const std::string prefix = NationalPrefixOf(region);
    const std::string code =
        absl::StrCat(Util().GetCountryCodeForRegion(region));
    for (const PhoneNumber& number : ExampleNumbers(region)) {
      corpus_.push_back({Format(number, PhoneNumberUtil::NATIONAL), region});
      const std::string national = Split(number).national_number;
      for (int i = 0; i < kVariantsPerExample; ++i) {
        const std::string digits =
            i < 4 ? national : Mutate(national, i, random_);
        switch (i % 4) {
          case 0:
            Add(digits, region);
            break;
          case 1:
            Add(prefix + digits, region);
            break;
          case 2:
            Add(code + digits, region);
            break;
          default:
            Add(code + prefix + digits, region);
            break;
        }
      }
    }
  }

  // Numbers of other countries after an international prefix (the region's
  // own and others'), a 0 after the prefix, random digits after it.
  void AddDialledAbroad(const std::string& region) {
    for (const std::string& prefix : prefixes_) {
      const SplitNumber abroad = Split(random_.Pick(examples_));
      Add(prefix + abroad.country_code + abroad.national_number, region);
      Add(prefix + "0" + random_.Digits(random_.Uniform(2, 12)), region);
      Add(prefix + random_.Digits(random_.Uniform(1, 14)), region);
    }
    for (int i = 0; i < 3; ++i) {
      std::string dialled;
      Util().FormatOutOfCountryCallingNumber(random_.Pick(examples_), region,
                                             &dialled);
      corpus_.push_back({dialled, region});
    }
  }

  // 1 to 18 random digits, some starting with 0, the trunk prefix or the
  // country code.
  void AddRandom(const std::string& region) {
    const std::string prefix = NationalPrefixOf(region);
    const std::string code =
        absl::StrCat(Util().GetCountryCodeForRegion(region));
    for (int i = 0; i < kRandomPerRegion; ++i) {
      const std::string start = i % 4 == 0   ? "0"
                                : i % 4 == 1 ? prefix
                                : i % 4 == 2 ? code
                                             : "";
      const int length = random_.Uniform(1, 18);
      const std::string digits =
          (start + random_.Digits(length)).substr(0, length);
      Add(digits, region);
    }
  }

  Random random_{0x5eed'c0de'2024'0003};
  std::vector<PhoneNumber> examples_ = AllExampleNumbers();
  std::vector<std::string> prefixes_ = InternationalPrefixes();
  std::vector<Case> corpus_;
};

const std::vector<Case>& StrictCorpus() {
  static const auto* const corpus =
      new std::vector<Case>(StrictCorpusGenerator().Generate());
  return *corpus;
}

std::string Describe(const absl::StatusOr<E164Number>& result) {
  return result.ok() ? result->ToString() : result.status().ToString();
}

struct AgreementStats {
  size_t checked = 0;
  size_t accepted = 0;  // NormalizeSlow returned a number
  size_t fast = 0;      // TryFastPath answered
};

// Checks on every `stride`-th case that the fast path answers only what the
// full parse returns, and that Normalize returns exactly what NormalizeSlow
// does (numbers, and errors with their reason and message).
AgreementStats CheckAgreement(const PhoneNormalizer& normalizer,
                              const std::vector<Case>& corpus,
                              size_t stride = 1) {
  AgreementStats stats;
  size_t mismatches = 0;
  for (size_t i = 0; i < corpus.size(); i += stride) {
    const auto& [input, region] = corpus[i];
    const std::optional<E164Number> fast =
        normalizer.TryFastPath(input, region);
    const absl::StatusOr<E164Number> slow =
        normalizer.NormalizeSlow(input, region);
    const absl::StatusOr<E164Number> full = normalizer.Normalize(input, region);
    ++stats.checked;
    if (slow.ok()) ++stats.accepted;
    if (fast.has_value()) ++stats.fast;
    const bool fast_agrees = !fast.has_value() || (slow.ok() && *slow == *fast);
    const bool full_agrees =
        full.status() == slow.status() && (!full.ok() || *full == *slow);
    if (!fast_agrees || !full_agrees) {
      ADD_FAILURE() << "'" << input << "' in " << region << ": fast "
                    << (fast ? fast->ToString() : "nullopt") << ", slow "
                    << Describe(slow) << ", full " << Describe(full);
      if (++mismatches >= 20) break;  // enough to debug
    }
  }
  return stats;
}

std::string Percent(size_t part, size_t whole) {
  return absl::StrCat(whole == 0 ? 0.0 : 100.0 * part / whole, "%");
}

void Report(std::string_view what, const AgreementStats& stats) {
  std::cout << what << ": " << stats.checked << " inputs, " << stats.accepted
            << " possible numbers; the fast path answered " << stats.fast
            << " (" << Percent(stats.fast, stats.checked) << " of all, "
            << Percent(stats.fast, stats.accepted) << " of possible ones)\n";
}

TEST(PhoneNormalizerFastPathTest, AgreesWithFullParseOnStrictE164) {
  const std::vector<Case>& corpus = StrictCorpus();
  ASSERT_GE(corpus.size(), 100'000u);
  const AgreementStats stats = CheckAgreement(Normalizer("US"), corpus);
  Report("strict E.164", stats);
  RecordProperty("corpus_size", static_cast<int>(stats.checked));
  RecordProperty("possible_numbers", static_cast<int>(stats.accepted));
  RecordProperty("fast_path_answers", static_cast<int>(stats.fast));
}

// The default region only matters to Parse() for input without a country
// code, so the fast path must agree whatever the default is.
TEST(PhoneNormalizerFastPathTest, AgreesWithFullParseUnderOtherDefaultRegions) {
  CheckAgreement(Normalizer("GB"), StrictCorpus(), 7);
  CheckAgreement(Normalizer("BR"), StrictCorpus(), 7);
}

TEST(PhoneNormalizerFastPathTest, AgreesWithFullParseOnFormattedInternational) {
  const std::vector<Case> corpus = InternationalCorpusGenerator().Generate();
  ASSERT_GE(corpus.size(), 10'000u);
  const AgreementStats stats = CheckAgreement(Normalizer(), corpus);
  Report("formatted international", stats);
  EXPECT_GT(stats.fast, stats.accepted * 9 / 10);
}

TEST(PhoneNormalizerFastPathTest, AgreesWithFullParseOnNationalInputs) {
  const std::vector<Case> corpus = NationalCorpusGenerator().Generate();
  ASSERT_GE(corpus.size(), 40'000u);
  const AgreementStats stats = CheckAgreement(Normalizer(), corpus);
  Report("national, for every region", stats);
  EXPECT_GT(stats.fast, stats.accepted * 9 / 10);
}

// --- Fast path: coverage ----------------------------------------------------

// Valid numbers of `region` like the benchmark's (bench/dataset_gen): its
// fixed-line and mobile example numbers, and random numbers of the same
// lengths that libphonenumber considers valid.
std::vector<PhoneNumber> ValidNumbers(const std::string& region,
                                      Random& random) {
  constexpr int kPerType = 20;
  std::vector<PhoneNumber> numbers;
  for (const auto type :
       {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE}) {
    PhoneNumber example;
    if (!Util().GetExampleNumberForType(region, type, &example)) continue;
    numbers.push_back(example);
    const std::string national = Split(example).national_number;
    int found = 0;
    for (int attempt = 0; attempt < 20'000 && found < kPerType; ++attempt) {
      PhoneNumber number = example;
      number.set_national_number(
          std::stoull(national.substr(0, random.Uniform(1, 4)) +
                      random.Digits(static_cast<int>(national.size()) - 4)));
      if (Util().IsValidNumber(number)) {
        numbers.push_back(number);
        ++found;
      }
    }
  }
  return numbers;
}

// The lookup keys of the benchmark: E.164, INTERNATIONAL and NATIONAL format
// (with the region passed) of valid numbers of its eight countries. The fast
// path must answer every one, with the full parse's answer.
TEST(PhoneNormalizerFastPathTest, AnswersEveryFormatOfTheBenchmarkCountries) {
  Random random(0x5eed'c0de'2024'0004);
  for (const std::string region :
       {"US", "GB", "DE", "FR", "IN", "BR", "AU", "ES"}) {
    size_t checked = 0;
    size_t fast = 0;
    for (const PhoneNumber& number : ValidNumbers(region, random)) {
      for (const auto format :
           {PhoneNumberUtil::E164, PhoneNumberUtil::INTERNATIONAL,
            PhoneNumberUtil::NATIONAL}) {
        const std::string input = Format(number, format);
        const std::string with =
            format == PhoneNumberUtil::NATIONAL ? region : "";
        ++checked;
        if (Fast(input, with) == Format(number, PhoneNumberUtil::E164)) {
          ++fast;
        } else {
          ADD_FAILURE() << "'" << input << "' in " << region << ": fast "
                        << Fast(input, with) << ", slow " << Slow(input, with);
        }
      }
    }
    std::cout << region << ": the fast path answered " << fast << " of "
              << checked << " keys\n";
    EXPECT_GE(checked, 60u) << region;
  }
}

// Nearly every example number worldwide, in E.164 or its own country's
// NATIONAL format, should take the fast path.
TEST(PhoneNormalizerFastPathTest, MostExampleNumbersWorldwideTakeIt) {
  size_t examples = 0;
  size_t fast_e164 = 0;
  size_t fast_national = 0;
  for (const std::string& region : SupportedRegions()) {
    for (const PhoneNumber& number : ExampleNumbers(region)) {
      ++examples;
      if (Fast(Format(number, PhoneNumberUtil::E164)) != "nullopt") {
        ++fast_e164;
      }
      if (Fast(Format(number, PhoneNumberUtil::NATIONAL), region) !=
          "nullopt") {
        ++fast_national;
      }
    }
  }
  std::cout << "the fast path answered " << fast_e164 << " (E.164) and "
            << fast_national << " (NATIONAL) of " << examples
            << " example numbers\n";
  EXPECT_GT(static_cast<double>(fast_e164) / examples, 0.95);
  EXPECT_GT(static_cast<double>(fast_national) / examples, 0.9);
}

// --- Thread safety ----------------------------------------------------------

TEST(PhoneNormalizerTest, ConcurrentCallsAgree) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&failures] {
      for (int i = 0; i < 200; ++i) {
        // The fast path (with and without RE2 patterns) and the full parse.
        if (Normalize("(555) 123-4567") != "+15551234567" ||
            Normalize("+442079460018") != "+442079460018" ||
            Normalize("0412 345 678", "AU") != "+61412345678" ||
            Normalize("+1 555 123 4567 ext. 89") != "+15551234567") {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace contactd::index
