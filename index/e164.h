#pragma once
// E164Number: a phone number in E.164 form, held as the integer value of its
// digits ("+15551234567" is 15551234567). E.164 has at most 15 digits and no
// leading zero (country codes start at 1), so the integer is exact and 8
// bytes wide; it is the phone half of every phone index key.

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace contactd::index {

class E164Number {
 public:
  static constexpr size_t kMaxDigits = 15;

  constexpr E164Number() = default;  // the invalid number 0
  explicit constexpr E164Number(uint64_t digits) : digits_(digits) {}

  // Parses the strict form "+" [1-9] digit{0,14}; nullopt for anything else.
  // This is only syntax: PhoneNormalizer decides whether a number is possible.
  static constexpr std::optional<E164Number> FromStrict(std::string_view text) {
    if (text.size() < 2 || text.size() > kMaxDigits + 1 || text[0] != '+' ||
        text[1] < '1' || text[1] > '9') {
      return std::nullopt;
    }
    uint64_t value = 0;
    for (size_t i = 1; i < text.size(); ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    return E164Number(value);
  }

  constexpr uint64_t digits() const { return digits_; }
  constexpr bool valid() const { return digits_ != 0; }

  // "+15551234567". Formatted into a local buffer: `"+" + std::to_string()`
  // trips GCC 12's false-positive -Wrestrict at -O3 (GCC bug 105329).
  std::string ToString() const {
    char text[1 + std::numeric_limits<uint64_t>::digits10 + 1];
    text[0] = '+';
    const auto end = std::to_chars(text + 1, text + sizeof(text), digits_).ptr;
    return std::string(text, end);
  }

  friend constexpr bool operator==(E164Number, E164Number) = default;
  friend constexpr auto operator<=>(E164Number, E164Number) = default;

 private:
  uint64_t digits_ = 0;
};

}  // namespace contactd::index
