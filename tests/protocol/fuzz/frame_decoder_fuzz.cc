// libFuzzer target: the frame decoder and every request body decoder on
// untrusted bytes. Each input is a byte stream: frames are decoded off its
// front until the decoder needs more or reports an error, and each frame's
// body goes to the decoder its opcode selects (and, so that every decoder
// sees every input, the first frame's body goes to all of them).
//
// The contract checked: no crash, no sanitizer report, and a frame consumes
// exactly kHeaderSize + body_length bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "protocol/admin_messages.h"
#include "protocol/contact_messages.h"
#include "protocol/frame.h"
#include "protocol/hello_messages.h"
#include "protocol/lookup_messages.h"
#include "protocol/mutation_messages.h"
#include "protocol/reply.h"
#include "protocol/stats_messages.h"

namespace contactd::protocol {
namespace {

template <typename T>
void Try(absl::Status (*decode)(std::span<const uint8_t>, T&),
         std::span<const uint8_t> body) {
  T out;
  (void)decode(body, out);
}

void DecodeBody(Opcode opcode, std::span<const uint8_t> body) {
  switch (opcode) {
    case Opcode::kHello:
      return Try(DecodeHelloRequest, body);
    case Opcode::kPing:
      (void)DecodePingRequest(body);
      return;
    case Opcode::kStats:
      (void)DecodeStatsRequest(body);
      return;
    case Opcode::kLookupPhone:
    case Opcode::kLookupEmail:
      return Try(DecodeLookupRequest, body);
    case Opcode::kLookupBatch:
      (void)ForEachLookupBatchItem(body, [](const LookupBatchItem&) {});
      return Try(DecodeLookupBatchRequest, body);
    case Opcode::kGet:
      return Try(DecodeGetRequest, body);
    case Opcode::kGetByExternalId:
      return Try(DecodeGetByExternalIdRequest, body);
    case Opcode::kListByTag:
      return Try(DecodeListByTagRequest, body);
    case Opcode::kUpsert:
      return Try(DecodeUpsertRequest, body);
    case Opcode::kDelete:
      return Try(DecodeDeleteRequest, body);
    case Opcode::kUpdateFields:
      return Try(DecodeUpdateFieldsRequest, body);
    case Opcode::kAddPhone:
      return Try(DecodeAddPhoneRequest, body);
    case Opcode::kUpdatePhone:
      return Try(DecodeUpdatePhoneRequest, body);
    case Opcode::kRemovePhone:
      return Try(DecodeRemovePhoneRequest, body);
    case Opcode::kAddEmail:
      return Try(DecodeAddEmailRequest, body);
    case Opcode::kUpdateEmail:
      return Try(DecodeUpdateEmailRequest, body);
    case Opcode::kRemoveEmail:
      return Try(DecodeRemoveEmailRequest, body);
    case Opcode::kAddTag:
      return Try(DecodeAddTagRequest, body);
    case Opcode::kRemoveTag:
      return Try(DecodeRemoveTagRequest, body);
    case Opcode::kCheckpoint:
      (void)DecodeCheckpointRequest(body);
      return;
    case Opcode::kReload:
      return Try(DecodeReloadRequest, body);
  }
}

// The client side too: replies are untrusted for a client.
void DecodeReplies(std::span<const uint8_t> body) {
  ReplyPrefix prefix;
  (void)DecodeReplyPrefix(body, prefix);
  Try(DecodeLookupReply, body);
  Try(DecodeLookupBatchReply, body);
  Try(DecodeHelloReply, body);
  Try(DecodeContactReply, body);
  Try(DecodeUpsertReply, body);
  Try(DecodeListByTagReply, body);
  Try(DecodeStatsReply, body);
  Try(DecodeCheckpointReply, body);
  Try(DecodeReloadReply, body);
}

constexpr Opcode kAllOpcodes[] = {
    Opcode::kHello,           Opcode::kPing,         Opcode::kStats,
    Opcode::kLookupPhone,     Opcode::kLookupBatch,  Opcode::kGet,
    Opcode::kGetByExternalId, Opcode::kListByTag,    Opcode::kUpsert,
    Opcode::kDelete,          Opcode::kUpdateFields, Opcode::kAddPhone,
    Opcode::kUpdatePhone,     Opcode::kRemovePhone,  Opcode::kAddEmail,
    Opcode::kUpdateEmail,     Opcode::kRemoveEmail,  Opcode::kAddTag,
    Opcode::kRemoveTag,       Opcode::kCheckpoint,   Opcode::kReload};

}  // namespace
}  // namespace contactd::protocol

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactd::protocol;
  std::span<const uint8_t> input(data, size);
  bool first = true;
  while (true) {
    const FrameDecode d = DecodeFrame(input, 1 << 16);
    if (d.result != DecodeResult::kFrame) break;
    if (d.consumed != kHeaderSize + d.header.body_length ||
        d.consumed > input.size()) {
      std::abort();
    }
    DecodeBody(d.header.opcode, d.body);
    if (first) {
      for (Opcode op : kAllOpcodes) DecodeBody(op, d.body);
      DecodeReplies(d.body);
      first = false;
    }
    input = input.subspan(d.consumed);
  }
  return 0;
}
