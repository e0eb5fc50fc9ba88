#pragma once
// MatchIndex: a ShardedHashIndex whose keys (a phone number or an email of a
// tenant) may belong to several contacts. A key held by one contact maps to
// that contact's record and the position of the phone/email in it; a shared
// key (or one held at a position past IndexEntry::kMaxItem) maps to a
// MatchList in lookup order.
//
// Thread safety: as ShardedHashIndex — readers under an EpochGuard, one
// writer at a time.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "index/epoch.h"
#include "index/hash_sort.h"
#include "index/index_keys.h"
#include "index/match_list.h"
#include "index/sharded_hash_index.h"

namespace contactd::index {

template <typename Slot>
struct Lookup {
  const Slot* first = nullptr;  // nullptr when nothing matches
  uint32_t match_count = 0;
};

template <typename Policy>
class MatchIndex {
 public:
  using Key = typename Policy::Key;
  using Slot = typename Policy::Slot;
  using List = MatchList<Slot>;

  MatchIndex() = default;
  ~MatchIndex() {
    hashes_.ForEach([](IndexEntry e) {
      if (e.is_list()) List::Destroy(e.as<List>());
    });
  }

  // REQUIRES: an EpochGuard (for the result's lifetime too).
  Lookup<Slot> Find(const Key& key) const {
    const IndexEntry e = hashes_.Find(key, Policy::Hash(key));
    if (e.empty()) return {};
    if (!e.is_list()) return {FirstSlot<Slot>(e), 1};
    const List* list = e.as<List>();
    return {list->front(), list->size()};
  }

  // Fills `out` with the first matches in lookup order; returns the total.
  // REQUIRES: an EpochGuard.
  size_t FindAll(const Key& key, absl::Span<const Slot*> out) const {
    const IndexEntry e = hashes_.Find(key, Policy::Hash(key));
    if (e.empty()) return 0;
    if (!e.is_list()) {
      if (!out.empty()) out[0] = FirstSlot<Slot>(e);
      return 1;
    }
    const List* list = e.as<List>();
    std::copy_n(list->begin(), std::min<size_t>(out.size(), list->size()),
                out.begin());
    return list->size();
  }

  // Adds `slot` under its key, replacing a slot of the same contact. Writer.
  void Add(const Slot& slot) {
    const Key key = Policy::KeyOf(slot);
    const uint64_t hash = Policy::Hash(key);
    Entries entries =
        EntriesOtherThan(hashes_.Find(key, hash), slot.record().id());
    entries.slots.push_back(&slot);
    Store(key, hash, std::move(entries));
  }

  // Removes the slot of contact `contact_id` under `key`, if any. Writer.
  void Remove(const Key& key, const Uuid& contact_id) {
    const uint64_t hash = Policy::Hash(key);
    Store(key, hash, EntriesOtherThan(hashes_.Find(key, hash), contact_id));
  }

  // Fills an empty index with the phones (emails) of `records`, as Add() of
  // each slot in order would. REQUIRES: the index is empty and no reader or
  // writer uses it yet.
  void BulkLoad(absl::Span<const ContactRecord* const> records) {
    std::vector<std::pair<uint64_t, SlotRef>> slots;
    slots.reserve(records.size() * 2);  // typical contacts: 1-2 items
    for (const ContactRecord* r : records) {
      for (size_t i = 0; i < Policy::ItemCount(*r); ++i) {
        slots.emplace_back(Policy::Hash(Policy::KeyOf(Policy::Item(*r, i))),
                           SlotRef(*r, i));
      }
    }
    SortByHash(slots);  // stable: a contact's own slots stay in order
    std::vector<std::pair<uint64_t, IndexEntry>> entries;
    entries.reserve(slots.size());
    for (size_t run = 0; run < slots.size();) {
      size_t end = run;
      while (end < slots.size() && slots[end].first == slots[run].first) ++end;
      AddRun(absl::MakeSpan(slots).subspan(run, end - run), entries);
      run = end;
    }
    hashes_.BulkLoad(std::move(entries));
  }

  size_t size() const { return hashes_.size(); }
  // May be called by readers (ContactIndex::Stats) while the writer runs.
  size_t memory_bytes() const {
    return hashes_.memory_bytes() + list_bytes_.load(std::memory_order_relaxed);
  }

