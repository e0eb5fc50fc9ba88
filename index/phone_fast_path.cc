#include "index/phone_fast_path.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "phonenumbers/phonemetadata.pb.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"
#include "re2/re2.h"

// The compiled-in metadata (a serialized PhoneMetadataCollection) that
// PhoneNumberUtil loads itself. Debian's libphonenumber.so exports these
// functions but does not install their header (metadata.h), so they are
// declared here with the signatures of libphonenumber's src/phonenumbers/.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace contactd::index::phone_fast_path {
namespace {

using ::i18n::phonenumbers::PhoneMetadata;
using ::i18n::phonenumbers::PhoneMetadataCollection;
using ::i18n::phonenumbers::PhoneNumber;
using ::i18n::phonenumbers::PhoneNumberDesc;
using ::i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber's bounds on a national significant number (kMinLengthForNsn,
// kMaxLengthForNsn) and on a country calling code (kMaxLengthCountryCode).
constexpr size_t kMinNsnLength = 2;
constexpr size_t kMaxNsnLength = 17;
constexpr size_t kMaxCallingCodeLength = 3;
constexpr int kCallingCodeLimit = 1000;  // codes are 1..999

// With fewer digits IsViablePhoneNumber() refuses the input (or, for exactly
// two digits, Parse() finds a number too short to be possible).
constexpr size_t kMinDigits = 3;
// No more digits than characters in the longest input the full parse takes
// (PhoneNormalizer::kMaxInputLength).
constexpr size_t kMaxDigits = 64;

// The separators the fast path accepts between digits; see the header for
// why they cannot change what Parse() does.
constexpr std::string_view kSeparators = " -.()";

// The region code libphonenumber uses for non-geographical entities (+800...).
constexpr std::string_view kNonGeoRegion = "001";

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), IsDigit);
}

re2::StringPiece Piece(std::string_view text) {
  return re2::StringPiece(text.data(), text.size());
}

// ---------------------------------------------------------------------------
// Reading the input.

struct DialString {
  bool plus = false;        // written with a leading '+'
  std::string_view digits;  // the digits, in order, without separators
};

using DigitBuffer = std::array<char, kMaxDigits>;

