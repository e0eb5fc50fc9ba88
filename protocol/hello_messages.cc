#include "protocol/hello_messages.h"

#include "protocol/frame.h"
#include "protocol/reply.h"
#include "protocol/wire_reader.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {

void EncodeHelloRequest(std::string& out, const HelloRequest& request) {
  PutU8(out, request.min_version);
  PutU8(out, request.max_version);
  PutString(out, request.token);
  PutString(out, request.client_name);
}

absl::Status DecodeHelloRequest(std::span<const uint8_t> body,
                                HelloRequest& out) {
  WireReader r(body, "HELLO request");
  out.min_version = r.U8("min_version");
  out.max_version = r.U8("max_version");
  out.token = r.String("token");
  out.client_name = r.String("client_name");
  if (out.min_version > out.max_version) {
    r.Fail("max_version", "is below min_version");
  }
  return r.Finish();
}

void EncodeHelloReply(std::string& out, const HelloReply& reply) {
  EncodeOkPrefix(out);
  PutU8(out, reply.version);
  PutU32(out, reply.max_body_bytes);
  PutU32(out, reply.max_in_flight);
  PutU8(out, reply.scopes);
  PutUuid(out, reply.tenant);
  PutString(out, reply.server_name);
}

absl::Status DecodeHelloReply(std::span<const uint8_t> payload,
                              HelloReply& out) {
  WireReader r(payload, "HELLO reply");
  out.version = r.U8("version");
  out.max_body_bytes = r.U32("max_body_bytes");
  out.max_in_flight = r.U32("max_in_flight");
  out.scopes = r.U8("scopes");
  out.tenant = r.Uuid("tenant");
  out.server_name = r.String("server_name");
  return r.Finish();
}

uint8_t NegotiateVersion(uint8_t min_version, uint8_t max_version) {
  if (min_version <= kProtocolVersion && kProtocolVersion <= max_version) {
    return kProtocolVersion;
  }
  return 0;
}

absl::Status DecodePingRequest(std::span<const uint8_t> body) {
  return WireReader(body, "PING request").Finish();
}

void EncodePingReply(std::string& out) { EncodeOkPrefix(out); }

absl::Status DecodePingReply(std::span<const uint8_t> payload) {
  return WireReader(payload, "PING reply").Finish();
}

}  // namespace contactd::protocol
