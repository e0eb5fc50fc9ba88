#pragma once
// ContactIndex: every contact in memory and the indexes that find them.
//
//   id                       -> contact      (GET by id)
//   (tenant, external_id)    -> contact      (CRM dedup; unique per tenant)
//   (tenant, E.164)          -> contacts     (lookup on an inbound call)
//   (tenant, email)          -> contacts     (lookup on an inbound message)
//   tenant, (tenant, tag)    -> contacts in id order (listing, paging)
//
// Reads never take a lock and never wait for the writer: they run inside an
// EpochGuard and see immutable records through atomically published shards
// (see sharded_hash_index.h, docs/architecture.md). Everything a read returns
// stays valid until the guard is destroyed.
//
//   EpochGuard guard;
//   Lookup<PhoneSlot> hit = index.FindByPhone(tenant, number);
//   if (hit.first) Use(hit.first->record(), hit.match_count);
//
// Writes are Put (store a resolved contact, replacing the one with its id)
// and Remove. The rules that turn a request into a resolved contact — ids,
// timestamps, external_id dedup, partial updates — live in ContactStore.
//
// Thread safety: reads from any number of threads; Put/Remove from one
// thread at a time (ContactStore serializes them).
//
// Invariants (for a concurrent reader):
//  1. A record is immutable once published and is freed only after every
//     index entry naming it is gone and a grace period has passed.
//  2. Put publishes the new record by id first, then adds or repoints the
//     entries of the keys it has, then removes the entries of keys it lost;
//     an entry always names a record that has its key (entries are checked
//     against the record on every match), so a reader finds the old contact
//     or the new one, never a mix, and never a contact under a key it lacks.
//  3. A lookup never returns another tenant's contact: every key but the id
//     carries the tenant, and FindById checks it.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

#include "absl/types/span.h"
#include "index/contact_record.h"
#include "index/index_keys.h"
#include "index/index_view.h"
#include "index/list_index.h"
#include "index/match_index.h"
#include "index/sharded_hash_index.h"

namespace contactd::index {

struct IndexStats {
  size_t contacts = 0;
  size_t tenants = 0;
  size_t phone_keys = 0;
  size_t email_keys = 0;
  size_t external_ids = 0;
  size_t lists = 0;  // tenants + (tenant, tag) pairs
  size_t record_bytes = 0;
  size_t id_index_bytes = 0;
  size_t external_id_index_bytes = 0;
  size_t phone_index_bytes = 0;
  size_t email_index_bytes = 0;
  size_t list_index_bytes = 0;
  size_t total_bytes() const {
    return record_bytes + id_index_bytes + external_id_index_bytes +
           phone_index_bytes + email_index_bytes + list_index_bytes;
  }
};

class ContactIndex {
 public:
  // Most matches FindAll* reports in full; the count is always exact.
  static constexpr size_t kMaxMatches = 100;

  ContactIndex() = default;
  ~ContactIndex();  // REQUIRES: no reader inside this index
  ContactIndex(const ContactIndex&) = delete;
  ContactIndex& operator=(const ContactIndex&) = delete;

  // ---- Reads. REQUIRE an EpochGuard, which also bounds the results' life.

  // The first contact of `customer` with this number / (normalized) address
  // in lookup order, and how many contacts have it.
  Lookup<PhoneSlot> FindByPhone(const Uuid& customer, E164Number number) const {
    return phones_.Find({customer, number});
  }
  Lookup<EmailSlot> FindByEmail(const Uuid& customer,
                                std::string_view address) const {
    return emails_.Find({customer, address});
  }
  // The first out.size() matches in lookup order; returns the total count.
  size_t FindAllByPhone(const Uuid& customer, E164Number number,
                        absl::Span<const PhoneSlot*> out) const {
    return phones_.FindAll({customer, number}, out);
  }
  size_t FindAllByEmail(const Uuid& customer, std::string_view address,
                        absl::Span<const EmailSlot*> out) const {
    return emails_.FindAll({customer, address}, out);
  }
  // nullptr when there is no such contact or it belongs to another tenant.
  const ContactRecord* FindById(const Uuid& customer, const Uuid& id) const;
  const ContactRecord* FindByExternalId(const Uuid& customer,
                                        std::string_view external_id) const;
  // Up to out.size() contacts of `customer` (having `tag`, unless it is
  // kAllContacts) with id > *after (all when after is nullptr), in id order.
  // Returns how many were written to `out`.
  size_t List(const Uuid& customer, std::string_view tag, const Uuid* after,
              absl::Span<const ContactRecord*> out) const;
  // How many contacts List(customer, tag, ...) would walk in total.
  size_t ListSize(const Uuid& customer, std::string_view tag) const;

  // Whether any tenant has a contact with this id.
  bool HasId(const Uuid& id) const { return Current(id) != nullptr; }

  size_t size() const { return ids_.size(); }
  // Walks the list trees: for stats endpoints, not hot paths. REQUIRES: an
  // EpochGuard.
  IndexStats Stats() const;

  // Every contact as of now (index_view.h). REQUIRES: no Put/Remove runs
  // during the call (the writer calls it, or ContactStore::Freeze), and the
  // caller's thread holds an EpochGuard taken before the call for as long as
  // it uses the view.
  IndexView View() const;

  // ---- Writes. One writer at a time.

  // Stores `record`, replacing the contact with the same id. REQUIRES: a
  // replaced contact has the same customer_id; external_id is not held by
  // another contact of the tenant (ContactStore checks both).
  void Put(ContactRecord::Ptr record);
  // Removes the contact with `id`; false when there is none.
  bool Remove(const Uuid& id);

  // Fills an empty index with `records` in one pass, without per-key
  // copy-on-write: what Put of each record would build (for snapshot
  // restore and big test stores). Fastest in a snapshot's order: by
  // tenant, then id, and in that order in memory. Errors, with nothing loaded:
  // FAILED_PRECONDITION when the index is not empty; ALREADY_EXISTS (reason
  // ALREADY_EXISTS or EXTERNAL_ID_CONFLICT) for a repeated id or a tenant's
  // repeated external_id. REQUIRES: no reader or writer uses the index yet.
  // `threads` (1 or 2): the independent indexes are built on that many
  // threads (a start-up wants both cores; a reload leaves one to lookups).
  absl::Status BulkLoad(std::vector<ContactRecord::Ptr> records,
                        int threads = 2);

 private:
  // The writer's view of a contact (no guard needed: only it frees records).
  const ContactRecord* Current(const Uuid& id) const;
  void UpdateExternalId(const ContactRecord* old, const ContactRecord* now);
  void UpdatePhones(const ContactRecord* old, const ContactRecord* now);
  void UpdateEmails(const ContactRecord* old, const ContactRecord* now);
  void UpdateLists(const ContactRecord* old, const ContactRecord* now);

  ShardedHashIndex<IdKeyPolicy> ids_;
  ShardedHashIndex<ExternalIdKeyPolicy> external_ids_;
  MatchIndex<PhoneKeyPolicy> phones_;
  MatchIndex<EmailKeyPolicy> emails_;
  ListIndex lists_;
  std::atomic<size_t> record_bytes_{0};
};

}  // namespace contactd::index
