#include "index/phone_normalizer.h"

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

TEST(PhoneNormalizerFastPathTest, AnswersStrictUsNumber) {
  EXPECT_EQ(Normalizer().TryFastPath("+15551234567"), E164Number(15551234567));
}

TEST(PhoneNormalizerFastPathTest, DeclinesNationalFormat) {
  EXPECT_EQ(Normalizer().TryFastPath("(555) 123-4567"), std::nullopt);
}

TEST(PhoneNormalizerFastPathTest, DeclinesLeadingZeroAfterCountryCode) {
  EXPECT_EQ(Normalizer().TryFastPath("+390612345678"), std::nullopt);
}

TEST(PhoneNormalizerFastPathTest, DeclinesNationalPrefixAfterCountryCode) {
  // NANPA's national prefix is "1"; Parse may strip it.
  EXPECT_EQ(Normalizer().TryFastPath("+11234567890"), std::nullopt);
}

TEST(PhoneNormalizerFastPathTest, DeclinesRegexNationalPrefix) {
  // Brazil's national prefix for parsing is a pattern with carrier codes.
  EXPECT_EQ(Normalizer().TryFastPath("+5511912345678"), std::nullopt);
}

TEST(PhoneNormalizerFastPathTest, DeclinesImpossibleLength) {
  EXPECT_EQ(Normalizer().TryFastPath("+1555123456"), std::nullopt);
}

TEST(PhoneNormalizerFastPathTest, DeclinesUnknownCountryCode) {
  EXPECT_EQ(Normalizer().TryFastPath("+2821234567"), std::nullopt);
}

