#pragma once
// The prefix every response body starts with, and the helpers around it.
//
//   reply body = status:u8 reason:u16 message:str payload
//
// status is a WireStatus, reason an index::Reason (which rule failed; NONE
// on OK), message a short human-readable text (empty on OK). On OK the
// opcode's payload follows (docs/protocol.md); an error reply has no payload.
//
// Server:
//   EncodeErrorReply(out, status);           // from an absl::Status
//   EncodeOkPrefix(out); ... append payload ...
// Client:
//   ReplyPrefix prefix;
//   RETURN_IF_ERROR(DecodeReplyPrefix(body, prefix));  // malformed reply
//   RETURN_IF_ERROR(ReplyStatus(prefix));              // the server's error
//   RETURN_IF_ERROR(DecodeGetReply(prefix.payload, reply));
// or, shorter: ASSIGN_OR_RETURN(auto payload, OkPayload(body));

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/errors.h"
#include "protocol/wire_status.h"

namespace contactd::protocol {

// Bytes of the prefix of an OK reply (status, reason, empty message).
inline constexpr size_t kOkPrefixSize = 5;
// Error messages longer than this are cut (do not change: on the wire).
inline constexpr size_t kMaxErrorMessageBytes = 1024;

struct ReplyPrefix {
  WireStatus status = WireStatus::kOk;
  index::Reason reason = index::Reason::kNone;
  std::string_view message;          // a view into the body
  std::span<const uint8_t> payload;  // the bytes after the prefix

  bool ok() const { return status == WireStatus::kOk; }
};

// Appends an OK prefix: 00 0000 0000. The payload is appended after it.
void EncodeOkPrefix(std::string& out);

// Appends a complete error reply body. `message` is cut to
// kMaxErrorMessageBytes. REQUIRES: status != WireStatus::kOk.
void EncodeErrorReply(std::string& out, WireStatus status, index::Reason reason,
                      std::string_view message);
// The same from a non-OK absl::Status: ToWireStatus(status),
// index::ReasonOf(status) and status.message().
void EncodeErrorReply(std::string& out, const absl::Status& status);

// Reads the prefix of a reply body. Any status byte and reason value is
// accepted (a newer server may send codes this client does not know). An
// error reply must have no payload. Errors: InvalidArgument naming the field.
absl::Status DecodeReplyPrefix(std::span<const uint8_t> body, ReplyPrefix& out);

// The server's answer as a status: OkStatus() on OK, else FromWireStatus
// (the reason rides along as the status payload: index::ReasonOf).
absl::Status ReplyStatus(const ReplyPrefix& prefix);

// DecodeReplyPrefix + ReplyStatus: the payload of an OK reply, or the error
// (malformed reply or the server's error).
absl::StatusOr<std::span<const uint8_t>> OkPayload(
    std::span<const uint8_t> body);

}  // namespace contactd::protocol
