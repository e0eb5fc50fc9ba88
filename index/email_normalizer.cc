#include "index/email_normalizer.h"

#include <algorithm>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::index {
namespace {

static_assert(kMaxEmailLength <= std::numeric_limits<uint8_t>::max(),
              "NormalizedEmail stores its size in a uint8_t");

// How much of the input an error message quotes.
constexpr size_t kMaxQuotedInput = 64;

absl::Status InvalidEmail(std::string_view email, std::string_view why) {
  return InvalidArgument(
      Reason::kInvalidEmail,
      absl::StrCat(QuoteInput(email, kMaxQuotedInput), " ", ToAbsl(why)));
}

bool IsAsciiSpace(char c) {
  return absl::ascii_isspace(static_cast<unsigned char>(c));
}

// Rule 1 of the header.
std::string_view TrimAsciiWhitespace(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool IsSpaceOrControl(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20 || byte == 0x7f;
}

// Rule 5 of the header: at least one dot, no empty label.
absl::Status CheckDomain(std::string_view email, std::string_view domain) {
  if (domain.find('.') == std::string_view::npos) {
    return InvalidEmail(email, "has a domain without a dot");
  }
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return InvalidEmail(email, "has an empty label in its domain");
  }
  return absl::OkStatus();
}

// Rules 2 to 5 of the header on the trimmed address.
absl::Status CheckShape(std::string_view email) {
  if (email.empty()) {
    return InvalidArgument(Reason::kInvalidEmail, "email address is empty");
  }
  if (email.size() > kMaxEmailLength) {
    return InvalidEmail(
        email, absl::StrCat("is longer than ", kMaxEmailLength, " bytes"));
  }
  if (std::any_of(email.begin(), email.end(), IsSpaceOrControl)) {
    return InvalidEmail(email, "contains a space or control character");
  }
  const size_t at = email.find('@');
  if (at == std::string_view::npos) return InvalidEmail(email, "has no '@'");
  if (email.find('@', at + 1) != std::string_view::npos) {
    return InvalidEmail(email, "has more than one '@'");
  }
  if (at == 0) return InvalidEmail(email, "has an empty local part");
  if (at + 1 == email.size()) return InvalidEmail(email, "has an empty domain");
  return CheckDomain(email, email.substr(at + 1));
}

}  // namespace

absl::StatusOr<NormalizedEmail> NormalizeEmail(std::string_view input) {
  const std::string_view email = TrimAsciiWhitespace(input);
  if (absl::Status status = CheckShape(email); !status.ok()) return status;
  NormalizedEmail result;
  std::transform(email.begin(), email.end(), result.bytes_, [](char c) {
    return absl::ascii_tolower(static_cast<unsigned char>(c));
  });
  result.size_ = static_cast<uint8_t>(email.size());
  return result;
}

bool IsNormalizedEmail(std::string_view address) {
  // CheckShape refuses white space anywhere, so nothing would be trimmed.
  return CheckShape(address).ok() &&
         std::none_of(address.begin(), address.end(), [](char c) {
           return absl::ascii_isupper(static_cast<unsigned char>(c));
         });
}

}  // namespace contactd::index
