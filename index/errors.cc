#include "index/errors.h"

#include <array>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace contactd::index {
namespace {

constexpr char kReasonPayloadUrl[] = "type.contactd/reason";

constexpr std::array<std::string_view, 22> kReasonNames = {
    "NONE",
    "INVALID_PHONE",
    "INVALID_EMAIL",
    "INVALID_ID",
    "FIELD_TOO_LONG",
    "INVALID_ENUM",
    "TOO_MANY_PHONES",
    "TOO_MANY_EMAILS",
    "TOO_MANY_TAGS",
    "MULTIPLE_PRIMARY_PHONES",
    "MULTIPLE_PRIMARY_EMAILS",
    "DUPLICATE_PHONE",
    "DUPLICATE_EMAIL",
    "INVALID_TAG",
    "INVALID_REGION",
    "CONTACT_NOT_FOUND",
    "PHONE_NOT_FOUND",
    "EMAIL_NOT_FOUND",
    "TAG_NOT_FOUND",
    "ALREADY_EXISTS",
    "EXTERNAL_ID_CONFLICT",
    "PERMISSION_DENIED",
};

}  // namespace

std::string_view ReasonName(Reason reason) {
  const auto i = static_cast<size_t>(reason);
  return i < kReasonNames.size() ? kReasonNames[i] : "UNKNOWN";
}

Reason ReasonOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kReasonPayloadUrl);
  if (!payload.has_value()) return Reason::kNone;
  const std::string name(*payload);
  for (size_t i = 0; i < kReasonNames.size(); ++i) {
    if (kReasonNames[i] == name) return static_cast<Reason>(i);
  }
  return Reason::kNone;
}

std::string QuoteInput(std::string_view text, size_t max_bytes) {
  const bool truncated = text.size() > max_bytes;
  return absl::StrCat("'", absl::CHexEscape(ToAbsl(text.substr(0, max_bytes))),
                      truncated ? "...'" : "'");
}

absl::Status MakeError(absl::StatusCode code, Reason reason,
                       std::string_view message) {
  absl::Status status(code, std::string(message));
  status.SetPayload(kReasonPayloadUrl,
                    absl::Cord(std::string(ReasonName(reason))));
  return status;
}

}  // namespace contactd::index
