#pragma once
// Error reasons: the machine-readable "why" attached to an absl::Status.
//
// The status code says what kind of failure it is (kInvalidArgument,
// kNotFound, ...); the reason says which rule failed (INVALID_PHONE,
// FIELD_TOO_LONG, ...). Both travel together: the binary protocol puts the
// reason in its reply, the HTTP API in {"error": {"reason": ...}}.
//
// Example:
//   return InvalidArgument(Reason::kInvalidPhone, "'anonymous' is not a phone
//   number");
//   ...
//   if (ReasonOf(status) == Reason::kInvalidPhone) { ... }

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace contactd::index {

// NOTE: the numeric values travel on the wire (protocol/); do not change them,
// append new reasons at the end. A retired reason stays as a comment.
enum class Reason : uint16_t {
  kNone = 0,
  kInvalidPhone = 1,
  kInvalidEmail = 2,
  kInvalidId = 3,
  kFieldTooLong = 4,
  kInvalidEnum = 5,
  kTooManyPhones = 6,
  kTooManyEmails = 7,
  kTooManyTags = 8,
  kMultiplePrimaryPhones = 9,
  kMultiplePrimaryEmails = 10,
  kDuplicatePhone = 11,
  kDuplicateEmail = 12,
  kInvalidTag = 13,
  kInvalidRegion = 14,
  kContactNotFound = 15,
  kPhoneNotFound = 16,
  kEmailNotFound = 17,
  kTagNotFound = 18,
  kAlreadyExists = 19,
  kExternalIdConflict = 20,
  kPermissionDenied = 21,
};

// "INVALID_PHONE" for Reason::kInvalidPhone; "NONE" for kNone.
std::string_view ReasonName(Reason reason);

// The reason attached to `status`, or kNone when it has none (or is OK).
Reason ReasonOf(const absl::Status& status);

// Builds a status with `code`, `reason` and a human-readable `message`.
absl::Status MakeError(absl::StatusCode code, Reason reason,
                       std::string_view message);

// Debian's Abseil has its own absl::string_view, not an alias of
// std::string_view, so the two need an explicit conversion.
inline absl::string_view ToAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

// Untrusted input for an error message: quoted, cut to `max_bytes` ("..."
// marks the cut) and C-escaped, so it cannot garble a log line.
std::string QuoteInput(std::string_view text, size_t max_bytes);

inline absl::Status InvalidArgument(Reason reason, std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, reason, message);
}
inline absl::Status NotFound(Reason reason, std::string_view message) {
  return MakeError(absl::StatusCode::kNotFound, reason, message);
}
inline absl::Status AlreadyExists(Reason reason, std::string_view message) {
  return MakeError(absl::StatusCode::kAlreadyExists, reason, message);
}

}  // namespace contactd::index
