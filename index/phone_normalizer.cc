#include "index/phone_normalizer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "index/status_macros.h"
#include "phonenumbers/phonemetadata.pb.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

// The compiled-in metadata (a serialized PhoneMetadataCollection) that
// PhoneNumberUtil loads itself. Debian's libphonenumber.so exports these
// functions but does not install their header (metadata.h), so they are
// declared here with the signatures of libphonenumber's src/phonenumbers/.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace contactd::index {
namespace {

using ::i18n::phonenumbers::PhoneMetadata;
using ::i18n::phonenumbers::PhoneMetadataCollection;
using ::i18n::phonenumbers::PhoneNumber;
using ::i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber's bounds on a national significant number (kMinLengthForNsn,
// kMaxLengthForNsn) and on a country calling code (kMaxLengthCountryCode).
constexpr size_t kMinNsnLength = 2;
constexpr size_t kMaxNsnLength = 17;
constexpr size_t kMaxCallingCodeLength = 3;
constexpr int kCallingCodeLimit = 1000;  // codes are 1..999

// How much of the input an error message quotes.
constexpr size_t kMaxQuotedInput = 32;

// The region code libphonenumber uses for non-geographical entities (+800...).
constexpr std::string_view kNonGeoRegion = "001";

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
// Fast-path tables.

// What Parse() would do with the digits after "+<code>".
enum class StripRule : uint8_t {
  kNever,       // the code's region has no national prefix for parsing
  kIfPrefixed,  // a literal digit prefix: Parse may strip it when present
  kAlways,      // a regular expression: any number may be affected
};

struct CallingCodeInfo {
  bool valid = false;
  StripRule strip = StripRule::kAlways;
  // Bit n is set when a national number of n digits is IS_POSSIBLE.
  uint32_t possible_lengths = 0;
  std::string national_prefix;  // for kIfPrefixed
};

using CallingCodeTable = std::array<CallingCodeInfo, kCallingCodeLimit>;

bool IsDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// The metadata Parse() uses for each country calling code: that of the code's
// main region, or of the non-geographical entity. Pointers into `collection`.
absl::flat_hash_map<int, const PhoneMetadata*> MainMetadataByCode(
    const PhoneMetadataCollection& collection) {
  absl::flat_hash_map<std::string, const PhoneMetadata*> by_region;
  absl::flat_hash_map<int, const PhoneMetadata*> non_geo_by_code;
  for (const PhoneMetadata& metadata : collection.metadata()) {
    if (metadata.id() == kNonGeoRegion) {
      non_geo_by_code[metadata.country_code()] = &metadata;
    } else {
      by_region[metadata.id()] = &metadata;
    }
  }
  std::set<int> codes;
  Util().GetSupportedCallingCodes(&codes);
  absl::flat_hash_map<int, const PhoneMetadata*> result;
  for (const int code : codes) {
    // The region Parse() picks for a number written with "+<code>".
    std::string region;
    Util().GetRegionCodeForCountryCode(code, &region);
    if (region == kNonGeoRegion) {
      const auto it = non_geo_by_code.find(code);
      if (it != non_geo_by_code.end()) result[code] = it->second;
    } else if (const auto it = by_region.find(region); it != by_region.end()) {
      result[code] = it->second;
    }
  }
  return result;
}

StripRule StripRuleFor(const PhoneMetadata* metadata) {
  if (metadata == nullptr) return StripRule::kAlways;  // unknown: be safe
  const std::string& prefix = metadata->national_prefix_for_parsing();
  if (prefix.empty()) return StripRule::kNever;
  return IsDigits(prefix) ? StripRule::kIfPrefixed : StripRule::kAlways;
}

uint32_t PossibleLengths(int code) {
  uint32_t lengths = 0;
  uint64_t national_number = 1;  // 10^(length-1): no leading zero
  for (size_t length = 1; length <= kMaxNsnLength; ++length) {
    PhoneNumber number;
    number.set_country_code(code);
    number.set_national_number(national_number);
    if (Util().IsPossibleNumberWithReason(number) ==
        PhoneNumberUtil::IS_POSSIBLE) {
      lengths |= uint32_t{1} << length;
    }
    national_number *= 10;
  }
  return lengths;
}

std::unique_ptr<CallingCodeTable> BuildCallingCodeTable() {
  auto table = std::make_unique<CallingCodeTable>();
  PhoneMetadataCollection collection;
  const bool parsed = collection.ParseFromArray(
      i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size());
  // Without metadata every code keeps kAlways: the fast path never answers.
  const auto metadata_by_code =
      parsed ? MainMetadataByCode(collection)
             : absl::flat_hash_map<int, const PhoneMetadata*>();

  std::set<int> codes;
  Util().GetSupportedCallingCodes(&codes);
  for (const int code : codes) {
    if (code <= 0 || code >= kCallingCodeLimit) continue;
    CallingCodeInfo& info = (*table)[code];
    info.valid = true;
    info.possible_lengths = PossibleLengths(code);
    const auto it = metadata_by_code.find(code);
    const PhoneMetadata* metadata =
        it == metadata_by_code.end() ? nullptr : it->second;
    info.strip = StripRuleFor(metadata);
    if (info.strip == StripRule::kIfPrefixed) {
      info.national_prefix = metadata->national_prefix_for_parsing();
    }
  }
  return table;
}

// Built on first use (thread-safe static initialization), then read-only.
const CallingCodeTable& CallingCodes() {
  static const CallingCodeTable* const table =
      BuildCallingCodeTable().release();
  return *table;
}

// Splits `digits` like ExtractCountryCode() in libphonenumber: the first
// prefix of 1 to 3 digits that is a known calling code (the codes are
// prefix-free). Returns nullptr when there is none.
const CallingCodeInfo* SplitCallingCode(std::string_view digits,
                                        std::string_view* national_number) {
  const CallingCodeTable& table = CallingCodes();
  int code = 0;
  for (size_t i = 0; i < kMaxCallingCodeLength && i < digits.size(); ++i) {
    code = code * 10 + (digits[i] - '0');
    if (table[code].valid) {
      *national_number = digits.substr(i + 1);
      return &table[code];
    }
  }
  return nullptr;
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

}  // namespace

absl::Status ValidateRegion(std::string_view region) {
  return FindRegion(region).status();
}

absl::StatusOr<PhoneNormalizer> PhoneNormalizer::Create(
    std::string_view default_region) {
  ASSIGN_OR_RETURN(const std::string* region, FindRegion(default_region));
  CallingCodes();  // build the fast-path tables now, not on the first lookup
  return PhoneNormalizer(*region);
}

absl::StatusOr<E164Number> PhoneNormalizer::Normalize(
    std::string_view input, std::string_view region) const {
  const std::string* parse_region = &default_region_;
  if (!region.empty()) {
    // Checked even when the fast path answers, so that Normalize and
    // NormalizeSlow agree on every input.
    ASSIGN_OR_RETURN(parse_region, FindRegion(region));
  }
  if (const std::optional<E164Number> fast = TryFastPath(input)) return *fast;
  return ParseToE164(input, *parse_region);
}

absl::StatusOr<E164Number> PhoneNormalizer::NormalizeSlow(
    std::string_view input, std::string_view region) const {
  const std::string* parse_region = &default_region_;
  if (!region.empty()) {
    ASSIGN_OR_RETURN(parse_region, FindRegion(region));
  }
  return ParseToE164(input, *parse_region);
}

// Parse() of "+<code><national number>" extracts the code as SplitCallingCode
// does, then may strip a national prefix, then sets the Italian leading zero.
// When none of that can change the digits and the length is possible, the
// result is the input itself.
std::optional<E164Number> PhoneNormalizer::TryFastPath(
    std::string_view input) const {
  const std::optional<E164Number> number = E164Number::FromStrict(input);
  if (!number.has_value()) return std::nullopt;
  std::string_view national_number;
  const CallingCodeInfo* info =
      SplitCallingCode(input.substr(1), &national_number);
  if (info == nullptr) return std::nullopt;
  // Too short for Parse() (TOO_SHORT_NSN), or a leading zero it keeps aside.
  if (national_number.size() < kMinNsnLength || national_number[0] == '0') {
    return std::nullopt;
  }
  if ((info->possible_lengths & (uint32_t{1} << national_number.size())) == 0) {
    return std::nullopt;
  }
  switch (info->strip) {
    case StripRule::kNever:
      break;
    case StripRule::kIfPrefixed:
      if (national_number.starts_with(info->national_prefix)) {
        return std::nullopt;
      }
      break;
    case StripRule::kAlways:
      return std::nullopt;
  }
  return number;
}

}  // namespace contactd::index
