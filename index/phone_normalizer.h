#pragma once
// PhoneNormalizer: turns a phone number as entered into its E.164 form, with
// libphonenumber.
//
//   auto normalizer = PhoneNormalizer::Create("US");
//   normalizer->Normalize("(555) 123-4567")        -> +15551234567
//   normalizer->Normalize("020 7946 0018", "GB")   -> +442079460018
//   normalizer->Normalize("anonymous")             -> INVALID_PHONE
//
// A number is accepted when libphonenumber considers it *possible* for its
// country (right length), not only *valid* (assigned range), so the
// fictional 555 numbers of films and tests work.
//
// Fast path (index/phone_fast_path.h): input made of digits and the
// separators " -.()", with or without a leading "+" -- strict E.164,
// libphonenumber's INTERNATIONAL and NATIONAL formats, numbers dialled with
// an international prefix -- is read by redoing libphonenumber's parsing
// steps from tables and RE2 patterns built once from its metadata, instead
// of a full parse (~20 us). It answers only with what the full parse would
// return and defers to it for anything else (other characters, unusual
// prefixes, every error); tests/index/phone_normalizer_test.cc checks the
// agreement on a large generated set for every region.
//
// Thread safety: const methods may be called from any number of threads.

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "index/e164.h"

namespace contactd::index {

class PhoneNormalizer {
 public:
  // Maximum input length accepted; longer input is INVALID_PHONE.
  static constexpr size_t kMaxInputLength = 64;

  // `default_region` is an ISO 3166 region code ("US", "GB"); error
  // INVALID_REGION when libphonenumber does not know it.
  static absl::StatusOr<PhoneNormalizer> Create(
      std::string_view default_region = "US");

  // Normalizes `input`. `region` overrides the default region for numbers
  // written without a country code; empty means the default. Errors:
  // INVALID_PHONE (not a possible phone number), INVALID_REGION.
  absl::StatusOr<E164Number> Normalize(std::string_view input,
                                       std::string_view region = {}) const;

  // The full libphonenumber parse, never the fast path.
  absl::StatusOr<E164Number> NormalizeSlow(std::string_view input,
                                           std::string_view region = {}) const;

  // The fast path alone: the answer of Normalize(input, region) when it needs
  // no full parse; nullopt when the full parse must decide (including for an
  // unknown region).
  std::optional<E164Number> TryFastPath(std::string_view input,
                                        std::string_view region = {}) const;

  const std::string& default_region() const { return default_region_; }

 private:
  explicit PhoneNormalizer(std::string default_region)
      : default_region_(std::move(default_region)) {}

  // The canonical region to parse with: `region`, or the default when it is
  // empty. Error: INVALID_REGION.
  absl::StatusOr<const std::string*> ParseRegion(std::string_view region) const;

  std::string default_region_;
};

// OK when libphonenumber knows `region` (e.g. "US", "GB"); INVALID_REGION
// otherwise.
absl::Status ValidateRegion(std::string_view region);

}  // namespace contactd::index
