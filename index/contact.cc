#include "index/contact.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "index/errors.h"

namespace contactd::index {
namespace {

constexpr std::array<std::string_view, 5> kPhoneTypeNames = {
    "mobile", "work", "home", "fax", "other"};
constexpr std::array<std::string_view, 3> kEmailTypeNames = {"work", "personal",
                                                             "other"};
constexpr std::array<std::string_view, 4> kSourceNames = {"manual", "import",
                                                          "api", "sync"};

template <typename Enum, size_t N>
absl::StatusOr<Enum> ParseEnum(std::string_view what, std::string_view name,
                               const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return InvalidArgument(
      Reason::kInvalidEnum,
      absl::StrCat("unknown ", std::string(what), " '",
                   std::string(name.substr(0, 64)), "' (one of: ",
                   absl::StrJoin(names.begin(), names.end(), ", ",
                                 [](std::string* out, std::string_view n) {
                                   out->append(n);
                                 }),
                   ")"));
}

template <size_t N>
std::string_view EnumName(uint8_t value,
                          const std::array<std::string_view, N>& names) {
  return value < N ? names[value] : "unknown";
}

}  // namespace

std::string_view PhoneTypeName(PhoneType type) {
  return EnumName(static_cast<uint8_t>(type), kPhoneTypeNames);
}
std::string_view EmailTypeName(EmailType type) {
  return EnumName(static_cast<uint8_t>(type), kEmailTypeNames);
}
std::string_view SourceName(Source source) {
  return EnumName(static_cast<uint8_t>(source), kSourceNames);
}

absl::StatusOr<PhoneType> ParsePhoneType(std::string_view name) {
  return ParseEnum<PhoneType>("phone type", name, kPhoneTypeNames);
}
absl::StatusOr<EmailType> ParseEmailType(std::string_view name) {
  return ParseEnum<EmailType>("email type", name, kEmailTypeNames);
}
absl::StatusOr<Source> ParseSource(std::string_view name) {
  return ParseEnum<Source>("source", name, kSourceNames);
}

bool operator==(const PhoneNumber& a, const PhoneNumber& b) {
  return a.id == b.id && a.number == b.number &&
         a.number_e164 == b.number_e164 && a.type == b.type &&
         a.is_primary == b.is_primary && a.tm_create == b.tm_create;
}

bool operator==(const Email& a, const Email& b) {
  return a.id == b.id && a.address == b.address && a.type == b.type &&
         a.is_primary == b.is_primary && a.tm_create == b.tm_create;
}

}  // namespace contactd::index