// Reads input of the form  separator* ['+'] (digit | separator)*  into its
// digits (stored in `buffer`); nullopt for anything else.
std::optional<DialString> ReadDialString(std::string_view input,
                                         DigitBuffer& buffer) {
  DialString dial;
  size_t size = 0;
  for (const char c : input) {
    if (IsDigit(c)) {
      if (size == buffer.size()) return std::nullopt;
      buffer[size++] = c;
    } else if (c == '+' && size == 0 && !dial.plus) {
      dial.plus = true;
    } else if (kSeparators.find(c) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  dial.digits = std::string_view(buffer.data(), size);
  return dial;
}

// ---------------------------------------------------------------------------
// Metadata patterns.

// Capturing groups a national_prefix_for_parsing may have (the metadata has
// two at most). Nine keeps a "$n" of a transform rule to one digit, as ICU
// reads it when a pattern has fewer than ten groups.
constexpr int kMaxGroups = 9;

std::unique_ptr<const RE2> CompileRegex(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<const RE2>(pattern, options);
  if (!regex->ok()) return nullptr;
  return regex;
}

struct PrefixMatch {
  size_t length = 0;  // of the match at the start of the text
  // [0] is the whole match, [n] capturing group n; empty when the group did
  // not take part, as ICU's group() returns.
  std::array<std::string_view, kMaxGroups + 1> groups{};
};

// A metadata pattern matched at the start of a digit string, as
// RegExp::Consume() does (ICU lookingAt(); RE2 has the same Perl semantics).
// A plain digit string, as most international and national prefixes are, is
// compared directly: a call to RE2 costs more than the rest of the fast path.
class PrefixPattern {
 public:
  // nullopt when RE2 does not take the pattern or it has too many groups.
  static std::optional<PrefixPattern> Compile(const std::string& pattern) {
    PrefixPattern compiled;
    if (IsDigits(pattern)) {
      compiled.literal_ = pattern;
      return compiled;
    }
    compiled.regex_ = CompileRegex(pattern);
    if (compiled.regex_ == nullptr ||
        compiled.regex_->NumberOfCapturingGroups() > kMaxGroups) {
      return std::nullopt;
    }
    return compiled;
  }

  int group_count() const {
    return regex_ == nullptr ? 0 : regex_->NumberOfCapturingGroups();
  }

  // Fills match.groups only when `with_groups`: RE2 needs a slower engine
  // for submatches.
  bool Match(std::string_view text, bool with_groups,
             PrefixMatch& match) const {
    if (regex_ == nullptr) {
      if (!text.starts_with(literal_)) return false;
      match.length = literal_.size();
      match.groups[0] = text.substr(0, match.length);
      return true;
    }
    std::array<re2::StringPiece, kMaxGroups + 1> pieces;
    const int count = with_groups ? 1 + group_count() : 1;
    if (!regex_->Match(Piece(text), 0, text.size(), RE2::ANCHOR_START,
                       pieces.data(), count)) {
      return false;
    }
    match.length = pieces[0].size();
    for (int i = 0; i < count; ++i) {
      match.groups[i] = std::string_view(pieces[i].data(), pieces[i].size());
    }
    return true;
  }

 private:
  std::string literal_;  // when regex_ is null
  std::unique_ptr<const RE2> regex_;
};

// A national_prefix_transform_rule: an ICU replacement string such as "9$1"
// or "$2". Only digits and "$n" group references are accepted, which is all
// the metadata has; anything else leaves the region to the full parse.
class TransformRule {
 public:
  static std::optional<TransformRule> Parse(const std::string& rule,
                                            int group_count) {
    for (size_t i = 0; i < rule.size(); ++i) {
      if (rule[i] != '$') {
        if (!IsDigit(rule[i])) return std::nullopt;
      } else if (i + 1 == rule.size() || !IsDigit(rule[i + 1]) ||
                 rule[i + 1] - '0' > group_count) {
        return std::nullopt;
      } else {
        ++i;
      }
    }
    TransformRule parsed;
    parsed.rule_ = rule;
    return parsed;
  }

  bool empty() const { return rule_.empty(); }

  // Appends the replacement of `match` (appendReplacement() in ICU).
  void Apply(const PrefixMatch& match, std::string& out) const {
    for (size_t i = 0; i < rule_.size(); ++i) {
      if (rule_[i] == '$') {
        out.append(match.groups[rule_[++i] - '0']);
      } else {
        out.push_back(rule_[i]);
      }
    }
  }

 private:
  std::string rule_;
};

// What TestNumberLength() says of a national number's length.
enum class Length { kPossible, kLocalOnly, kTooShort, kTooLong, kInvalid };

// TestNumberLength(number, metadata, UNKNOWN): the general description's
// possible lengths (sorted in the metadata) and local-only lengths.
class LengthRule {
 public:
  static std::optional<LengthRule> FromDesc(const PhoneNumberDesc& desc) {
    LengthRule rule;
    // An empty list, or -1 ("no numbers"), never occurs in a general desc.
    if (desc.possible_length().empty() ||
        !AddTo(desc.possible_length(), rule.possible_) ||
        !AddTo(desc.possible_length_local_only(), rule.local_only_)) {
      return std::nullopt;
    }
    // libphonenumber compares with the first and the last entry.
    rule.min_ = static_cast<size_t>(desc.possible_length(0));
    rule.max_ = static_cast<size_t>(
        desc.possible_length(desc.possible_length_size() - 1));
    return rule;
  }

  Length Test(size_t length) const {
    if (Has(local_only_, length)) return Length::kLocalOnly;
    if (length == min_) return Length::kPossible;
    if (length < min_) return Length::kTooShort;
    if (length > max_) return Length::kTooLong;
    return Has(possible_, length) ? Length::kPossible : Length::kInvalid;
  }

 private:
  static bool Has(uint64_t set, size_t length) {
    return length < 64 && ((set >> length) & 1) != 0;
  }
  template <typename Lengths>
  static bool AddTo(const Lengths& lengths, uint64_t& set) {
    for (const int length : lengths) {
      if (length < 1 || length >= 64) return false;
      set |= uint64_t{1} << length;
    }
    return true;
  }

  uint64_t possible_ = 0;    // bit n: n digits are possible
  uint64_t local_only_ = 0;  // bit n: n digits are possible locally only
  size_t min_ = 0;
  size_t max_ = 0;
};

// What ParseHelper() uses of one PhoneMetadata: a region's, or a
// non-geographical entity's.
class ParsingRules {
 public:
  // nullptr when a pattern or rule is beyond what the fast path reproduces.
  static std::unique_ptr<const ParsingRules> FromMetadata(
      const PhoneMetadata& metadata);

  int country_code() const { return country_code_; }

  // ParsePrefixAsIdd(): the digits after the international prefix, nullopt
  // when the number does not start with it.
  std::optional<std::string_view> StripInternationalPrefix(
      std::string_view digits) const;

  // MaybeStripNationalPrefixAndCarrierCode(): the national number without
  // its national prefix and carrier code, a view into `number` or `storage`.
  std::string_view StripNationalPrefix(std::string_view number,
                                       std::string& storage) const;

  // MaybeExtractCountryCode() for digits starting with the region's own
  // calling code: the number after the code, or nullopt when Parse() reads
  // the digits as a national number.
  std::optional<std::string_view> StripOwnCallingCode(
      std::string_view digits, std::string& storage) const;

  // IsMatch(number, general_desc): RegexBasedMatcher's full match.
  bool MatchesGeneralDesc(std::string_view number) const {
    return general_desc_ != nullptr &&
           RE2::FullMatch(Piece(number), *general_desc_);
  }

  Length TestLength(size_t length) const { return lengths_.Test(length); }

 private:
  ParsingRules() = default;

  int country_code_ = 0;
  std::string country_code_text_;
  PrefixPattern international_prefix_;
  std::optional<PrefixPattern> national_prefix_;  // nullopt: none
  TransformRule transform_;                       // empty: none
  // The group whose text decides whether the transform applies: the second
  // when there are two or more, else the first; 0 when there is none.
  int captured_group_ = 0;
  std::unique_ptr<const RE2> general_desc_;  // null: the pattern is empty
  LengthRule lengths_;
};

std::unique_ptr<const ParsingRules> ParsingRules::FromMetadata(
    const PhoneMetadata& metadata) {
  std::unique_ptr<ParsingRules> rules(new ParsingRules());
  rules->country_code_ = metadata.country_code();
  rules->country_code_text_ = std::to_string(metadata.country_code());

  std::optional<PrefixPattern> idd =
      PrefixPattern::Compile(metadata.international_prefix());
  if (!idd.has_value()) return nullptr;
  rules->international_prefix_ = *std::move(idd);

  if (!metadata.national_prefix_for_parsing().empty()) {
    rules->national_prefix_ =
        PrefixPattern::Compile(metadata.national_prefix_for_parsing());
    if (!rules->national_prefix_.has_value()) return nullptr;
  }
  const int groups =
      rules->national_prefix_ ? rules->national_prefix_->group_count() : 0;
  std::optional<TransformRule> transform =
      TransformRule::Parse(metadata.national_prefix_transform_rule(), groups);
  if (!transform.has_value()) return nullptr;
  rules->transform_ = *std::move(transform);
  rules->captured_group_ = std::min(groups, 2);

  const std::string& general =
      metadata.general_desc().national_number_pattern();
  if (!general.empty()) {
    rules->general_desc_ = CompileRegex(general);
    if (rules->general_desc_ == nullptr) return nullptr;
  }
  std::optional<LengthRule> lengths =
      LengthRule::FromDesc(metadata.general_desc());
  if (!lengths.has_value()) return nullptr;
  rules->lengths_ = *lengths;
  return rules;
}

std::optional<std::string_view> ParsingRules::StripInternationalPrefix(
    std::string_view digits) const {
  PrefixMatch match;
  if (!international_prefix_.Match(digits, /*with_groups=*/false, match)) {
    return std::nullopt;
  }
  const std::string_view rest = digits.substr(match.length);
  // Country calling codes never start with 0, so Parse() takes "<IDD>0..."
  // for a national number.
  if (!rest.empty() && rest[0] == '0') return std::nullopt;
  return rest;
}

std::string_view ParsingRules::StripNationalPrefix(std::string_view number,
                                                   std::string& storage) const {
  if (number.empty() || !national_prefix_.has_value()) return number;
  const bool may_transform = !transform_.empty() && captured_group_ > 0;
  PrefixMatch match;
  if (!national_prefix_->Match(number, may_transform, match)) return number;
  std::string_view stripped = number.substr(match.length);
  // The transform applies only when its group captured something (e.g. AR's
  // "0" alone is stripped, "0 11 15..." becomes "9 11...").
  if (may_transform && !match.groups[captured_group_].empty()) {
    storage.clear();
    transform_.Apply(match, storage);
    storage.append(stripped);
    stripped = storage;
  }
  // A number that fits the national pattern is not made into one that
  // does not.
  if (MatchesGeneralDesc(number) && !MatchesGeneralDesc(stripped)) {
    return number;
  }
  return stripped;
}

std::optional<std::string_view> ParsingRules::StripOwnCallingCode(
    std::string_view digits, std::string& storage) const {
  if (!digits.starts_with(country_code_text_)) return std::nullopt;
  const std::string_view national =
      StripNationalPrefix(digits.substr(country_code_text_.size()), storage);
  // The code is taken as such when the digits only fit the national pattern
  // without it, or are too long with it.
  const bool fits_without_code =
      !MatchesGeneralDesc(digits) && MatchesGeneralDesc(national);
  if (fits_without_code || TestLength(digits.size()) == Length::kTooLong) {
    return national;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Tables.

struct CallingCode {
  int value = 0;  // 0: not a country calling code
  // The metadata Parse() uses after "+<code>": that of the code's main
  // region, or of the non-geographical entity. Null: left to the full parse.
  const ParsingRules* rules = nullptr;
  // Bit n is set when a national number of n digits is IS_POSSIBLE.
  uint32_t possible_lengths = 0;
};

// Region codes are two capital letters ("GB"); their index in Tables.
std::optional<size_t> RegionSlot(std::string_view region) {
  if (region.size() != 2 || region[0] < 'A' || region[0] > 'Z' ||
      region[1] < 'A' || region[1] > 'Z') {
    return std::nullopt;
  }
  return static_cast<size_t>(region[0] - 'A') * 26 + (region[1] - 'A');
}

// Asks libphonenumber itself: IsPossibleNumberWithReason() is the check
// PhoneNormalizer applies after the parse.
uint32_t PossibleLengths(int code) {
  uint32_t lengths = 0;
  uint64_t national_number = 1;  // 10^(length-1); only the length matters
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

class Tables {
 public:
  // Built on first use (thread-safe static initialization), then read-only.
  static const Tables& Get() {
    static const Tables* const tables = Build().release();
    return *tables;
  }

  const ParsingRules* ForRegion(std::string_view region) const {
    const std::optional<size_t> slot = RegionSlot(region);
    return slot.has_value() ? regions_[*slot] : nullptr;
  }

  const CallingCode& ForCode(int code) const {
    static constexpr CallingCode kNone;
    return code > 0 && code < kCallingCodeLimit ? codes_[code] : kNone;
  }

  // Splits `digits` like ExtractCountryCode(): the first prefix of 1 to 3
  // digits that is a known calling code (the codes are prefix-free). Null
  // when there is none.
  const CallingCode* SplitCallingCode(std::string_view digits,
                                      std::string_view* national) const {
    int code = 0;
    for (size_t i = 0; i < kMaxCallingCodeLength && i < digits.size(); ++i) {
      code = code * 10 + (digits[i] - '0');
      if (codes_[code].value != 0) {
        *national = digits.substr(i + 1);
        return &codes_[code];
      }
    }
    return nullptr;
  }

 private:
  static std::unique_ptr<Tables> Build();
  void AddMetadata(const PhoneMetadataCollection& collection,
                   absl::flat_hash_map<int, const ParsingRules*>& non_geo);

  std::vector<std::unique_ptr<const ParsingRules>> owned_;
  std::array<CallingCode, kCallingCodeLimit> codes_{};
  std::array<const ParsingRules*, 26 * 26> regions_{};
};

void Tables::AddMetadata(
    const PhoneMetadataCollection& collection,
    absl::flat_hash_map<int, const ParsingRules*>& non_geo) {
  for (const PhoneMetadata& metadata : collection.metadata()) {
    std::unique_ptr<const ParsingRules> rules =
        ParsingRules::FromMetadata(metadata);
    if (rules == nullptr) continue;
    // The first entry wins, as in PhoneNumberUtil's maps.
    if (metadata.id() == kNonGeoRegion) {
      non_geo.try_emplace(metadata.country_code(), rules.get());
    } else if (const auto slot = RegionSlot(metadata.id())) {
      if (regions_[*slot] == nullptr) regions_[*slot] = rules.get();
    }
    owned_.push_back(std::move(rules));
  }
}

std::unique_ptr<Tables> Tables::Build() {
  auto tables = std::make_unique<Tables>();
  PhoneMetadataCollection collection;
  // Without metadata no region or code has rules: the fast path never
  // answers.
  if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
                                 i18n::phonenumbers::metadata_size())) {
    return tables;
  }
  absl::flat_hash_map<int, const ParsingRules*> non_geo;
  tables->AddMetadata(collection, non_geo);

  std::set<int> codes;
  Util().GetSupportedCallingCodes(&codes);
  for (const int code : codes) {
    if (code <= 0 || code >= kCallingCodeLimit) continue;
    CallingCode& entry = tables->codes_[code];
    entry.value = code;
    entry.possible_lengths = PossibleLengths(code);
    // The region Parse() picks for a number written with "+<code>".
    std::string region;
    Util().GetRegionCodeForCountryCode(code, &region);
    if (region == kNonGeoRegion) {
      const auto it = non_geo.find(code);
      if (it != non_geo.end()) entry.rules = it->second;
    } else {
      entry.rules = tables->ForRegion(region);
    }
  }
  return tables;
}

// ---------------------------------------------------------------------------
// The parse.

size_t DecimalDigits(int value) {
  size_t digits = 1;
  while (value >= 10) {
    value /= 10;
    ++digits;
  }
  return digits;
}

// Format(E164) of the parsed number when it passes PhoneNormalizer's checks.
// The national number is kept as written: Parse() records its leading zeros
// (Italian leading zero) and GetNationalSignificantNumber() restores them.
std::optional<E164Number> ToE164(const CallingCode& code,
                                 std::string_view national) {
  // TOO_SHORT_NSN / TOO_LONG_NSN.
  if (national.size() < kMinNsnLength || national.size() > kMaxNsnLength) {
    return std::nullopt;
  }
  // PhoneNormalizer accepts IS_POSSIBLE only.
  if (((code.possible_lengths >> national.size()) & 1) == 0) {
    return std::nullopt;
  }
  // E.164 allows 15 digits; the full parse reports longer numbers.
  if (DecimalDigits(code.value) + national.size() > E164Number::kMaxDigits) {
    return std::nullopt;
  }
  uint64_t digits = static_cast<uint64_t>(code.value);
  for (const char c : national) {
    digits = digits * 10 + static_cast<uint64_t>(c - '0');
  }
  return E164Number(digits);
}

// ParseHelper() once the calling code is known: `rules` is the metadata it
// uses then, `national` the digits after the code.
std::optional<E164Number> ParseNationalNumber(const CallingCode& code,
                                              const ParsingRules& rules,
                                              std::string_view national) {
  if (national.size() < kMinNsnLength) return std::nullopt;  // TOO_SHORT_NSN
  std::string storage;
  const std::string_view stripped =
      rules.StripNationalPrefix(national, storage);
  // A stripped number too short for the region may have been a short number
  // whose first digits only looked like a prefix: Parse() keeps it as is.
  switch (rules.TestLength(stripped.size())) {
    case Length::kTooShort:
    case Length::kInvalid:
      return ToE164(code, national);
    case Length::kLocalOnly:
    case Length::kPossible:
    case Length::kTooLong:
      break;
  }
  return ToE164(code, stripped);
}

// Digits written after '+' or after an international prefix.
std::optional<E164Number> ParseInternational(const Tables& tables,
                                             std::string_view digits) {
  // TOO_SHORT_AFTER_IDD.
  if (digits.size() <= kMinNsnLength) return std::nullopt;
  // Not a calling code: Parse() retries in ways not reproduced here.
  if (digits[0] == '0') return std::nullopt;
  std::string_view national;
  const CallingCode* code = tables.SplitCallingCode(digits, &national);
  if (code == nullptr || code->rules == nullptr) return std::nullopt;
  return ParseNationalNumber(*code, *code->rules, national);
}

// Digits written without '+', read with `region` as the default region.
std::optional<E164Number> ParseWithRegion(const Tables& tables,
                                          const ParsingRules& region,
                                          std::string_view digits) {
  if (const auto after_idd = region.StripInternationalPrefix(digits)) {
    return ParseInternational(tables, *after_idd);
  }
  const CallingCode& home = tables.ForCode(region.country_code());
  if (home.rules == nullptr) return std::nullopt;
  std::string storage;
  if (const auto national = region.StripOwnCallingCode(digits, storage)) {
    // With a code found, ParseHelper() switches to the metadata of the
    // code's main region (US for a number read in CA).
    return ParseNationalNumber(home, *home.rules, *national);
  }
  return ParseNationalNumber(home, region, digits);
}

}  // namespace

void Prepare() { Tables::Get(); }

std::optional<E164Number> Normalize(std::string_view input,
                                    std::string_view region) {
  DigitBuffer buffer;
  const std::optional<DialString> dial = ReadDialString(input, buffer);
  if (!dial.has_value() || dial->digits.size() < kMinDigits) {
    return std::nullopt;
  }
  const Tables& tables = Tables::Get();
  if (dial->plus) return ParseInternational(tables, dial->digits);
  const ParsingRules* rules = tables.ForRegion(region);
  if (rules == nullptr) return std::nullopt;
  return ParseWithRegion(tables, *rules, dial->digits);
}

}  // namespace contactd::index::phone_fast_path