 private:
  // What a key names once contact `contact_id` is taken out, and the match
  // list being replaced (retired once the new entry is published).
  struct Entries {
    std::vector<const Slot*> slots;
    const List* replaced_list = nullptr;
  };

  static Entries EntriesOtherThan(IndexEntry entry, const Uuid& contact_id) {
    Entries out;
    if (entry.empty()) return out;
    if (!entry.is_list()) {
      const Slot* slot = FirstSlot<Slot>(entry);
      if (slot->record().id() != contact_id) out.slots.push_back(slot);
      return out;
    }
    out.replaced_list = entry.as<List>();
    for (const Slot* s : *out.replaced_list) {
      if (s->record().id() != contact_id) out.slots.push_back(s);
    }
    return out;
  }

  // A slot gathered by BulkLoad, in 8 bytes: its record (16-byte aligned,
  // below 2^48, as IndexEntry relies on too) and its position there. The
  // sort moves tens of millions of them; and since the position travels
  // with the record, a key of one contact (nearly all of them) is indexed
  // without reading the record again after the sort, which at 10M contacts
  // missed the cache once per phone or email.
  class SlotRef {
   public:
    SlotRef() = default;  // taken(); SortByHash needs a default
    SlotRef(const ContactRecord& record, size_t index)
        : bits_(reinterpret_cast<uintptr_t>(&record) | uint64_t{index} << 48) {}
    const ContactRecord& record() const {
      return *reinterpret_cast<const ContactRecord*>(bits_ & kRecordMask);
    }
    size_t index() const { return bits_ >> 48; }
    const Slot& slot() const { return Policy::Item(record(), index()); }
    // AddRun marks the slots it has put under a key.
    bool taken() const { return bits_ == 0; }
    void take() { bits_ = 0; }

   private:
    static constexpr uint64_t kRecordMask = (uint64_t{1} << 48) - 1;
    uint64_t bits_ = 0;
  };

  // The entries of slots sharing one hash: one per distinct key, keeping the
  // last slot of a contact under a key (as repeated Add()s would).
  void AddRun(absl::Span<std::pair<uint64_t, SlotRef>> run,
              std::vector<std::pair<uint64_t, IndexEntry>>& entries) {
    if (run.size() == 1) {  // the common case: a key of one contact
      const auto& [hash, only] = run[0];
      entries.emplace_back(
          hash, only.index() <= IndexEntry::kMaxItem
                    ? IndexEntry::MakeItem(&only.record(), only.index(), hash)
                    : EntryFor(hash, {&only.slot()}));  // a list
      return;
    }
    for (size_t i = 0; i < run.size(); ++i) {
      if (run[i].second.taken()) continue;  // by an earlier key
      const Key key = Policy::KeyOf(run[i].second.slot());
      std::vector<const Slot*> same;
      for (size_t j = i; j < run.size(); ++j) {
        if (run[j].second.taken()) continue;
        const Slot* slot = &run[j].second.slot();
        if (!(Policy::KeyOf(*slot) == key)) continue;
        run[j].second.take();
        std::erase_if(same, [&](const Slot* s) {
          return s->record().id() == slot->record().id();
        });
        same.push_back(slot);
      }
      entries.emplace_back(run[i].first,
                           EntryFor(run[i].first, std::move(same)));
    }
  }

  IndexEntry EntryFor(uint64_t hash, std::vector<const Slot*> slots) {
    if (const Slot* only = slots[0];
        slots.size() == 1 && only->index <= IndexEntry::kMaxItem) {
      return IndexEntry::MakeItem(&only->record(), only->index, hash);
    }
    const List* list = List::Create(std::move(slots));
    list_bytes_.fetch_add(list->bytes(), std::memory_order_relaxed);
    return IndexEntry::Make(list, true, hash);
  }

  void Store(const Key& key, uint64_t hash, Entries entries) {
    if (entries.slots.empty()) {
      hashes_.Erase(key, hash);
    } else {
      hashes_.Put(key, hash, EntryFor(hash, std::move(entries.slots)));
    }
    if (const List* old = entries.replaced_list; old != nullptr) {
      list_bytes_.fetch_sub(old->bytes(), std::memory_order_relaxed);
      Epochs().Retire(const_cast<List*>(old), &List::DestroyErased,
                      old->bytes());
    }
  }

  ShardedHashIndex<Policy> hashes_;
  // Written by the writer only, read by Stats() from any thread.
  std::atomic<size_t> list_bytes_{0};
};

}  // namespace contactd::index
