#pragma once
// Uuid: a 16-byte RFC 4122 identifier (contacts, phone numbers, emails and
// tenants are all named by one).
//
//   absl::StatusOr<Uuid> id =
//   Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890ab"); Uuid fresh =
//   Uuid::Random();          // version 4 std::string text = fresh.ToString();
//   // lowercase, 36 characters

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace contactd::index {

class Uuid {
 public:
  static constexpr size_t kSize = 16;
  static constexpr size_t kTextSize = 36;

  // The nil UUID (all zero bytes): "no id".
  constexpr Uuid() = default;
  explicit constexpr Uuid(const std::array<uint8_t, kSize>& bytes)
      : bytes_(bytes) {}

  // Parses the canonical 8-4-4-4-12 hex form, either case. Error reason:
  // INVALID_ID.
  static absl::StatusOr<Uuid> Parse(std::string_view text);
  // A random version-4 UUID from a per-thread generator seeded by the OS.
  static Uuid Random();

  bool is_nil() const { return *this == Uuid(); }
  const std::array<uint8_t, kSize>& bytes() const { return bytes_; }
  std::string ToString() const;

  // The id as two native-endian 64-bit words (hashing, fast equality).
  uint64_t word(size_t i) const {
    uint64_t w;
    std::memcpy(&w, bytes_.data() + 8 * i, sizeof(w));
    return w;
  }

  // Equality on two words rather than a 16-byte memcmp call: it is on every
  // lookup's path (tenant and id checks).
  friend bool operator==(const Uuid& a, const Uuid& b) {
    return ((a.word(0) ^ b.word(0)) | (a.word(1) ^ b.word(1))) == 0;
  }
  // Bytewise order, on byte-swapped words rather than a memcmp call (tree
  // navigation compares ids on every level).
  friend std::strong_ordering operator<=>(const Uuid& a, const Uuid& b) {
    const uint64_t a0 = BigEndianWord(a, 0);
    const uint64_t b0 = BigEndianWord(b, 0);
    if (a0 != b0) return a0 <=> b0;
    return BigEndianWord(a, 1) <=> BigEndianWord(b, 1);
  }

  template <typename H>
  friend H AbslHashValue(H h, const Uuid& id) {
    return H::combine_contiguous(std::move(h), id.bytes_.data(), kSize);
  }

 private:
  static uint64_t BigEndianWord(const Uuid& id, size_t i) {
    const uint64_t w = id.word(i);
    return std::endian::native == std::endian::little ? __builtin_bswap64(w)
                                                      : w;
  }

  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace contactd::index
