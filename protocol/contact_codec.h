#pragma once
// The contact encodings shared by the message bodies: the full contact (every
// field of index::Contact) and the summary answer of a lookup.
//
//   contact = id:uuid customer_id:uuid
//             first_name:str last_name:str display_name:str company:str
//             job_title:str source:u8 external_id:str notes:str
//             tm_create:time tm_update:time
//             phone_count:u16 phone{phone_count}
//             email_count:u16 email{email_count}
//             tag_count:u16 tag:str{tag_count}
//   phone   = id:uuid number:str number_e164:str type:u8 item_flags:u8
//             tm_create:time
//   email   = id:uuid address:str type:u8 item_flags:u8 tm_create:time
//   item_flags: bit 0 is_primary; the other bits are 0
//   summary = contact_id:uuid matched_id:uuid matched_type:u8
//             matched_flags:u8 first_name:str last_name:str
//             display_name:str company:str tag_count:u16 tag:str{tag_count}
//
// Enums are u8 with the values of index/contact.h (PhoneType, EmailType,
// Source). A phone's number is as entered; for a stored contact entered in
// E.164 form it equals number_e164.
//
// Put* append a piece to a body; Read* read one through a WireReader (sticky
// errors: check the reader). PutContact from a ContactRecord is the server's
// hot path: it reads the record in place and allocates nothing but the
// growth of `out`; its bytes equal PutContact(out, record.ToContact()).

#include <cstdint>
#include <string>
#include <vector>

#include "index/contact.h"
#include "index/contact_record.h"
#include "index/uuid.h"
#include "protocol/wire_reader.h"

namespace contactd::protocol {

// NOTE: on the wire: do not change.
inline constexpr uint8_t kItemPrimary = 1;  // item_flags / matched_flags
// The most phones, emails or tags one contact may carry on the wire (the
// record format's limit; validation's stricter limits apply on top).
inline constexpr size_t kMaxWireItems = 255;
// The smallest encodings, for count checks against the remaining bytes.
inline constexpr size_t kMinPhoneBytes = 30;
inline constexpr size_t kMinEmailBytes = 28;
inline constexpr size_t kMinStringBytes = 2;
inline constexpr size_t kMinContactBytes = 69;
inline constexpr size_t kMinSummaryBytes = 44;

// The summary answer of a lookup (decoded, owning).
struct ContactSummary {
  index::Uuid contact_id;
  index::Uuid matched_id;    // the phone or email that matched
  uint8_t matched_type = 0;  // index::PhoneType (phone lookups) or
                             // index::EmailType (email lookups)
  bool matched_primary = false;
  std::string first_name;
  std::string last_name;
  std::string display_name;
  std::string company;
  std::vector<std::string> tags;

  friend bool operator==(const ContactSummary&,
                         const ContactSummary&) = default;
};

void PutContact(std::string& out, const index::Contact& contact);
void PutContact(std::string& out, const index::ContactRecord& record);
void PutPhone(std::string& out, const index::PhoneNumber& phone);
void PutEmail(std::string& out, const index::Email& email);

// The summary of the contact owning `matched`, naming that phone (email).
void PutPhoneSummary(std::string& out, const index::PhoneSlot& matched);
void PutEmailSummary(std::string& out, const index::EmailSlot& matched);

// Read the encodings above into `out` (overwritten; unspecified after an
// error). Enum values outside index/contact.h and unknown flag bits are
// errors; counts are checked against kMaxWireItems and the remaining bytes
// before anything is reserved. Decoding into a reused object reuses its
// buffers.
void ReadContact(WireReader& r, index::Contact& out);
void ReadPhone(WireReader& r, index::PhoneNumber& out);
void ReadEmail(WireReader& r, index::Email& out);
void ReadContactSummary(WireReader& r, ContactSummary& out);
// An enum byte: fails naming `field` unless value <= max.
uint8_t ReadEnum(WireReader& r, std::string_view field, uint8_t max);
// A counted array of str: tag_count:u16 tag:str{tag_count}.
void ReadTags(WireReader& r, std::vector<std::string>& out);
void PutTags(std::string& out, const std::vector<std::string>& tags);

}  // namespace contactd::protocol
