#include "protocol/reply.h"

#include "protocol/wire_reader.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {

void EncodeOkPrefix(std::string& out) {
  static constexpr char kOk[kOkPrefixSize] = {0, 0, 0, 0, 0};
  out.append(kOk, kOkPrefixSize);
}

void EncodeErrorReply(std::string& out, WireStatus status, index::Reason reason,
                      std::string_view message) {
  PutU8(out, static_cast<uint8_t>(status));
  PutU16(out, static_cast<uint16_t>(reason));
  PutString(out, message.substr(0, kMaxErrorMessageBytes));
}

void EncodeErrorReply(std::string& out, const absl::Status& status) {
  const absl::string_view message = status.message();
  EncodeErrorReply(out, ToWireStatus(status), index::ReasonOf(status),
                   std::string_view(message.data(), message.size()));
}

absl::Status DecodeReplyPrefix(std::span<const uint8_t> body,
                               ReplyPrefix& out) {
  WireReader r(body, "reply");
  out.status = static_cast<WireStatus>(r.U8("status"));
  out.reason = static_cast<index::Reason>(r.U16("reason"));
  out.message = r.String("message");
  out.payload = r.Rest();
  if (!r.ok()) return r.status();
  if (!out.ok() && !out.payload.empty()) {
    r.Fail("payload", "an error reply has no payload");
    return r.status();
  }
  return absl::OkStatus();
}

absl::Status ReplyStatus(const ReplyPrefix& prefix) {
  return FromWireStatus(prefix.status, prefix.reason, prefix.message);
}

absl::StatusOr<std::span<const uint8_t>> OkPayload(
    std::span<const uint8_t> body) {
  ReplyPrefix prefix;
  if (absl::Status s = DecodeReplyPrefix(body, prefix); !s.ok()) return s;
  if (absl::Status s = ReplyStatus(prefix); !s.ok()) return s;
  return prefix.payload;
}

}  // namespace contactd::protocol
