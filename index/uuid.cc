#include "index/uuid.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::index {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

}  // namespace

absl::StatusOr<Uuid> Uuid::Parse(std::string_view text) {
  auto invalid = [&] {
    return InvalidArgument(
        Reason::kInvalidId,
        absl::StrCat("'", std::string(text.substr(0, 64)),
                     "' is not a UUID (want "
                     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"));
  };
  if (text.size() != kTextSize) return invalid();
  std::array<uint8_t, kSize> bytes{};
  size_t out = 0;
  for (size_t i = 0; i < kTextSize; ++i) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return invalid();
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[++i]);
    if (hi < 0 || lo < 0) return invalid();
    bytes[out++] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return Uuid(bytes);
}

Uuid Uuid::Random() {
  thread_local absl::BitGen gen;
  std::array<uint8_t, kSize> bytes;
  for (size_t i = 0; i < kSize; i += 8) {
    const uint64_t r = absl::Uniform<uint64_t>(gen);
    for (size_t j = 0; j < 8; ++j)
      bytes[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return Uuid(bytes);
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(kTextSize);
  for (size_t i = 0; i < kSize; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes_[i] >> 4]);
    text.push_back(kHex[bytes_[i] & 0xf]);
  }
  return text;
}

}  // namespace contactd::index
