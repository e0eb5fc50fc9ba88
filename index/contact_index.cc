#include "index/contact_index.h"

#include <algorithm>
#include <string_view>
#include <thread>
#include <utility>

#include "index/errors.h"

namespace contactd::index {
namespace {

void RetireRecord(const ContactRecord* record) {
  Epochs().Retire(
      const_cast<ContactRecord*>(record),
      [](void* p) { ContactRecord::Destroy(static_cast<ContactRecord*>(p)); },
      record->size_bytes());
}

}  // namespace

ContactIndex::~ContactIndex() {
  // Members (shards, lists, trees) free themselves; records are ours.
  ids_.ForEach(
      [](IndexEntry e) { ContactRecord::Destroy(e.as<ContactRecord>()); });
}

const ContactRecord* ContactIndex::FindById(const Uuid& customer,
                                            const Uuid& id) const {
  const ContactRecord* r = Current(id);
  return r != nullptr && r->customer_id() == customer ? r : nullptr;
}

const ContactRecord* ContactIndex::FindByExternalId(
    const Uuid& customer, std::string_view external_id) const {
  const ExternalIdKey key{customer, external_id};
  const IndexEntry e = external_ids_.Find(key, ExternalIdKeyPolicy::Hash(key));
  return e.empty() ? nullptr : e.as<ContactRecord>();
}

size_t ContactIndex::List(const Uuid& customer, std::string_view tag,
                          const Uuid* after,
                          absl::Span<const ContactRecord*> out) const {
  const ContactList* list = lists_.Find({customer, tag});
  if (list == nullptr || out.empty()) return 0;
  size_t n = 0;
  ContactTree::Scan(list->root, after, [&](const ContactRecord* r) {
    out[n++] = r;
    return n < out.size();
  });
  return n;
}

size_t ContactIndex::ListSize(const Uuid& customer,
                              std::string_view tag) const {
  const ContactList* list = lists_.Find({customer, tag});
  return list == nullptr ? 0 : list->size;
}

IndexView ContactIndex::View() const {
  std::vector<const ContactList*> tenants;
  lists_.ForEach([&](const ContactList& list) {
    if (list.tag == kAllContacts) tenants.push_back(&list);
  });
  return IndexView(std::move(tenants));
}

IndexStats ContactIndex::Stats() const {
  IndexStats s;
  s.contacts = ids_.size();
  lists_.ForEach([&](const ContactList& list) {
    if (list.tag == kAllContacts) ++s.tenants;
  });
  s.phone_keys = phones_.size();
  s.email_keys = emails_.size();
  s.external_ids = external_ids_.size();
  s.lists = lists_.list_count();
  s.record_bytes = record_bytes_.load(std::memory_order_relaxed);
  s.id_index_bytes = ids_.memory_bytes();
  s.external_id_index_bytes = external_ids_.memory_bytes();
  s.phone_index_bytes = phones_.memory_bytes();
  s.email_index_bytes = emails_.memory_bytes();
  s.list_index_bytes = lists_.memory_bytes();
  return s;
}

const ContactRecord* ContactIndex::Current(const Uuid& id) const {
  const IndexEntry e = ids_.Find(id, IdKeyPolicy::Hash(id));
  return e.empty() ? nullptr : e.as<ContactRecord>();
}

void ContactIndex::Put(ContactRecord::Ptr record) {
  const ContactRecord* now = record.release();
  const ContactRecord* old = Current(now->id());
  const uint64_t hash = IdKeyPolicy::Hash(now->id());
  // Invariant 2: by id first, then keys gained or kept, then keys lost.
  ids_.Put(now->id(), hash, IndexEntry::Make(now, false, hash));
  UpdateExternalId(old, now);
  UpdatePhones(old, now);
  UpdateEmails(old, now);
  UpdateLists(old, now);
  record_bytes_.fetch_add(now->size_bytes(), std::memory_order_relaxed);
  if (old != nullptr) {
    record_bytes_.fetch_sub(old->size_bytes(), std::memory_order_relaxed);
    RetireRecord(old);
  }
}

bool ContactIndex::Remove(const Uuid& id) {
  const ContactRecord* old = Current(id);
  if (old == nullptr) return false;
  UpdateExternalId(old, nullptr);
  UpdatePhones(old, nullptr);
  UpdateEmails(old, nullptr);
  UpdateLists(old, nullptr);
  ids_.Erase(id, IdKeyPolicy::Hash(id));
  record_bytes_.fetch_sub(old->size_bytes(), std::memory_order_relaxed);
  RetireRecord(old);
  return true;
}

// Below this many records a second thread costs more than it saves (a
// thread start is ~50 µs; indexing 2048 records takes about 1 ms).
constexpr size_t kParallelBulkLoadMin = 2048;

absl::Status ContactIndex::BulkLoad(std::vector<ContactRecord::Ptr> records,
                                    int threads) {
  if (size() != 0) {
    return MakeError(absl::StatusCode::kFailedPrecondition, Reason::kNone,
                     "bulk load into a non-empty index");
  }
  // Sort (id, position) pairs, not the records: comparing in place would
  // miss the cache on two records per comparison.
  std::vector<std::pair<Uuid, size_t>> by_id;
  by_id.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    by_id.emplace_back(records[i]->id(), i);
  }
  std::sort(by_id.begin(), by_id.end());
  for (size_t i = 1; i < by_id.size(); ++i) {
    if (by_id[i].first == by_id[i - 1].first) {
      return AlreadyExists(
          Reason::kAlreadyExists,
          "contact " + by_id[i].first.ToString() + " appears twice");
    }
  }
  std::vector<std::pair<Uuid, std::string_view>> external_ids;
  for (const ContactRecord::Ptr& r : records) {
    if (!r->external_id().empty())
      external_ids.emplace_back(r->customer_id(), r->external_id());
  }
  std::sort(external_ids.begin(), external_ids.end());
  if (std::adjacent_find(external_ids.begin(), external_ids.end()) !=
      external_ids.end()) {
    return AlreadyExists(Reason::kExternalIdConflict,
                         "an external_id appears twice in one tenant");
  }
  std::vector<const ContactRecord*> loaded;  // in id order
  loaded.reserve(records.size());
  size_t bytes = 0;
  for (const auto& [id, position] : by_id) {
    bytes += records[position]->size_bytes();
    loaded.push_back(records[position].release());
  }
  // The indexes are independent: build them on two cores (a snapshot load
  // of millions of contacts spends most of its time here).
  auto build_half = [&] {
    phones_.BulkLoad(loaded);
    lists_.BulkLoad(loaded);
  };
  if (threads < 2 || loaded.size() < kParallelBulkLoadMin) {
    build_half();
    BulkLoadIds(loaded);
    emails_.BulkLoad(loaded);
  } else {
    std::thread other(build_half);
    BulkLoadIds(loaded);
    emails_.BulkLoad(loaded);
    other.join();
  }
  record_bytes_.store(bytes, std::memory_order_relaxed);
  return absl::OkStatus();
}

