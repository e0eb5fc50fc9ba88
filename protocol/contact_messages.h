#pragma once
// Whole-contact requests: GET, GET_BY_EXTERNAL_ID, LIST_BY_TAG, UPSERT and
// DELETE, and the contact reply they (and the partial mutations of
// mutation_messages.h) answer with. Encodings in contact_codec.h.
//
//   get request                = tenant:uuid id:uuid
//   get_by_external_id request = tenant:uuid external_id:str
//   delete request             = tenant:uuid id:uuid
//   upsert request             = contact region:str
//     contact.id nil: the server resolves by external_id or creates one;
//     tm_* and item ids/tm_create are assigned by the server (ids kept
//     when they name existing items); number_e164 is ignored (recomputed).
//   list_by_tag request        = tenant:uuid tag:str after:uuid limit:u32
//     tag "" = every contact of the tenant; after: the cursor (contacts with
//     a greater id, in id order; nil = from the start); limit 0 = the
//     default (kDefaultListLimit), larger than kMaxListLimit = kMaxListLimit
//
//   contact reply payload = contact                  (GET, DELETE: as it
//                                                     was, mutations: as
//                                                     stored)
//   upsert reply payload  = created:u8 contact       (as stored)
//   list reply payload    = total:u64 has_more:u8 next_after:uuid
//                           count:u16 contact{count}   (count <= kMaxListLimit)
//     total: contacts the (tenant, tag) list holds; next_after: the id of
//     the last contact sent (nil when none): the next page's `after`.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "index/contact.h"
#include "index/contact_record.h"
#include "index/uuid.h"

namespace contactd::protocol {

inline constexpr uint32_t kDefaultListLimit = 100;
inline constexpr uint32_t kMaxListLimit = 1000;

struct GetRequest {
  index::Uuid tenant;
  index::Uuid id;
  friend bool operator==(const GetRequest&, const GetRequest&) = default;
};
struct GetByExternalIdRequest {
  index::Uuid tenant;
  std::string external_id;
  friend bool operator==(const GetByExternalIdRequest&,
                         const GetByExternalIdRequest&) = default;
};
struct DeleteRequest {
  index::Uuid tenant;
  index::Uuid id;
  friend bool operator==(const DeleteRequest&, const DeleteRequest&) = default;
};
struct UpsertRequest {
  index::Contact contact;  // contact.customer_id is the tenant
  std::string region;      // phone region override; "" = server default
  friend bool operator==(const UpsertRequest&, const UpsertRequest&) = default;
};
struct ListByTagRequest {
  index::Uuid tenant;
  std::string tag;    // "" = every contact
  index::Uuid after;  // nil = from the start
  uint32_t limit = 0;

  // The page size the server uses for `limit`.
  uint32_t effective_limit() const {
    return limit == 0 ? kDefaultListLimit
                      : (limit > kMaxListLimit ? kMaxListLimit : limit);
  }
  friend bool operator==(const ListByTagRequest&,
                         const ListByTagRequest&) = default;
};

// Request bodies (no frame header). Decoders: InvalidArgument naming the
// field for anything malformed, trailing bytes included.
void EncodeGetRequest(std::string& out, const GetRequest& request);
absl::Status DecodeGetRequest(std::span<const uint8_t> body, GetRequest& out);
void EncodeGetByExternalIdRequest(std::string& out,
                                  const GetByExternalIdRequest& request);
absl::Status DecodeGetByExternalIdRequest(std::span<const uint8_t> body,
                                          GetByExternalIdRequest& out);
void EncodeDeleteRequest(std::string& out, const DeleteRequest& request);
absl::Status DecodeDeleteRequest(std::span<const uint8_t> body,
                                 DeleteRequest& out);
void EncodeUpsertRequest(std::string& out, const UpsertRequest& request);
absl::Status DecodeUpsertRequest(std::span<const uint8_t> body,
                                 UpsertRequest& out);
void EncodeListByTagRequest(std::string& out, const ListByTagRequest& request);
absl::Status DecodeListByTagRequest(std::span<const uint8_t> body,
                                    ListByTagRequest& out);

// ---- Replies. Encoders append the whole reply body, OK prefix included;
// decoders read the payload of an OK reply (ReplyPrefix::payload).

// GET, GET_BY_EXTERNAL_ID, DELETE and the partial mutations.
void EncodeContactReply(std::string& out, const index::ContactRecord& record);
void EncodeContactReply(std::string& out, const index::Contact& contact);
absl::Status DecodeContactReply(std::span<const uint8_t> payload,
                                index::Contact& out);

struct UpsertReply {
  bool created = false;
  index::Contact contact;
};
void EncodeUpsertReply(std::string& out, bool created,
                       const index::Contact& contact);
absl::Status DecodeUpsertReply(std::span<const uint8_t> payload,
                               UpsertReply& out);

struct ListByTagReply {
  uint64_t total = 0;
  bool has_more = false;
  index::Uuid next_after;  // pass as the next request's `after`
  std::vector<index::Contact> contacts;
};
// REQUIRES: the records stay alive (EpochGuard). At most kMaxListLimit
// contacts are sent; next_after is the id of the last one sent.
void EncodeListByTagReply(std::string& out, uint64_t total, bool has_more,
                          std::span<const index::ContactRecord* const> page);
void EncodeListByTagReply(std::string& out, uint64_t total, bool has_more,
                          std::span<const index::Contact> page);
absl::Status DecodeListByTagReply(std::span<const uint8_t> payload,
                                  ListByTagReply& out);

}  // namespace contactd::protocol
