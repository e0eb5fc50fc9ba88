#include "protocol/frame.h"

#include "protocol/little_endian.h"

namespace contactd::protocol {
namespace {

// Byte offsets of the header fields (see frame.h).
constexpr size_t kMagicAt = 0;
constexpr size_t kVersionAt = 2;
constexpr size_t kOpcodeAt = 3;
constexpr size_t kFlagsAt = 4;
constexpr size_t kReservedAt = 6;
constexpr size_t kRequestIdAt = 8;
constexpr size_t kBodyLengthAt = 12;
static_assert(kBodyLengthAt + 4 == kHeaderSize);

constexpr uint16_t kKnownFlags = kFlagResponse;

FrameDecode Error(WireStatus status, std::string_view message,
                  const FrameHeader* header) {
  FrameDecode decode;
  decode.result = DecodeResult::kError;
  decode.error = status;
  decode.message = message;
  if (header != nullptr) {
    decode.header = *header;
    decode.header_valid = true;
  }
  return decode;
}

}  // namespace

std::string_view OpcodeName(Opcode opcode) {
  switch (opcode) {
    case Opcode::kHello:
      return "HELLO";
    case Opcode::kPing:
      return "PING";
    case Opcode::kStats:
      return "STATS";
    case Opcode::kLookupPhone:
      return "LOOKUP_PHONE";
    case Opcode::kLookupEmail:
      return "LOOKUP_EMAIL";
    case Opcode::kLookupBatch:
      return "LOOKUP_BATCH";
    case Opcode::kGet:
      return "GET";
    case Opcode::kGetByExternalId:
      return "GET_BY_EXTERNAL_ID";
    case Opcode::kListByTag:
      return "LIST_BY_TAG";
    case Opcode::kUpsert:
      return "UPSERT";
    case Opcode::kDelete:
      return "DELETE";
    case Opcode::kUpdateFields:
      return "UPDATE_FIELDS";
    case Opcode::kAddPhone:
      return "ADD_PHONE";
    case Opcode::kUpdatePhone:
      return "UPDATE_PHONE";
    case Opcode::kRemovePhone:
      return "REMOVE_PHONE";
    case Opcode::kAddEmail:
      return "ADD_EMAIL";
    case Opcode::kUpdateEmail:
      return "UPDATE_EMAIL";
    case Opcode::kRemoveEmail:
      return "REMOVE_EMAIL";
    case Opcode::kAddTag:
      return "ADD_TAG";
    case Opcode::kRemoveTag:
      return "REMOVE_TAG";
    case Opcode::kCheckpoint:
      return "CHECKPOINT";
    case Opcode::kReload:
      return "RELOAD";
  }
  return "UNKNOWN";
}

bool IsKnownOpcode(uint8_t opcode) {
  return OpcodeName(static_cast<Opcode>(opcode)) != "UNKNOWN";
}

FrameDecode DecodeFrame(std::span<const uint8_t> input,
                        uint32_t max_body_bytes) {
  if (input.size() >= 2 &&
      LoadLittleEndian<uint16_t>(input.data() + kMagicAt) != kMagic) {
    return Error(WireStatus::kMalformedFrame, "bad magic", nullptr);
  }
  if (input.size() < kHeaderSize) return {};

  const uint8_t* p = input.data();
  FrameHeader header;
  header.version = p[kVersionAt];
  header.opcode = static_cast<Opcode>(p[kOpcodeAt]);
  header.flags = LoadLittleEndian<uint16_t>(p + kFlagsAt);
  header.request_id = LoadLittleEndian<uint32_t>(p + kRequestIdAt);
  header.body_length = LoadLittleEndian<uint32_t>(p + kBodyLengthAt);

  if (header.version != kProtocolVersion) {
    return Error(WireStatus::kUnsupportedVersion,
                 "unsupported protocol version (this server speaks 1)",
                 &header);
  }
  if ((header.flags & ~kKnownFlags) != 0 ||
      LoadLittleEndian<uint16_t>(p + kReservedAt) != 0) {
    return Error(WireStatus::kMalformedFrame,
                 "unknown flag bits or non-zero reserved field", &header);
  }
  if (header.body_length > max_body_bytes) {
    return Error(WireStatus::kFrameTooLarge,
                 "frame body is larger than the maximum", &header);
  }
  if (input.size() - kHeaderSize < header.body_length) {
    FrameDecode need_more;  // the header tells the reader how much to expect
    need_more.header = header;
    need_more.header_valid = true;
    return need_more;
  }

  FrameDecode decode;
  decode.result = DecodeResult::kFrame;
  decode.consumed = kHeaderSize + header.body_length;
  decode.header = header;
  decode.body = input.subspan(kHeaderSize, header.body_length);
  return decode;
}

size_t BeginFrame(std::string& out, Opcode opcode, uint32_t request_id,
                  uint16_t flags) {
  const size_t start = out.size();
  AppendLittleEndian<uint16_t>(out, kMagic);
  out.push_back(static_cast<char>(kProtocolVersion));
  out.push_back(static_cast<char>(opcode));
  AppendLittleEndian<uint16_t>(out, flags);
  AppendLittleEndian<uint16_t>(out, 0);  // reserved
  AppendLittleEndian<uint32_t>(out, request_id);
  AppendLittleEndian<uint32_t>(out, 0);  // body_length, set by EndFrame
  return start;
}

void EndFrame(std::string& out, size_t frame_start) {
  const auto body_length =
      static_cast<uint32_t>(out.size() - frame_start - kHeaderSize);
  StoreLittleEndian<uint32_t>(
      reinterpret_cast<uint8_t*>(out.data() + frame_start + kBodyLengthAt),
      body_length);
}

}  // namespace contactd::protocol