void ContactIndex::BulkLoadIds(absl::Span<const ContactRecord* const> records) {
  std::vector<std::pair<uint64_t, IndexEntry>> ids;
  std::vector<std::pair<uint64_t, IndexEntry>> external_ids;
  ids.reserve(records.size());
  for (const ContactRecord* r : records) {
    const uint64_t hash = IdKeyPolicy::Hash(r->id());
    ids.emplace_back(hash, IndexEntry::Make(r, false, hash));
    if (r->external_id().empty()) continue;
    const uint64_t ext_hash =
        ExternalIdKeyPolicy::Hash({r->customer_id(), r->external_id()});
    external_ids.emplace_back(ext_hash, IndexEntry::Make(r, false, ext_hash));
  }
  ids_.BulkLoad(std::move(ids));
  external_ids_.BulkLoad(std::move(external_ids));
}

void ContactIndex::UpdateExternalId(const ContactRecord* old,
                                    const ContactRecord* now) {
  if (now != nullptr && !now->external_id().empty()) {
    const ExternalIdKey key{now->customer_id(), now->external_id()};
    const uint64_t hash = ExternalIdKeyPolicy::Hash(key);
    external_ids_.Put(key, hash, IndexEntry::Make(now, false, hash));
  }
  if (old != nullptr && !old->external_id().empty() &&
      (now == nullptr || now->external_id() != old->external_id())) {
    const ExternalIdKey key{old->customer_id(), old->external_id()};
    external_ids_.Erase(key, ExternalIdKeyPolicy::Hash(key));
  }
}

void ContactIndex::UpdatePhones(const ContactRecord* old,
                                const ContactRecord* now) {
  if (now != nullptr) {
    for (size_t i = 0; i < now->phone_count(); ++i) phones_.Add(now->phone(i));
  }
  if (old == nullptr) return;
  for (size_t i = 0; i < old->phone_count(); ++i) {
    const PhoneSlot& lost = old->phone(i);
    if (now == nullptr || now->FindPhone(lost.e164) == nullptr) {
      phones_.Remove(PhoneKeyPolicy::KeyOf(lost), old->id());
    }
  }
}

void ContactIndex::UpdateEmails(const ContactRecord* old,
                                const ContactRecord* now) {
  if (now != nullptr) {
    for (size_t i = 0; i < now->email_count(); ++i) emails_.Add(now->email(i));
  }
  if (old == nullptr) return;
  for (size_t i = 0; i < old->email_count(); ++i) {
    const std::string_view lost = old->email_address(i);
    if (now == nullptr || now->FindEmail(lost) == nullptr) {
      emails_.Remove(EmailKeyPolicy::KeyOf(old->email(i)), old->id());
    }
  }
}

void ContactIndex::UpdateLists(const ContactRecord* old,
                               const ContactRecord* now) {
  if (now != nullptr) {
    lists_.Insert({now->customer_id(), kAllContacts}, now);
    for (size_t i = 0; i < now->tag_count(); ++i) {
      lists_.Insert({now->customer_id(), now->tag(i)}, now);
    }
  }
  if (old == nullptr) return;
  for (size_t i = 0; i < old->tag_count(); ++i) {
    if (now == nullptr || !now->HasTag(old->tag(i))) {
      lists_.Erase({old->customer_id(), old->tag(i)}, old->id());
    }
  }
  if (now == nullptr)
    lists_.Erase({old->customer_id(), kAllContacts}, old->id());
}

}  // namespace contactd::index
