#pragma once
// Status codes of the binary protocol: the first byte of every response
// body. An error response also carries an index::Reason (which rule failed)
// and a short message; docs/protocol.md lists when each is sent.
//
//   WireStatus code = ToWireStatus(status);    // absl::Status -> wire
//   absl::Status s = FromWireStatus(code, reason, message);  // and back

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "index/errors.h"

namespace contactd::protocol {

// NOTE: on the wire: do not change the values; append new codes at the end.
enum class WireStatus : uint8_t {
  kOk = 0,
  kNotFound = 1,
  kInvalidArgument = 2,
  kAlreadyExists = 3,
  kUnauthenticated = 4,
  kPermissionDenied = 5,
  kFrameTooLarge = 6,
  kUnsupportedVersion = 7,
  kBusy = 8,
  kInternal = 9,
  kMalformedFrame = 10,  // a body that does not parse, bad magic, bad flags
  kUnknownOpcode = 11,
};
inline constexpr uint8_t kMaxWireStatus = 11;

// "NOT_FOUND" for WireStatus::kNotFound; "UNKNOWN" for any other byte.
std::string_view WireStatusName(WireStatus status);

// The wire code for an absl::Status from the index or the server:
// kInvalidArgument/kFailedPrecondition -> INVALID_ARGUMENT, kNotFound,
// kAlreadyExists, kUnauthenticated, kPermissionDenied map one to one,
// kResourceExhausted/kUnavailable -> BUSY, anything else -> INTERNAL.
WireStatus ToWireStatus(const absl::Status& status);

// The absl::Status a client reports for a wire error (kOk -> OkStatus()).
// The reason rides along as the status payload (index::ReasonOf).
absl::Status FromWireStatus(WireStatus status, index::Reason reason,
                            std::string_view message);

}  // namespace contactd::protocol