TEST(PhoneNormalizerFastPathTest, DeclinesSurroundingSpaces) {
  EXPECT_EQ(Normalizer().TryFastPath(" +15551234567"), std::nullopt);
}

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
  std::set<std::string> regions;
  Util().GetSupportedRegions(&regions);
  for (const std::string& region : regions) {
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

// Generates strict "+digits" strings; deterministic (fixed seed).
class CorpusGenerator {
 public:
  std::vector<std::string> Generate() {
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

  char RandomDigit(char lowest = '0') {
    return static_cast<char>(
        std::uniform_int_distribution<int>(lowest, '9')(rng_));
  }
  int Uniform(int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(rng_);
  }
  void Add(const std::string& code, const std::string& national) {
    corpus_.push_back("+" + code + national);
  }

  // The example itself, then copies with random trailing digits, a changed
  // length, or a changed first digit.
  void AddVariantsOf(const SplitNumber& example) {
    Add(example.country_code, example.national_number);
    const std::string& base = example.national_number;
    for (int i = 0; i < kVariantsPerExample; ++i) {
      std::string national = base;
      const int keep = Uniform(1, static_cast<int>(national.size()));
      for (size_t j = keep; j < national.size(); ++j) {
        national[j] = RandomDigit();
      }
      switch (i % 4) {
        case 1: {  // shorter or longer by up to two digits
          const size_t old_size = national.size();
          national.resize(
              std::max<int>(1, static_cast<int>(old_size) + Uniform(-2, 2)));
          for (size_t j = old_size; j < national.size(); ++j) {
            national[j] = RandomDigit();
          }
          break;
        }
        case 2:  // a random first digit, 0 included
          national[0] = RandomDigit();
          break;
        case 3: {  // the national prefix written after the country code
          std::string prefix;
          Util().GetNddPrefixForRegion(RegionOf(example.country_code), true,
                                       &prefix);
          national = prefix + national;
          break;
        }
        default:
          break;
      }
      Add(example.country_code, national);
    }
  }

  static std::string RegionOf(const std::string& code) {
    std::string region;
    Util().GetRegionCodeForCountryCode(std::stoi(code), &region);
    return region;
  }

  // Random national numbers of random length after a valid code, starting
  // with the national prefix, 0, or any digit.
  void AddRandomNumbersFor(int code) {
    const std::string code_text = absl::StrCat(code);
    std::string prefix;
    Util().GetNddPrefixForRegion(RegionOf(code_text), true, &prefix);
    const int max_length = 15 - static_cast<int>(code_text.size());
    for (int i = 0; i < kRandomPerCode; ++i) {
      const int length = Uniform(0, max_length);
      std::string national;
      switch (i % 3) {
        case 0:
          national = prefix;
          break;
        case 1:
          national = "0";
          break;
        default:
          break;
      }
      while (static_cast<int>(national.size()) < length) {
        national.push_back(RandomDigit());
      }
      national.resize(std::min<size_t>(national.size(), max_length));
      Add(code_text, national);
    }
  }

  // "+" and 1 to 15 random digits: unassigned codes, junk lengths.
  void AddRandomDigitStrings() {
    for (int i = 0; i < kRandomDigitStrings; ++i) {
      std::string digits(1, RandomDigit('1'));
      const int length = Uniform(1, 15);
      while (static_cast<int>(digits.size()) < length) {
        digits.push_back(RandomDigit());
      }
      Add("", digits);
    }
  }

  std::mt19937_64 rng_{0x5eed'c0de'2024'0001};
  std::vector<std::string> corpus_;
};

const std::vector<std::string>& Corpus() {
  static const auto* const corpus =
      new std::vector<std::string>(CorpusGenerator().Generate());
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

// Checks both agreement properties on every `stride`-th input of `corpus`.
AgreementStats CheckAgreement(const PhoneNormalizer& normalizer,
                              const std::vector<std::string>& corpus,
                              size_t stride) {
  AgreementStats stats;
  size_t mismatches = 0;
  for (size_t i = 0; i < corpus.size(); i += stride) {
    const std::string& input = corpus[i];
    const std::optional<E164Number> fast = normalizer.TryFastPath(input);
    const absl::StatusOr<E164Number> slow = normalizer.NormalizeSlow(input);
    const absl::StatusOr<E164Number> full = normalizer.Normalize(input);
    ++stats.checked;
    if (slow.ok()) ++stats.accepted;
    if (fast.has_value()) ++stats.fast;
    const bool fast_agrees = !fast.has_value() || (slow.ok() && *slow == *fast);
    const bool full_agrees =
        full.status() == slow.status() && (!full.ok() || *full == *slow);
    if (!fast_agrees || !full_agrees) {
      ADD_FAILURE() << input << ": fast "
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

TEST(PhoneNormalizerFastPathTest, AgreesWithFullParseOnGeneratedNumbers) {
  const std::vector<std::string>& corpus = Corpus();
  ASSERT_GE(corpus.size(), 100'000u);
  const AgreementStats stats = CheckAgreement(Normalizer("US"), corpus, 1);
  std::cout << "generated " << stats.checked << " strict E.164 strings; "
            << stats.accepted << " are possible numbers; the fast path "
            << "answered " << stats.fast << " ("
            << Percent(stats.fast, stats.checked) << " of all, "
            << Percent(stats.fast, stats.accepted) << " of possible ones)\n";
  RecordProperty("corpus_size", static_cast<int>(stats.checked));
  RecordProperty("possible_numbers", static_cast<int>(stats.accepted));
  RecordProperty("fast_path_answers", static_cast<int>(stats.fast));
}

// The default region only matters to Parse() for input without a country
// code, so the fast path must agree whatever the default is.
TEST(PhoneNormalizerFastPathTest, AgreesWithFullParseUnderOtherDefaultRegions) {
  CheckAgreement(Normalizer("GB"), Corpus(), 7);
  CheckAgreement(Normalizer("BR"), Corpus(), 7);
}

// Nearly every example number of a country with a plain national prefix
// (or none) should take the fast path.
double FastPathFractionOfExamples(std::string_view region) {
  const std::vector<PhoneNumber> examples = ExampleNumbers(region);
  size_t fast = 0;
  for (const PhoneNumber& number : examples) {
    const SplitNumber split = Split(number);
    const std::string e164 =
        absl::StrCat("+", split.country_code, split.national_number);
    if (Normalizer().TryFastPath(e164).has_value()) ++fast;
  }
  return examples.empty() ? 0 : static_cast<double>(fast) / examples.size();
}

TEST(PhoneNormalizerFastPathTest, AllUsExampleNumbersTakeIt) {
  EXPECT_EQ(FastPathFractionOfExamples("US"), 1.0);
}

TEST(PhoneNormalizerFastPathTest, AllGbExampleNumbersTakeIt) {
  EXPECT_EQ(FastPathFractionOfExamples("GB"), 1.0);
}

TEST(PhoneNormalizerFastPathTest, AllDeExampleNumbersTakeIt) {
  EXPECT_EQ(FastPathFractionOfExamples("DE"), 1.0);
}

TEST(PhoneNormalizerFastPathTest, MostExampleNumbersWorldwideTakeIt) {
  const std::vector<PhoneNumber> examples = AllExampleNumbers();
  size_t fast = 0;
  for (const PhoneNumber& number : examples) {
    const SplitNumber split = Split(number);
    if (Normalizer()
            .TryFastPath(
                absl::StrCat("+", split.country_code, split.national_number))
            .has_value()) {
      ++fast;
    }
  }
  std::cout << "the fast path answered " << fast << " of " << examples.size()
            << " example numbers (" << Percent(fast, examples.size()) << ")\n";
  EXPECT_GT(static_cast<double>(fast) / examples.size(), 0.8);
}

// --- Thread safety ----------------------------------------------------------

TEST(PhoneNormalizerTest, ConcurrentCallsAgree) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&failures] {
      for (int i = 0; i < 200; ++i) {
        if (Normalize("(555) 123-4567") != "+15551234567" ||
            Normalize("+442079460018") != "+442079460018") {
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
