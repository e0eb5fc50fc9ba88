#include "protocol/lookup_messages.h"

#include <algorithm>

#include "protocol/reply.h"
#include "protocol/wire_reader.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {
namespace {

// length:u32 + the smallest reply body (an OK-sized prefix).
constexpr size_t kMinBatchItemReplyBytes = 4 + kOkPrefixSize;

void ReadLookupRequest(WireReader& r, LookupRequest& out) {
  out.flags = r.U8("flags");
  if ((out.flags & ~kLookupKnownFlags) != 0) r.Fail("flags", "unknown bits");
  out.tenant = r.Uuid("tenant");
  out.input = r.String("input");
  out.region = r.String("region");
}

// The reply header; returns how many of `available` results to send.
size_t PutLookupReplyHeader(std::string& out, uint8_t request_flags,
                            uint32_t match_count, size_t available) {
  const uint8_t flags = request_flags & kLookupKnownFlags;
  const size_t limit = (flags & kLookupAll) ? kMaxLookupMatches : 1;
  const size_t count = std::min(available, limit);
  EncodeOkPrefix(out);
  PutU8(out, flags);
  PutU32(out, match_count);
  PutU16(out, static_cast<uint16_t>(count));
  return count;
}

template <typename Slot, typename PutSummary>
void PutLookupReply(std::string& out, uint8_t request_flags,
                    uint32_t match_count, std::span<const Slot* const> matches,
                    PutSummary put_summary) {
  const size_t count =
      PutLookupReplyHeader(out, request_flags, match_count, matches.size());
  const bool summary = request_flags & kLookupSummary;
  for (size_t i = 0; i < count; ++i) {
    if (summary) {
      put_summary(out, *matches[i]);
    } else {
      PutContact(out, matches[i]->record());
    }
  }
}

// Parses a batch body, calling `visit` per item (if set) once it is valid.
absl::Status ParseBatch(std::span<const uint8_t> body,
                        absl::FunctionRef<void(const LookupBatchItem&)> visit,
                        bool visit_items) {
  WireReader r(body, "LOOKUP_BATCH request");
  const uint16_t count =
      r.Count("count", kMaxBatchItems, 1 + kMinLookupRequestBytes);
  for (uint16_t i = 0; i < count && r.ok(); ++i) {
    LookupBatchItem item;
    item.kind = static_cast<LookupKind>(r.U8("item.kind"));
    if (static_cast<uint8_t>(item.kind) > 1) r.Fail("item.kind", "unknown");
    ReadLookupRequest(r, item.request);
    if (visit_items && r.ok()) visit(item);
  }
  return r.Finish();
}

}  // namespace

void EncodeLookupRequest(std::string& out, const LookupRequest& request) {
  PutU8(out, request.flags);
  PutUuid(out, request.tenant);
  PutString(out, request.input);
  PutString(out, request.region);
}

absl::Status DecodeLookupRequest(std::span<const uint8_t> body,
                                 LookupRequest& out) {
  WireReader r(body, "LOOKUP request");
  ReadLookupRequest(r, out);
  return r.Finish();
}

void EncodePhoneLookupReply(std::string& out, uint8_t request_flags,
                            uint32_t match_count,
                            std::span<const index::PhoneSlot* const> matches) {
  PutLookupReply(
      out, request_flags, match_count, matches,
      [](std::string& o, const index::PhoneSlot& s) { PutPhoneSummary(o, s); });
}

void EncodeEmailLookupReply(std::string& out, uint8_t request_flags,
                            uint32_t match_count,
                            std::span<const index::EmailSlot* const> matches) {
  PutLookupReply(
      out, request_flags, match_count, matches,
      [](std::string& o, const index::EmailSlot& s) { PutEmailSummary(o, s); });
}

absl::Status DecodeLookupReply(std::span<const uint8_t> payload,
                               LookupReply& out) {
  WireReader r(payload, "LOOKUP reply");
  out.flags = r.U8("flags");
  if ((out.flags & ~kLookupKnownFlags) != 0) r.Fail("flags", "unknown bits");
  out.match_count = r.U32("match_count");
  const bool summary = out.flags & kLookupSummary;
  const uint16_t count = r.Count("result_count", kMaxLookupMatches,
                                 summary ? kMinSummaryBytes : kMinContactBytes);
  if (count > out.match_count) r.Fail("result_count", "exceeds match_count");
  out.summaries.clear();
  out.contacts.clear();
  if (!r.ok()) return r.status();
  if (summary) {
    out.summaries.resize(count);
    for (auto& s : out.summaries) ReadContactSummary(r, s);
  } else {
    out.contacts.resize(count);
    for (auto& c : out.contacts) ReadContact(r, c);
  }
  return r.Finish();
}

void EncodeLookupBatchRequest(std::string& out,
                              const LookupBatchRequest& request) {
  const size_t count = std::min(request.items.size(), kMaxBatchItems);
  PutU16(out, static_cast<uint16_t>(count));
  for (size_t i = 0; i < count; ++i) {
    PutU8(out, static_cast<uint8_t>(request.items[i].kind));
    EncodeLookupRequest(out, request.items[i].request);
  }
}

absl::Status DecodeLookupBatchRequest(std::span<const uint8_t> body,
                                      LookupBatchRequest& out) {
  out.items.clear();
  absl::Status status = ParseBatch(
      body, [&](const LookupBatchItem& item) { out.items.push_back(item); },
      true);
  if (!status.ok()) out.items.clear();
  return status;
}

absl::Status ForEachLookupBatchItem(
    std::span<const uint8_t> body,
    absl::FunctionRef<void(const LookupBatchItem&)> visit) {
  absl::Status status = ParseBatch(body, visit, false);
  if (!status.ok()) return status;
  return ParseBatch(body, visit, true);
}

void EncodeLookupBatchReplyHeader(std::string& out, uint16_t count) {
  EncodeOkPrefix(out);
  PutU16(out, count);
}

size_t BeginBatchItemReply(std::string& out) {
  const size_t start = out.size();
  PutU32(out, 0);  // length, set by EndBatchItemReply
  return start;
}

void EndBatchItemReply(std::string& out, size_t item_start) {
  const auto length = static_cast<uint32_t>(out.size() - item_start - 4);
  StoreLittleEndian<uint32_t>(
      reinterpret_cast<uint8_t*>(out.data() + item_start), length);
}

absl::Status DecodeLookupBatchReply(std::span<const uint8_t> payload,
                                    LookupBatchReply& out) {
  WireReader r(payload, "LOOKUP_BATCH reply");
  const uint16_t count =
      r.Count("count", kMaxBatchItems, kMinBatchItemReplyBytes);
  out.results.clear();
  out.results.resize(count);
  for (uint16_t i = 0; i < count && r.ok(); ++i) {
    const uint32_t length = r.U32("item.length");
    std::span<const uint8_t> body = r.Bytes(length, "item.body");
    if (!r.ok()) break;
    ReplyPrefix prefix;
    absl::Status s = DecodeReplyPrefix(body, prefix);
    if (s.ok()) {
      out.results[i].status = ReplyStatus(prefix);
      if (prefix.ok())
        s = DecodeLookupReply(prefix.payload, out.results[i].reply);
    }
    if (!s.ok()) {
      out.results.clear();
      return s;
    }
  }
  if (!r.ok()) out.results.clear();
  return r.Finish();
}

}  // namespace contactd::protocol
