#pragma once
// LOOKUP_PHONE, LOOKUP_EMAIL and LOOKUP_BATCH: the call-control hot path.
//
//   lookup request = flags:u8 tenant:uuid input:str region:str
//     flags: kLookupSummary (answer summaries, not full contacts),
//            kLookupAll (every match, up to kMaxLookupMatches; else the
//            first); the other bits are 0
//     input: the number / address as received (normalized by the server)
//     region: ISO 3166 country for a national phone number; "" = the
//             server's default (ignored by LOOKUP_EMAIL)
//   lookup reply payload (after the OK prefix, reply.h) =
//     flags:u8 match_count:u32 result_count:u16 result{result_count}
//     flags: the request's flags; result: summary when kLookupSummary is set,
//     else contact (contact_codec.h); match_count counts every match, even
//     those not sent. No match at all is a NOT_FOUND error reply
//     (reason CONTACT_NOT_FOUND), not an empty OK.
//
//   batch request = count:u16 item{count}        (count <= kMaxBatchItems)
//     item = kind:u8 lookup_request               (kind: LookupKind)
//   batch reply payload = count:u16 item_reply{count}, in request order
//     item_reply = length:u32 reply_body{length}
//     reply_body: a complete lookup reply body (prefix + payload), so each
//     item has its own status.
//
// Server (no allocation):
//   LookupRequest req;
//   if (auto s = DecodeLookupRequest(body, req); !s.ok()) ...error reply...
//   const PhoneSlot* first = hit.first;
//   EncodePhoneLookupReply(out, req.flags, hit.match_count, {&first, 1});

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "index/contact.h"
#include "index/contact_record.h"
#include "index/uuid.h"
#include "protocol/contact_codec.h"

namespace contactd::protocol {

// NOTE: on the wire: do not change.
inline constexpr uint8_t kLookupSummary = 1;
inline constexpr uint8_t kLookupAll = 2;
inline constexpr uint8_t kLookupKnownFlags = kLookupSummary | kLookupAll;
// The most items in one LOOKUP_BATCH request.
inline constexpr size_t kMaxBatchItems = 1000;
// The most results one lookup reply carries (index::ContactIndex::
// kMaxMatches); match_count may be larger.
inline constexpr size_t kMaxLookupMatches = 100;
// The smallest lookup request body: flags, tenant, two empty strings.
inline constexpr size_t kMinLookupRequestBytes = 21;

enum class LookupKind : uint8_t { kPhone = 0, kEmail = 1 };  // on the wire

// A lookup request. The views point into the decoded body: valid while it is.
struct LookupRequest {
  uint8_t flags = 0;
  index::Uuid tenant;
  std::string_view input;
  std::string_view region;

  bool summary() const { return flags & kLookupSummary; }
  bool all() const { return flags & kLookupAll; }
};

// Appends the body (no frame header: wrap it in BeginFrame/EndFrame).
void EncodeLookupRequest(std::string& out, const LookupRequest& request);
// Decodes a LOOKUP_PHONE or LOOKUP_EMAIL body without allocating.
absl::Status DecodeLookupRequest(std::span<const uint8_t> body,
                                 LookupRequest& out);

// ---- Replies (server). `matches` are the results to send, in lookup order
// (at most kMaxLookupMatches are sent); REQUIRES: an EpochGuard keeps them
// alive, and !matches.empty() (no match is a NOT_FOUND error reply).
// Appends the whole reply body, OK prefix included.
void EncodePhoneLookupReply(std::string& out, uint8_t request_flags,
                            uint32_t match_count,
                            std::span<const index::PhoneSlot* const> matches);
void EncodeEmailLookupReply(std::string& out, uint8_t request_flags,
                            uint32_t match_count,
                            std::span<const index::EmailSlot* const> matches);

// ---- Replies (client).
struct LookupReply {
  uint8_t flags = 0;
  uint32_t match_count = 0;
  std::vector<ContactSummary> summaries;  // when flags & kLookupSummary
  std::vector<index::Contact> contacts;   // otherwise
};
// Decodes the payload of an OK lookup reply (ReplyPrefix::payload).
absl::Status DecodeLookupReply(std::span<const uint8_t> payload,
                               LookupReply& out);

// ---- LOOKUP_BATCH.
struct LookupBatchItem {
  LookupKind kind = LookupKind::kPhone;
  LookupRequest request;  // views into the batch body
};
struct LookupBatchRequest {
  std::vector<LookupBatchItem> items;
};

void EncodeLookupBatchRequest(std::string& out,
                              const LookupBatchRequest& request);
// Decodes into out.items (cleared first; its capacity is reused, so a server
// that keeps one LookupBatchRequest per connection allocates only while the
// largest batch so far grows).
absl::Status DecodeLookupBatchRequest(std::span<const uint8_t> body,
                                      LookupBatchRequest& out);
// Validates the whole body first, then calls `visit` for each item in order:
// no allocation, and nothing is visited when the body is malformed.
absl::Status ForEachLookupBatchItem(
    std::span<const uint8_t> body,
    absl::FunctionRef<void(const LookupBatchItem&)> visit);

// Batch reply (server): the OK prefix and the count, then for each item
// BeginBatchItemReply, one complete reply body (EncodePhoneLookupReply or
// EncodeErrorReply), EndBatchItemReply.
void EncodeLookupBatchReplyHeader(std::string& out, uint16_t count);
size_t BeginBatchItemReply(std::string& out);  // returns the item's offset
void EndBatchItemReply(std::string& out, size_t item_start);

// Batch reply (client).
struct LookupBatchResult {
  absl::Status status;  // the item's ReplyStatus
  LookupReply reply;    // when status.ok()
};
struct LookupBatchReply {
  std::vector<LookupBatchResult> results;
};
absl::Status DecodeLookupBatchReply(std::span<const uint8_t> payload,
                                    LookupBatchReply& out);

}  // namespace contactd::protocol
