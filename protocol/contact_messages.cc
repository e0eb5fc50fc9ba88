#include "protocol/contact_messages.h"

#include <algorithm>

#include "protocol/contact_codec.h"
#include "protocol/reply.h"
#include "protocol/wire_reader.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {
namespace {

// The most contacts one list reply carries.
constexpr size_t kMaxListReplyContacts = kMaxListLimit;

void PutListHeader(std::string& out, uint64_t total, bool has_more,
                   const index::Uuid& next_after, size_t count) {
  EncodeOkPrefix(out);
  PutU64(out, total);
  PutBool(out, has_more);
  PutUuid(out, next_after);
  PutU16(out, static_cast<uint16_t>(count));
}

}  // namespace

void EncodeGetRequest(std::string& out, const GetRequest& request) {
  PutUuid(out, request.tenant);
  PutUuid(out, request.id);
}

absl::Status DecodeGetRequest(std::span<const uint8_t> body, GetRequest& out) {
  WireReader r(body, "GET request");
  out.tenant = r.Uuid("tenant");
  out.id = r.Uuid("id");
  return r.Finish();
}

void EncodeGetByExternalIdRequest(std::string& out,
                                  const GetByExternalIdRequest& request) {
  PutUuid(out, request.tenant);
  PutString(out, request.external_id);
}

absl::Status DecodeGetByExternalIdRequest(std::span<const uint8_t> body,
                                          GetByExternalIdRequest& out) {
  WireReader r(body, "GET_BY_EXTERNAL_ID request");
  out.tenant = r.Uuid("tenant");
  out.external_id = r.String("external_id");
  return r.Finish();
}

void EncodeDeleteRequest(std::string& out, const DeleteRequest& request) {
  PutUuid(out, request.tenant);
  PutUuid(out, request.id);
}

absl::Status DecodeDeleteRequest(std::span<const uint8_t> body,
                                 DeleteRequest& out) {
  WireReader r(body, "DELETE request");
  out.tenant = r.Uuid("tenant");
  out.id = r.Uuid("id");
  return r.Finish();
}

void EncodeUpsertRequest(std::string& out, const UpsertRequest& request) {
  PutContact(out, request.contact);
  PutString(out, request.region);
}

absl::Status DecodeUpsertRequest(std::span<const uint8_t> body,
                                 UpsertRequest& out) {
  WireReader r(body, "UPSERT request");
  ReadContact(r, out.contact);
  out.region = r.String("region");
  return r.Finish();
}

void EncodeListByTagRequest(std::string& out, const ListByTagRequest& request) {
  PutUuid(out, request.tenant);
  PutString(out, request.tag);
  PutUuid(out, request.after);
  PutU32(out, request.limit);
}

absl::Status DecodeListByTagRequest(std::span<const uint8_t> body,
                                    ListByTagRequest& out) {
  WireReader r(body, "LIST_BY_TAG request");
  out.tenant = r.Uuid("tenant");
  out.tag = r.String("tag");
  out.after = r.Uuid("after");
  out.limit = r.U32("limit");
  return r.Finish();
}

void EncodeContactReply(std::string& out, const index::ContactRecord& record) {
  EncodeOkPrefix(out);
  PutContact(out, record);
}

void EncodeContactReply(std::string& out, const index::Contact& contact) {
  EncodeOkPrefix(out);
  PutContact(out, contact);
}

absl::Status DecodeContactReply(std::span<const uint8_t> payload,
                                index::Contact& out) {
  WireReader r(payload, "contact reply");
  ReadContact(r, out);
  return r.Finish();
}

void EncodeUpsertReply(std::string& out, bool created,
                       const index::Contact& contact) {
  EncodeOkPrefix(out);
  PutBool(out, created);
  PutContact(out, contact);
}

absl::Status DecodeUpsertReply(std::span<const uint8_t> payload,
                               UpsertReply& out) {
  WireReader r(payload, "UPSERT reply");
  out.created = r.Bool("created");
  ReadContact(r, out.contact);
  return r.Finish();
}

void EncodeListByTagReply(std::string& out, uint64_t total, bool has_more,
                          std::span<const index::ContactRecord* const> page) {
  const size_t count = std::min(page.size(), kMaxListReplyContacts);
  const index::Uuid next = count == 0 ? index::Uuid() : page[count - 1]->id();
  PutListHeader(out, total, has_more, next, count);
  for (size_t i = 0; i < count; ++i) PutContact(out, *page[i]);
}

void EncodeListByTagReply(std::string& out, uint64_t total, bool has_more,
                          std::span<const index::Contact> page) {
  const size_t count = std::min(page.size(), kMaxListReplyContacts);
  const index::Uuid next = count == 0 ? index::Uuid() : page[count - 1].id;
  PutListHeader(out, total, has_more, next, count);
  for (size_t i = 0; i < count; ++i) PutContact(out, page[i]);
}

absl::Status DecodeListByTagReply(std::span<const uint8_t> payload,
                                  ListByTagReply& out) {
  WireReader r(payload, "LIST_BY_TAG reply");
  out.total = r.U64("total");
  out.has_more = r.Bool("has_more");
  out.next_after = r.Uuid("next_after");
  const uint16_t count =
      r.Count("count", kMaxListReplyContacts, kMinContactBytes);
  out.contacts.clear();
  out.contacts.resize(count);
  for (auto& c : out.contacts) {
    if (!r.ok()) break;
    ReadContact(r, c);
  }
  return r.Finish();
}

}  // namespace contactd::protocol
