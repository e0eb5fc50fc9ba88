#include "snapshot/journal.h"

#include "snapshot/contact_payload.h"

namespace contactd::snapshot {

absl::Status Journal::LogPut(const index::ContactRecord*,
                             const index::ContactRecord& now) {
  payload_.clear();
  EncodeStoredContact(payload_, now);
  return Append(WalRecordType::kPut);
}

absl::Status Journal::LogDelete(const index::ContactRecord& old) {
  payload_.clear();
  EncodeDeletedContact(payload_, {old.customer_id(), old.id()});
  return Append(WalRecordType::kDelete);
}

absl::Status Journal::Append(WalRecordType type) {
  auto sequence = wal_.Append(type, payload_);
  if (sequence.ok()) return absl::OkStatus();
  if (absl::Status broken = wal_.failure(); !broken.ok()) on_broken_(broken);
  return sequence.status();
}

}  // namespace contactd::snapshot
