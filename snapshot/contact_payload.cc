#include "snapshot/contact_payload.h"

#include "absl/strings/str_cat.h"
#include "index/contact.h"
#include "index/e164.h"
#include "index/email_normalizer.h"
#include "index/validation.h"
#include "protocol/contact_codec.h"
#include "protocol/wire_writer.h"

namespace contactd::snapshot {
namespace {

using index::Contact;

absl::Status NotStored(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("stored contact: ", what));
}

// What the writer guarantees of every contact it stores, beyond the field
// rules of ValidateContact.
absl::Status CheckResolved(const Contact& c) {
  if (c.id.is_nil()) return NotStored("id is nil");
  if (c.tm_create == absl::InfinitePast() ||
      c.tm_update == absl::InfinitePast()) {
    return NotStored("tm_create or tm_update is unset");
  }
  for (const index::PhoneNumber& p : c.phone_numbers) {
    if (p.id.is_nil()) return NotStored("a phone id is nil");
    if (!index::E164Number::FromStrict(p.number_e164)) {
      return NotStored(absl::StrCat("phone ", p.id.ToString(),
                                    ": number_e164 is not E.164"));
    }
  }
  for (const index::Email& e : c.emails) {
    if (e.id.is_nil()) return NotStored("an email id is nil");
    if (!index::IsNormalizedEmail(e.address)) {
      return NotStored(absl::StrCat("email ", e.id.ToString(),
                                    ": address is not normalized"));
    }
  }
  if (auto s = index::ValidateContact(c); !s.ok()) {
    return NotStored(s.message());
  }
  return absl::OkStatus();
}

}  // namespace

void EncodeStoredContact(std::string& out, const index::ContactRecord& record) {
  protocol::PutContact(out, record);
}

absl::StatusOr<index::ContactRecord::Ptr> DecodeStoredContact(
    protocol::WireReader& r) {
  // Reused per thread: a snapshot load decodes millions of contacts, and a
  // fresh Contact would allocate its strings and vectors each time.
  thread_local Contact contact;
  protocol::ReadContact(r, contact);
  if (!r.ok()) return absl::DataLossError(r.status().message());
  if (auto s = CheckResolved(contact); !s.ok()) return s;
  index::ContactRecord::Ptr record = index::ContactRecord::Build(contact);
  if (record == nullptr) return NotStored("larger than a record can hold");
  return record;
}

void EncodeDeletedContact(std::string& out, const DeletedContact& deleted) {
  protocol::PutUuid(out, deleted.customer_id);
  protocol::PutUuid(out, deleted.id);
}

absl::StatusOr<DeletedContact> DecodeDeletedContact(protocol::WireReader& r) {
  DeletedContact deleted;
  deleted.customer_id = r.Uuid("customer_id");
  deleted.id = r.Uuid("id");
  if (!r.ok()) return absl::DataLossError(r.status().message());
  if (deleted.customer_id.is_nil() || deleted.id.is_nil()) {
    return absl::DataLossError("deleted contact: nil customer_id or id");
  }
  return deleted;
}

}  // namespace contactd::snapshot
