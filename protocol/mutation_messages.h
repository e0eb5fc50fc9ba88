#pragma once
// The partial mutations: UPDATE_FIELDS, ADD/UPDATE/REMOVE_PHONE,
// ADD/UPDATE/REMOVE_EMAIL, ADD/REMOVE_TAG. Each names a contact by tenant and
// id; the reply is a contact reply (contact_messages.h) with the contact as
// stored. Optional fields ride behind a presence bitmask: a set bit means
// the field follows, in bit order (mirrors index::FieldUpdate, PhoneUpdate,
// EmailUpdate). Unknown presence bits are errors.
//
//   update_fields request = tenant:uuid id:uuid present:u16
//       [first_name:str] [last_name:str] [display_name:str] [company:str]
//       [job_title:str] [external_id:str] [notes:str] [source:u8]
//       [tag_count:u16 tag:str{tag_count}]       (bits 0..8, in this order)
//   add_phone request     = tenant:uuid id:uuid phone region:str
//   update_phone request  = tenant:uuid id:uuid phone_id:uuid present:u8
//       [number:str] [type:u8] [is_primary:u8] region:str   (bits 0..2)
//   remove_phone request  = tenant:uuid id:uuid phone_id:uuid
//   add_email request     = tenant:uuid id:uuid email
//   update_email request  = tenant:uuid id:uuid email_id:uuid present:u8
//       [address:str] [type:u8] [is_primary:u8]             (bits 0..2)
//   remove_email request  = tenant:uuid id:uuid email_id:uuid
//   add_tag / remove_tag request = tenant:uuid id:uuid tag:str
//
// phone and email are the contact encodings (contact_codec.h); in ADD_*
// a nil id and tm_create are assigned by the server, number_e164 ignored.

#include <cstdint>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "index/contact.h"
#include "index/contact_store.h"
#include "index/uuid.h"

namespace contactd::protocol {

// Presence bits (do not change: on the wire).
enum FieldBit : uint16_t {
  kFieldFirstName = 1 << 0,
  kFieldLastName = 1 << 1,
  kFieldDisplayName = 1 << 2,
  kFieldCompany = 1 << 3,
  kFieldJobTitle = 1 << 4,
  kFieldExternalId = 1 << 5,
  kFieldNotes = 1 << 6,
  kFieldSource = 1 << 7,
  kFieldTags = 1 << 8,
};
inline constexpr uint16_t kKnownFieldBits = 0x01FF;
enum ItemBit : uint8_t {
  kItemNumber = 1 << 0,  // PhoneUpdate::number / EmailUpdate::address
  kItemType = 1 << 1,
  kItemIsPrimary = 1 << 2,
};
inline constexpr uint8_t kKnownItemBits = 0x07;

struct UpdateFieldsRequest {
  index::Uuid tenant;
  index::Uuid id;
  index::FieldUpdate update;
};
struct AddPhoneRequest {
  index::Uuid tenant;
  index::Uuid id;
  index::PhoneNumber phone;
  std::string region;  // "" = server default
};
struct UpdatePhoneRequest {
  index::Uuid tenant;
  index::Uuid id;
  index::Uuid phone_id;
  index::PhoneUpdate update;
  std::string region;
};
struct AddEmailRequest {
  index::Uuid tenant;
  index::Uuid id;
  index::Email email;
};
struct UpdateEmailRequest {
  index::Uuid tenant;
  index::Uuid id;
  index::Uuid email_id;
  index::EmailUpdate update;
};
// REMOVE_PHONE and REMOVE_EMAIL: item_id names the phone (email).
struct RemoveItemRequest {
  index::Uuid tenant;
  index::Uuid id;
  index::Uuid item_id;
};
using RemovePhoneRequest = RemoveItemRequest;
using RemoveEmailRequest = RemoveItemRequest;
// ADD_TAG and REMOVE_TAG.
struct TagRequest {
  index::Uuid tenant;
  index::Uuid id;
  std::string tag;
};
using AddTagRequest = TagRequest;
using RemoveTagRequest = TagRequest;

// Request bodies (no frame header). Decoders: InvalidArgument naming the
// field for anything malformed, unknown presence bits and trailing bytes
// included; `out` is overwritten.
void EncodeUpdateFieldsRequest(std::string& out,
                               const UpdateFieldsRequest& request);
absl::Status DecodeUpdateFieldsRequest(std::span<const uint8_t> body,
                                       UpdateFieldsRequest& out);
void EncodeAddPhoneRequest(std::string& out, const AddPhoneRequest& request);
absl::Status DecodeAddPhoneRequest(std::span<const uint8_t> body,
                                   AddPhoneRequest& out);
void EncodeUpdatePhoneRequest(std::string& out,
                              const UpdatePhoneRequest& request);
absl::Status DecodeUpdatePhoneRequest(std::span<const uint8_t> body,
                                      UpdatePhoneRequest& out);
void EncodeRemovePhoneRequest(std::string& out,
                              const RemovePhoneRequest& request);
absl::Status DecodeRemovePhoneRequest(std::span<const uint8_t> body,
                                      RemovePhoneRequest& out);
void EncodeAddEmailRequest(std::string& out, const AddEmailRequest& request);
absl::Status DecodeAddEmailRequest(std::span<const uint8_t> body,
                                   AddEmailRequest& out);
void EncodeUpdateEmailRequest(std::string& out,
                              const UpdateEmailRequest& request);
absl::Status DecodeUpdateEmailRequest(std::span<const uint8_t> body,
                                      UpdateEmailRequest& out);
void EncodeRemoveEmailRequest(std::string& out,
                              const RemoveEmailRequest& request);
absl::Status DecodeRemoveEmailRequest(std::span<const uint8_t> body,
                                      RemoveEmailRequest& out);
void EncodeAddTagRequest(std::string& out, const AddTagRequest& request);
absl::Status DecodeAddTagRequest(std::span<const uint8_t> body,
                                 AddTagRequest& out);
void EncodeRemoveTagRequest(std::string& out, const RemoveTagRequest& request);
absl::Status DecodeRemoveTagRequest(std::span<const uint8_t> body,
                                    RemoveTagRequest& out);

}  // namespace contactd::protocol
