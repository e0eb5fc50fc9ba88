#pragma once
// The fast path of PhoneNormalizer (index/phone_normalizer.h): what
// libphonenumber's Parse(), IsPossibleNumberWithReason() == IS_POSSIBLE and
// Format(E164) give for the common shapes of input, without the full parse
// (17-22 µs with Debian's ICU regex backend).
//
// Accepted input: digits and the separators " -.()", optionally after one
// '+' that comes before every digit ("+44 7700 900123", "(201) 555-0123",
// "011 44 20 7946 0018"). For such input Parse() reduces to its digits:
//   - ExtractPossibleNumber() skips the leading separators and trims the
//     trailing ones; the "second number" pattern needs '/' or '\'.
//   - No extension pattern can match: each needs a letter, '#', '~', ',' or
//     ';' (";ext=", "ext.", "x", "#", "~", "int", ",,", ";", or the American
//     "- 503#").
//   - IsViablePhoneNumber() accepts any such string with 3 digits or more.
//   - Normalize() then drops every separator.
// From the digits on, the steps of ParseHelper() are redone with tables and
// RE2 patterns built once from the same compiled-in metadata:
//   - "+": the country calling code, as ExtractCountryCode().
//   - no "+": the region's international prefix (ParsePrefixAsIdd(), which
//     refuses a prefix followed by 0), else a number starting with the
//     region's own calling code (MaybeExtractCountryCode()'s general_desc /
//     TOO_LONG rule), else a national number of the region.
//   - MaybeStripNationalPrefixAndCarrierCode(): national_prefix_for_parsing,
//     national_prefix_transform_rule and the general_desc viability rule;
//     the stripped number is kept unless TestNumberLength() says TOO_SHORT,
//     IS_POSSIBLE_LOCAL_ONLY or INVALID_LENGTH.
//   - Italian leading zeros: E.164 keeps the national number as written.
// Anything else (other characters, fewer than 3 digits, "+0", a prefix or a
// code the tables do not know, any failure) returns nullopt, and the caller
// runs the full parse, so that errors are libphonenumber's own.
//
// Metadata patterns are matched with RE2: libphonenumber writes them for both
// of its regex backends (ICU and RE2), with Perl semantics in both.
// tests/index/phone_normalizer_test.cc compares the result with the full
// parse on a large generated corpus for every region.
//
// Thread safety: the tables are built once (thread-safe static
// initialization) and only read afterwards; RE2 matching is thread-safe.

#include <optional>
#include <string_view>

#include "index/e164.h"

namespace contactd::index::phone_fast_path {

// Builds the tables (~250 regions' patterns) now rather than on first use.
void Prepare();

// The E.164 form of `input` read with `region` (a canonical supported region
// code such as "GB") as the default region; nullopt when the full parse must
// decide. The caller checks the input length limit of the full parse.
std::optional<E164Number> Normalize(std::string_view input,
                                    std::string_view region);

}  // namespace contactd::index::phone_fast_path
