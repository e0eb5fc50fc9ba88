#include "protocol/wire_status.h"

#include <array>

namespace contactd::protocol {
namespace {

constexpr std::array<std::string_view, kMaxWireStatus + 1> kNames = {
    "OK",
    "NOT_FOUND",
    "INVALID_ARGUMENT",
    "ALREADY_EXISTS",
    "UNAUTHENTICATED",
    "PERMISSION_DENIED",
    "FRAME_TOO_LARGE",
    "UNSUPPORTED_VERSION",
    "BUSY",
    "INTERNAL",
    "MALFORMED_FRAME",
    "UNKNOWN_OPCODE",
};

}  // namespace

std::string_view WireStatusName(WireStatus status) {
  const auto i = static_cast<size_t>(status);
  return i < kNames.size() ? kNames[i] : "UNKNOWN";
}

WireStatus ToWireStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return WireStatus::kOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return WireStatus::kInvalidArgument;
    case absl::StatusCode::kNotFound:
      return WireStatus::kNotFound;
    case absl::StatusCode::kAlreadyExists:
      return WireStatus::kAlreadyExists;
    case absl::StatusCode::kUnauthenticated:
      return WireStatus::kUnauthenticated;
    case absl::StatusCode::kPermissionDenied:
      return WireStatus::kPermissionDenied;
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
      return WireStatus::kBusy;
    default:
      return WireStatus::kInternal;
  }
}

absl::Status FromWireStatus(WireStatus status, index::Reason reason,
                            std::string_view message) {
  absl::StatusCode code = absl::StatusCode::kInternal;
  switch (status) {
    case WireStatus::kOk:
      return absl::OkStatus();
    case WireStatus::kNotFound:
      code = absl::StatusCode::kNotFound;
      break;
    case WireStatus::kInvalidArgument:
    case WireStatus::kMalformedFrame:
    case WireStatus::kUnknownOpcode:
      code = absl::StatusCode::kInvalidArgument;
      break;
    case WireStatus::kAlreadyExists:
      code = absl::StatusCode::kAlreadyExists;
      break;
    case WireStatus::kUnauthenticated:
      code = absl::StatusCode::kUnauthenticated;
      break;
    case WireStatus::kPermissionDenied:
      code = absl::StatusCode::kPermissionDenied;
      break;
    case WireStatus::kFrameTooLarge:
      code = absl::StatusCode::kResourceExhausted;
      break;
    case WireStatus::kUnsupportedVersion:
      code = absl::StatusCode::kFailedPrecondition;
      break;
    case WireStatus::kBusy:
      code = absl::StatusCode::kUnavailable;
      break;
    case WireStatus::kInternal:
      break;
  }
  // Codes that share an absl code with another keep their wire name.
  const bool ambiguous = status == WireStatus::kMalformedFrame ||
                         status == WireStatus::kUnknownOpcode ||
                         status == WireStatus::kFrameTooLarge ||
                         status == WireStatus::kUnsupportedVersion ||
                         status == WireStatus::kBusy;
  if (!ambiguous) return index::MakeError(code, reason, message);
  return index::MakeError(
      code, reason,
      std::string(WireStatusName(status)) + ": " + std::string(message));
}

}  // namespace contactd::protocol
