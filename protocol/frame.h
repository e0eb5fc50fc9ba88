#pragma once
// Frames of the binary protocol: a fixed 16-byte little-endian header and a
// body of body_length bytes. docs/protocol.md is the full specification.
//
//   offset size  field
//   0      2     magic        0x4443 ("CD" on the wire: 0x43 0x44)
//   2      1     version      kProtocolVersion
//   3      1     opcode       Opcode
//   4      2     flags        bit 0: kFlagResponse; the other bits are 0
//   6      2     reserved     0
//   8      4     request_id   chosen by the client, echoed in the response
//   12     4     body_length  bytes after the header
//
// Decoding (the contract every reader of a byte stream relies on):
//
//   FrameDecode d = DecodeFrame(buffer, max_body_bytes);
//   switch (d.result) {
//     case DecodeResult::kNeedMore: read more; nothing was consumed
//                                   (d.header is valid once it is complete).
//     case DecodeResult::kFrame: handle d.header / d.body;
//                                drop d.consumed bytes (exactly one frame).
//     case DecodeResult::kError: reply d.error (when d.header_valid) and
//                                close: the stream cannot be resynchronized.
//   }
//
// The body length is checked against the maximum before anything is
// allocated, and nothing here allocates.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "protocol/wire_status.h"

namespace contactd::protocol {

// NOTE: the constants and enum values below are on the wire: do not change
// them. New opcodes get new numbers; a retired one stays as a comment.
inline constexpr uint16_t kMagic = 0x4443;
inline constexpr uint8_t kProtocolVersion = 1;
inline constexpr size_t kHeaderSize = 16;
inline constexpr uint16_t kFlagResponse = 1;
// The largest body any peer may send; servers may configure a lower limit.
inline constexpr uint32_t kMaxBodyBytes = 16u << 20;

enum class Opcode : uint8_t {
  kHello = 0x01,
  kPing = 0x02,
  kStats = 0x03,
  kLookupPhone = 0x10,
  kLookupEmail = 0x11,
  kLookupBatch = 0x12,
  kGet = 0x20,
  kGetByExternalId = 0x21,
  kListByTag = 0x22,
  kUpsert = 0x30,
  kDelete = 0x31,
  kUpdateFields = 0x32,
  kAddPhone = 0x33,
  kUpdatePhone = 0x34,
  kRemovePhone = 0x35,
  kAddEmail = 0x36,
  kUpdateEmail = 0x37,
  kRemoveEmail = 0x38,
  kAddTag = 0x39,
  kRemoveTag = 0x3A,
  kCheckpoint = 0x40,
  kReload = 0x41,
};

// "LOOKUP_PHONE" for Opcode::kLookupPhone; "UNKNOWN" for any other byte.
std::string_view OpcodeName(Opcode opcode);
bool IsKnownOpcode(uint8_t opcode);

struct FrameHeader {
  uint8_t version = kProtocolVersion;
  Opcode opcode = Opcode::kPing;
  uint16_t flags = 0;
  uint32_t request_id = 0;
  uint32_t body_length = 0;

  bool is_response() const { return flags & kFlagResponse; }
};

enum class DecodeResult { kNeedMore, kFrame, kError };

struct FrameDecode {
  DecodeResult result = DecodeResult::kNeedMore;
  size_t consumed = 0;            // kFrame: kHeaderSize + body_length; else 0
  FrameHeader header;             // kFrame; kError when header_valid
  std::span<const uint8_t> body;  // kFrame: points into the input
  // kError: what was wrong. header_valid says whether the header (request
  // id included) could be read, so an error reply can name the request.
  WireStatus error = WireStatus::kOk;
  std::string_view message;  // static text
  bool header_valid = false;
};

// Decodes the frame at the front of `input`. Opcodes are not checked here
// (an unknown opcode is a well-formed frame the handler rejects), so a newer
// client's request gets a reply rather than a closed connection.
FrameDecode DecodeFrame(std::span<const uint8_t> input,
                        uint32_t max_body_bytes = kMaxBodyBytes);

// Appends a header to `out` and returns the offset where it starts; the body
// is then appended and EndFrame writes its length into the header.
//
//   size_t start = BeginFrame(out, Opcode::kPing, request_id, kFlagResponse);
//   ... append the body to out ...
//   EndFrame(out, start);
size_t BeginFrame(std::string& out, Opcode opcode, uint32_t request_id,
                  uint16_t flags = 0);
void EndFrame(std::string& out, size_t frame_start);

}  // namespace contactd::protocol
