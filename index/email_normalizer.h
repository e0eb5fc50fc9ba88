#pragma once
// Email normalization: trim surrounding white space, lowercase, and check the
// shape (one '@', non-empty local part and domain, no spaces or control
// characters, at most 254 bytes). Malformed input is INVALID_EMAIL.
//
//   NormalizeEmail("  John@Example.COM ") -> "john@example.com"
//   NormalizeEmail("john@localhost")      -> INVALID_EMAIL
//
// Rules, in order (the first that fails names the error):
//   1. ASCII white space is trimmed from both ends.
//   2. The rest is not empty and at most kMaxEmailLength bytes.
//   3. No ASCII space or control character (0x00-0x20, 0x7f) is left inside.
//   4. Exactly one '@', with a non-empty local part before it.
//   5. The domain has at least one dot and no empty label ("a@b..com",
//      "a@.com", "a@com." are refused). Dotless domains such as "localhost"
//      are refused too: a contact's address must be reachable from outside.
// This is a shape check, not RFC 5322: quoted local parts are not parsed, and
// bytes >= 0x80 (UTF-8 addresses) are kept as they are. Only ASCII letters
// are lowercased, in the local part as well as the domain.
//
// NormalizedEmail keeps the result inline so a lookup normalizes without a
// heap allocation.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace contactd::index {

inline constexpr size_t kMaxEmailLength = 254;

class NormalizedEmail {
 public:
  std::string_view view() const { return {bytes_, size_}; }
  std::string ToString() const { return std::string(view()); }

 private:
  friend absl::StatusOr<NormalizedEmail> NormalizeEmail(std::string_view input);
  char bytes_[kMaxEmailLength];
  uint8_t size_ = 0;
};

absl::StatusOr<NormalizedEmail> NormalizeEmail(std::string_view input);

// Whether NormalizeEmail(address) would return `address` unchanged: how a
// stored address is checked, without copying it (a snapshot load checks
// millions).
bool IsNormalizedEmail(std::string_view address);

}  // namespace contactd::index
