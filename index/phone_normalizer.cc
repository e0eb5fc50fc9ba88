#include "index/phone_normalizer.h"

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "index/phone_fast_path.h"
#include "index/status_macros.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace contactd::index {
namespace {

using ::i18n::phonenumbers::PhoneNumber;
using ::i18n::phonenumbers::PhoneNumberUtil;

// How much of the input an error message quotes.
constexpr size_t kMaxQuotedInput = 32;

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

absl::Status InvalidPhone(std::string_view input, std::string_view why) {
  return InvalidArgument(
      Reason::kInvalidPhone,
      absl::StrCat(QuoteInput(input, kMaxQuotedInput), " ", ToAbsl(why)));
}

// ---------------------------------------------------------------------------
// Regions.

// The sorted region codes libphonenumber supports ("AC" ... "ZW"). Built once;
// never modified afterwards, so references into it stay valid.
const std::vector<std::string>& SupportedRegions() {
  static const std::vector<std::string>* const regions = [] {
    std::set<std::string> set;
    Util().GetSupportedRegions(&set);
    return new std::vector<std::string>(set.begin(), set.end());
  }();
  return *regions;
}

// The canonical (upper-case) form of `region` as stored in SupportedRegions(),
// or INVALID_REGION.
absl::StatusOr<const std::string*> FindRegion(std::string_view region) {
  // Region codes are two letters; anything longer cannot match.
  std::array<char, 2> upper{};
  if (region.size() == upper.size()) {
    for (size_t i = 0; i < upper.size(); ++i) {
      upper[i] = absl::ascii_toupper(static_cast<unsigned char>(region[i]));
    }
    const std::string_view key(upper.data(), upper.size());
    const auto& regions = SupportedRegions();
    const auto it = std::lower_bound(regions.begin(), regions.end(), key);
    if (it != regions.end() && *it == key) return &*it;
  }
  return InvalidArgument(
      Reason::kInvalidRegion,
      absl::StrCat(QuoteInput(region, kMaxQuotedInput),
                   " is not a supported region code (expected "
                   "an ISO 3166 code such as US or GB)"));
}

// ---------------------------------------------------------------------------
// Full parse.

std::string_view ParseErrorText(PhoneNumberUtil::ErrorType error) {
  switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return "has an unknown or missing country calling code";
    case PhoneNumberUtil::NOT_A_NUMBER:
      return "is not a phone number";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return "is too short after the international prefix";
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "is too short to be a phone number";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "is too long to be a phone number";
  }
  return "could not be parsed";
}

std::string PossibilityText(PhoneNumberUtil::ValidationResult result,
                            int code) {
  switch (result) {
    case PhoneNumberUtil::IS_POSSIBLE:
      break;
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return absl::StrCat(
          "is a local number without an area code for "
          "country code ",
          code);
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return absl::StrCat("has an unknown country calling code ", code);
    case PhoneNumberUtil::TOO_SHORT:
      return absl::StrCat("is too short for country code ", code);
    case PhoneNumberUtil::INVALID_LENGTH:
      return absl::StrCat("has an invalid length for country code ", code);
    case PhoneNumberUtil::TOO_LONG:
      return absl::StrCat("is too long for country code ", code);
  }
  return absl::StrCat("is not a possible number for country code ", code);
}

// The full libphonenumber parse with `region` already validated.
absl::StatusOr<E164Number> ParseToE164(std::string_view input,
                                       const std::string& region) {
  if (input.size() > PhoneNormalizer::kMaxInputLength) {
    return InvalidPhone(
        input, absl::StrCat("is longer than ", PhoneNormalizer::kMaxInputLength,
                            " characters"));
  }
  if (input.empty()) return InvalidPhone(input, "is not a phone number");
  PhoneNumber number;
  const PhoneNumberUtil::ErrorType error =
      Util().Parse(std::string(input), region, &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    return InvalidPhone(input, ParseErrorText(error));
  }
  // IS_POSSIBLE_LOCAL_ONLY is refused: a number without its area code would
  // make a key that never matches the caller's full number.
  const auto possible = Util().IsPossibleNumberWithReason(number);
  if (possible != PhoneNumberUtil::IS_POSSIBLE) {
    return InvalidPhone(input,
                        PossibilityText(possible, number.country_code()));
  }
  std::string formatted;
  Util().Format(number, PhoneNumberUtil::E164, &formatted);
  const std::optional<E164Number> e164 = E164Number::FromStrict(formatted);
  if (!e164.has_value()) {
    return InvalidPhone(input, "is longer than E.164 allows (15 digits)");
  }
  return *e164;
}

// The fast path for an already validated region.
std::optional<E164Number> FastPath(std::string_view input,
                                   const std::string& region) {
  // ParseToE164 refuses longer input before parsing it.
  if (input.size() > PhoneNormalizer::kMaxInputLength) return std::nullopt;
  return phone_fast_path::Normalize(input, region);
}

}  // namespace

absl::Status ValidateRegion(std::string_view region) {
  return FindRegion(region).status();
}

absl::StatusOr<PhoneNormalizer> PhoneNormalizer::Create(
    std::string_view default_region) {
  ASSIGN_OR_RETURN(const std::string* region, FindRegion(default_region));
  phone_fast_path::Prepare();  // build the tables now, not on the first lookup
  return PhoneNormalizer(*region);
}

absl::StatusOr<const std::string*> PhoneNormalizer::ParseRegion(
    std::string_view region) const {
  if (region.empty()) return &default_region_;
  return FindRegion(region);
}

absl::StatusOr<E164Number> PhoneNormalizer::Normalize(
    std::string_view input, std::string_view region) const {
  // The region is checked even when the fast path answers, so that
  // Normalize and NormalizeSlow agree on every input.
  ASSIGN_OR_RETURN(const std::string* parse_region, ParseRegion(region));
  if (const std::optional<E164Number> fast = FastPath(input, *parse_region)) {
    return *fast;
  }
  return ParseToE164(input, *parse_region);
}

absl::StatusOr<E164Number> PhoneNormalizer::NormalizeSlow(
    std::string_view input, std::string_view region) const {
  ASSIGN_OR_RETURN(const std::string* parse_region, ParseRegion(region));
  return ParseToE164(input, *parse_region);
}

std::optional<E164Number> PhoneNormalizer::TryFastPath(
    std::string_view input, std::string_view region) const {
  const absl::StatusOr<const std::string*> parse_region = ParseRegion(region);
  // The full parse reports an unknown region.
  if (!parse_region.ok()) return std::nullopt;
  return FastPath(input, **parse_region);
}

}  // namespace contactd::index
