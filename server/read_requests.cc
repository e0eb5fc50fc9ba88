#include "server/read_requests.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "index/email_normalizer.h"
#include "index/epoch.h"
#include "protocol/contact_messages.h"
#include "protocol/lookup_messages.h"
#include "protocol/reply.h"

namespace contactd::server {
namespace {

using protocol::LookupKind;
using protocol::LookupRequest;
using protocol::WireStatus;

void EncodeNotFound(std::string& out, std::string_view message) {
  protocol::EncodeErrorReply(out, WireStatus::kNotFound,
                             index::Reason::kContactNotFound, message);
}

// Finds the phone matches of a lookup and encodes its reply. REQUIRES: an
// EpochGuard.
void AnswerPhone(const ReadContext& context, const LookupRequest& request,
                 std::string& out) {
  const auto number =
      context.store.normalizer().Normalize(request.input, request.region);
  if (!number.ok()) return protocol::EncodeErrorReply(out, number.status());
  const index::ContactIndex& contacts = context.store.index();
  std::array<const index::PhoneSlot*, protocol::kMaxLookupMatches> found;
  size_t count = 0;
  uint32_t match_count = 0;
  if (request.all()) {
    match_count =
        contacts.FindAllByPhone(request.tenant, *number, absl::MakeSpan(found));
    count = std::min<size_t>(match_count, found.size());
  } else {
    const auto hit = contacts.FindByPhone(request.tenant, *number);
    found[0] = hit.first;
    match_count = hit.match_count;
    count = hit.first != nullptr ? 1 : 0;
  }
  if (count == 0) return EncodeNotFound(out, "no contact has this number");
  Increment(context.metrics.lookup_hits);
  protocol::EncodePhoneLookupReply(out, request.flags, match_count,
                                   {found.data(), count});
}

// The same for an email address.
void AnswerEmail(const ReadContext& context, const LookupRequest& request,
                 std::string& out) {
  const auto address = index::NormalizeEmail(request.input);
  if (!address.ok()) return protocol::EncodeErrorReply(out, address.status());
  const index::ContactIndex& contacts = context.store.index();
  std::array<const index::EmailSlot*, protocol::kMaxLookupMatches> found;
  size_t count = 0;
  uint32_t match_count = 0;
  if (request.all()) {
    match_count = contacts.FindAllByEmail(request.tenant, address->view(),
                                          absl::MakeSpan(found));
    count = std::min<size_t>(match_count, found.size());
  } else {
    const auto hit = contacts.FindByEmail(request.tenant, address->view());
    found[0] = hit.first;
    match_count = hit.match_count;
    count = hit.first != nullptr ? 1 : 0;
  }
  if (count == 0) return EncodeNotFound(out, "no contact has this address");
  Increment(context.metrics.lookup_hits);
  protocol::EncodeEmailLookupReply(out, request.flags, match_count,
                                   {found.data(), count});
}

// What the lookup reply starting at out[reply_start] says.
LookupResult ResultOf(const std::string& out, size_t reply_start) {
  switch (static_cast<WireStatus>(out[reply_start])) {
    case WireStatus::kOk:
      return LookupResult::kHit;
    case WireStatus::kNotFound:
      return LookupResult::kMiss;
    default:
      return LookupResult::kError;
  }
}

void AnswerLookup(const ReadContext& context, LookupKind kind,
                  const LookupRequest& request, std::string& out) {
  const auto start = std::chrono::steady_clock::now();
  const size_t reply_start = out.size();
  Increment(context.metrics.lookups);
  if (!context.grant.AllowsTenant(request.tenant)) {
    EncodeTenantDenied(out, context.metrics);
  } else {
    index::EpochGuard guard;
    if (kind == LookupKind::kPhone) {
      AnswerPhone(context, request, out);
    } else {
      AnswerEmail(context, request, out);
    }
  }
  context.metrics.RecordLookup(
      kind, ResultOf(out, reply_start),
      absl::FromChrono(std::chrono::steady_clock::now() - start));
}

void AnswerBatch(const ReadContext& context, std::span<const uint8_t> body,
                 std::string& out) {
  // Count first, so the reply header is right before any item is answered.
  size_t count = 0;
  absl::Status valid = protocol::ForEachLookupBatchItem(
      body, [&](const protocol::LookupBatchItem&) { ++count; });
  if (!valid.ok()) return EncodeMalformedBody(out, valid, context.metrics);
  protocol::EncodeLookupBatchReplyHeader(out, static_cast<uint16_t>(count));
  // Validated above: this pass cannot fail.
  protocol::ForEachLookupBatchItem(body, [&](const protocol::LookupBatchItem&
                                                 item) {
    const size_t start = protocol::BeginBatchItemReply(out);
    AnswerLookup(context, item.kind, item.request, out);
    protocol::EndBatchItemReply(out, start);
  }).IgnoreError();
}

// GET and GET_BY_EXTERNAL_ID: `find` returns the record or nullptr.
template <typename Request, typename Find>
void AnswerGet(const ReadContext& context, std::span<const uint8_t> body,
               absl::Status (*decode)(std::span<const uint8_t>, Request&),
               Find find, std::string& out) {
  Request request;
  if (auto s = decode(body, request); !s.ok()) {
    return EncodeMalformedBody(out, s, context.metrics);
  }
  if (!context.grant.AllowsTenant(request.tenant)) {
    return EncodeTenantDenied(out, context.metrics);
  }
  index::EpochGuard guard;
  const index::ContactRecord* record = find(context.store.index(), request);
  if (record == nullptr) return EncodeNotFound(out, "no such contact");
  protocol::EncodeContactReply(out, *record);
}

void AnswerList(const ReadContext& context, std::span<const uint8_t> body,
                std::string& out) {
  protocol::ListByTagRequest request;
  if (auto s = protocol::DecodeListByTagRequest(body, request); !s.ok()) {
    return EncodeMalformedBody(out, s, context.metrics);
  }
  if (!context.grant.AllowsTenant(request.tenant)) {
    return EncodeTenantDenied(out, context.metrics);
  }
  index::EpochGuard guard;
  const index::ContactIndex& contacts = context.store.index();
  // One more than the page tells whether another page follows.
  std::vector<const index::ContactRecord*> page(request.effective_limit() + 1);
  const index::Uuid* after = request.after.is_nil() ? nullptr : &request.after;
  size_t n =
      contacts.List(request.tenant, request.tag, after, absl::MakeSpan(page));
  const bool has_more = n > request.effective_limit();
  n = std::min<size_t>(n, request.effective_limit());
  protocol::EncodeListByTagReply(
      out, contacts.ListSize(request.tenant, request.tag), has_more,
      std::span<const index::ContactRecord* const>(page.data(), n));
}

}  // namespace

bool IsReadOpcode(protocol::Opcode opcode) {
  using protocol::Opcode;
  switch (opcode) {
    case Opcode::kLookupPhone:
    case Opcode::kLookupEmail:
    case Opcode::kLookupBatch:
    case Opcode::kGet:
    case Opcode::kGetByExternalId:
    case Opcode::kListByTag:
      return true;
    default:
      return false;
  }
}

void AnswerRead(const ReadContext& context, protocol::Opcode opcode,
                std::span<const uint8_t> body, std::string& out) {
  using protocol::Opcode;
  switch (opcode) {
    case Opcode::kLookupPhone:
    case Opcode::kLookupEmail: {
      LookupRequest request;
      if (auto s = protocol::DecodeLookupRequest(body, request); !s.ok()) {
        return EncodeMalformedBody(out, s, context.metrics);
      }
      const LookupKind kind = opcode == Opcode::kLookupPhone
                                  ? LookupKind::kPhone
                                  : LookupKind::kEmail;
      return AnswerLookup(context, kind, request, out);
    }
    case Opcode::kLookupBatch:
      return AnswerBatch(context, body, out);
    case Opcode::kGet:
      return AnswerGet<protocol::GetRequest>(
          context, body, &protocol::DecodeGetRequest,
          [](const index::ContactIndex& contacts, const auto& request) {
            return contacts.FindById(request.tenant, request.id);
          },
          out);
    case Opcode::kGetByExternalId:
      return AnswerGet<protocol::GetByExternalIdRequest>(
          context, body, &protocol::DecodeGetByExternalIdRequest,
          [](const index::ContactIndex& contacts, const auto& request) {
            return contacts.FindByExternalId(request.tenant,
                                             request.external_id);
          },
          out);
    case Opcode::kListByTag:
      return AnswerList(context, body, out);
    default:
      return;  // REQUIRES: IsReadOpcode
  }
}

void EncodeMalformedBody(std::string& out, const absl::Status& decode_error,
                         ServerMetrics& metrics) {
  Increment(metrics.malformed_frames);
  const absl::string_view message = decode_error.message();
  protocol::EncodeErrorReply(out, WireStatus::kMalformedFrame,
                             index::Reason::kNone,
                             std::string_view(message.data(), message.size()));
}

void EncodeTenantDenied(std::string& out, ServerMetrics& metrics) {
  Increment(metrics.permission_denied);
  protocol::EncodeErrorReply(out, WireStatus::kPermissionDenied,
                             index::Reason::kPermissionDenied,
                             "this token may not use that tenant");
}

}  // namespace contactd::server
