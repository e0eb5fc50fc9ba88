#pragma once
// The bytes of a stored contact in WAL records and snapshot blocks: the
// protocol's full contact encoding (protocol/contact_codec.h, specified in
// docs/protocol.md), which every persisted file shares with the wire.
//
//   std::string bytes;
//   EncodeStoredContact(bytes, record);
//   protocol::WireReader r(bytes, "snapshot block");
//   ASSIGN_OR_RETURN(ContactRecord::Ptr copy, DecodeStoredContact(r));
//
// A stored contact is a resolved one: ids, times and E.164 forms are set,
// emails are normalized, and it passes index::ValidateContact. Decoding
// checks all of that, so a file that passes its checksums but holds a
// contact the server could never have written is still refused.

#include <string>

#include "absl/status/statusor.h"
#include "index/contact_record.h"
#include "index/uuid.h"
#include "protocol/wire_reader.h"

namespace contactd::snapshot {

void EncodeStoredContact(std::string& out, const index::ContactRecord& record);

// Reads one stored contact from `r`. Errors are DATA_LOSS and say which
// field is wrong; `r` is left failed or past the contact.
absl::StatusOr<index::ContactRecord::Ptr> DecodeStoredContact(
    protocol::WireReader& r);

// The key of a removed contact: customer_id:uuid id:uuid.
struct DeletedContact {
  index::Uuid customer_id;
  index::Uuid id;
};
void EncodeDeletedContact(std::string& out, const DeletedContact& deleted);
absl::StatusOr<DeletedContact> DecodeDeletedContact(protocol::WireReader& r);

}  // namespace contactd::snapshot
