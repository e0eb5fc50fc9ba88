#include "index/contact_index.h"

#include <algorithm>
#include <string_view>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "index/hash_sort.h"

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

namespace {

using HashedEntries = std::vector<std::pair<uint64_t, IndexEntry>>;

// Runs two functions: when parallel, the second on a thread of its own;
// else one after the other.
class RunBoth {
 public:
  explicit RunBoth(bool parallel) : parallel_(parallel) {}

  template <typename A, typename B>
  void operator()(A&& a, B&& b) const {
    if (!parallel_) {
      a();
      b();
      return;
    }
    std::thread other(std::forward<B>(b));
    a();
    other.join();
  }

 private:
  bool parallel_;
};

// The id entries of `records`, sorted by hash, each pass in two halves
// given to `run_both`; sets `bytes` to the records' total size (read here,
// where each record's header is in the cache anyway).
HashedEntries SortedIdEntries(absl::Span<const ContactRecord* const> records,
                              const RunBoth& run_both, size_t& bytes) {
  HashedEntries ids(records.size());
  auto gather = [&](size_t first, size_t last) {
    size_t sum = 0;
    for (size_t i = first; i < last; ++i) {
      const ContactRecord* r = records[i];
      const uint64_t hash = IdKeyPolicy::Hash(r->id());
      ids[i] = {hash, IndexEntry::Make(r, false, hash)};
      sum += r->size_bytes();
    }
    return sum;
  };
  const size_t half = records.size() / 2;
  size_t first_bytes = 0, second_bytes = 0;
  run_both([&] { first_bytes = gather(0, half); },
           [&] { second_bytes = gather(half, records.size()); });
  bytes = first_bytes + second_bytes;
  SortByHash(ids, run_both);
  return ids;
}

// The external-id entries of `records` (those that have one), by hash; as
// above, each pass in two halves.
HashedEntries SortedExternalIdEntries(
    absl::Span<const ContactRecord* const> records, const RunBoth& run_both) {
  auto gather = [](absl::Span<const ContactRecord* const> part) {
    HashedEntries out;
    for (const ContactRecord* r : part) {
      if (r->external_id().empty()) continue;
      const uint64_t hash =
          ExternalIdKeyPolicy::Hash({r->customer_id(), r->external_id()});
      out.emplace_back(hash, IndexEntry::Make(r, false, hash));
    }
    return out;
  };
  const size_t half = records.size() / 2;
  HashedEntries external_ids, second;
  run_both([&] { external_ids = gather(records.subspan(0, half)); },
           [&] { second = gather(records.subspan(half)); });
  external_ids.insert(external_ids.end(), second.begin(), second.end());
  SortByHash(external_ids, run_both);
  return external_ids;
}

// A record whose key another of `entries` (sorted by hash) has too, or
// nullptr. Equal keys have equal hashes: only runs of those are compared.
template <typename SameKey>
const ContactRecord* RepeatedKey(const HashedEntries& entries,
                                 SameKey same_key) {
  for (size_t i = 0; i < entries.size(); ++i) {
    for (size_t j = i + 1;
         j < entries.size() && entries[j].first == entries[i].first; ++j) {
      const ContactRecord* a = entries[i].second.as<ContactRecord>();
      const ContactRecord* b = entries[j].second.as<ContactRecord>();
      if (same_key(*a, *b)) return b;
    }
  }
  return nullptr;
}

}  // namespace

// Works in the order of `records` (a snapshot's file order is also their
// order in memory): following ids would miss the cache on every record.
absl::Status ContactIndex::BulkLoad(std::vector<ContactRecord::Ptr> records,
                                    int threads) {
  if (size() != 0) {
    return MakeError(absl::StatusCode::kFailedPrecondition, Reason::kNone,
                     "bulk load into a non-empty index");
  }
  std::vector<const ContactRecord*> loaded;
  loaded.reserve(records.size());
  for (const ContactRecord::Ptr& r : records) loaded.push_back(r.get());
  const RunBoth run_both(threads >= 2 && loaded.size() >= kParallelBulkLoadMin);
  // The only errors are a repeated id or external id: both show up once
  // their entries are sorted by hash, before anything is built. Both sorts
  // use both threads: a start-up spent 0.55-1.6 s here with the second
  // thread on the external ids alone (none, in the benchmark's dataset).
  size_t bytes = 0;
  HashedEntries ids = SortedIdEntries(loaded, run_both, bytes);
  HashedEntries external_ids = SortedExternalIdEntries(loaded, run_both);
  if (const ContactRecord* repeated =
          RepeatedKey(ids, [](const ContactRecord& a, const ContactRecord& b) {
            return a.id() == b.id();
          })) {
    return AlreadyExists(
        Reason::kAlreadyExists,
        absl::StrCat("contact ", repeated->id().ToString(), " appears twice"));
  }
  if (const ContactRecord* repeated = RepeatedKey(
          external_ids, [](const ContactRecord& a, const ContactRecord& b) {
            return a.customer_id() == b.customer_id() &&
                   a.external_id() == b.external_id();
          })) {
    return AlreadyExists(
        Reason::kExternalIdConflict,
        absl::StrCat("external_id '", std::string(repeated->external_id()),
                     "' appears twice in tenant ",
                     repeated->customer_id().ToString()));
  }
  for (ContactRecord::Ptr& r : records) r.release();  // the index owns them
  // The indexes are independent: build them on two cores (a snapshot load
  // of millions of contacts spends most of its time here), in halves that
  // ended 2.2 and 2.3 s after they started in a 10M contactd start-up. Each
  // alone on one thread (BM_BulkLoadStages at 10M): phones 1.16 s, lists
  // 0.79-1.19, emails 0.57, id shards 0.20; two threads at once take longer,
  // both faulting in fresh memory.
  run_both(
      [&] {
        phones_.BulkLoad(loaded);
        ids_.BulkLoad(std::move(ids));
      },
      [&] {
        external_ids_.BulkLoad(std::move(external_ids));
        emails_.BulkLoad(loaded);
        lists_.BulkLoad(loaded);
      });
  record_bytes_.store(bytes, std::memory_order_relaxed);
  return absl::OkStatus();
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
