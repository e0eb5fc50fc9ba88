#include "protocol/admin_messages.h"

#include "protocol/reply.h"
#include "protocol/wire_reader.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {

absl::Status DecodeCheckpointRequest(std::span<const uint8_t> body) {
  return WireReader(body, "CHECKPOINT request").Finish();
}

void EncodeCheckpointReply(std::string& out, const CheckpointReply& reply) {
  EncodeOkPrefix(out);
  PutU64(out, reply.sequence);
  PutU64(out, reply.contacts);
  PutU64(out, reply.bytes);
  PutU64(out, reply.duration_us);
}

absl::Status DecodeCheckpointReply(std::span<const uint8_t> payload,
                                   CheckpointReply& out) {
  WireReader r(payload, "CHECKPOINT reply");
  out.sequence = r.U64("sequence");
  out.contacts = r.U64("contacts");
  out.bytes = r.U64("bytes");
  out.duration_us = r.U64("duration_us");
  return r.Finish();
}

void EncodeReloadRequest(std::string& out, const ReloadRequest& request) {
  PutString(out, request.path);
}

absl::Status DecodeReloadRequest(std::span<const uint8_t> body,
                                 ReloadRequest& out) {
  WireReader r(body, "RELOAD request");
  out.path = std::string(r.String("path"));
  if (r.ok() && out.path.empty()) r.Fail("path", "is empty");
  return r.Finish();
}

void EncodeReloadReply(std::string& out, const ReloadReply& reply) {
  EncodeOkPrefix(out);
  PutU64(out, reply.contacts);
  PutU64(out, reply.sequence);
  PutU64(out, reply.duration_us);
}

absl::Status DecodeReloadReply(std::span<const uint8_t> payload,
                               ReloadReply& out) {
  WireReader r(payload, "RELOAD reply");
  out.contacts = r.U64("contacts");
  out.sequence = r.U64("sequence");
  out.duration_us = r.U64("duration_us");
  return r.Finish();
}

}  // namespace contactd::protocol
