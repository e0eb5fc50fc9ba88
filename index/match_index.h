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
    // Each slot is gathered as the entry its key gets when no other contact
    // holds it, as nearly every key is. After the sort, each run of equal
    // hashes is rewritten in place, as the entries of its distinct keys:
    // there are never more of those than slots, so no second array of
    // entries is needed (for the phones of 10M contacts, 320 MB of fresh
    // pages, whose first touch costs more than the work done in them).
    std::vector<std::pair<uint64_t, IndexEntry>> entries;
    entries.reserve(records.size() * 2);  // typical contacts: 1-2 items
    for (const ContactRecord* r : records) {
      for (size_t i = 0; i < Policy::ItemCount(*r); ++i) {
        const Slot& slot = Policy::Item(*r, i);
        const uint64_t hash = Policy::Hash(Policy::KeyOf(slot));
        entries.emplace_back(hash, EntryFor(hash, slot));
      }
    }
    SortByHash(entries);  // stable: a contact's own slots stay in order
    size_t kept = 0;
    for (size_t run = 0; run < entries.size();) {
      size_t end = run + 1;
      while (end < entries.size() && entries[end].first == entries[run].first)
        ++end;
      if (end == run + 1) {
        entries[kept++] = entries[run];  // a key of one contact
      } else {
        kept = MergeRun(entries, run, end, kept);
      }
      run = end;
    }
    entries.resize(kept);
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

  // Rewrites entries[run, end), gathered by BulkLoad and sharing one hash,
  // as one entry per distinct key, written from entries[kept] on (kept <=
  // run); keeps the last slot of a contact under a key, as repeated Add()s
  // would. Returns the new `kept`.
  size_t MergeRun(std::vector<std::pair<uint64_t, IndexEntry>>& entries,
                  size_t run, size_t end, size_t kept) {
    const uint64_t hash = entries[run].first;
    std::vector<const Slot*> slots;
    for (size_t i = run; i < end; ++i)
      slots.push_back(TakeSlot(entries[i].second));
    while (!slots.empty()) {
      const Key key = Policy::KeyOf(*slots.front());
      std::vector<const Slot*> same, others;
      for (const Slot* slot : slots) {
        if (!(Policy::KeyOf(*slot) == key)) {
          others.push_back(slot);
          continue;
        }
        std::erase_if(same, [&](const Slot* s) {
          return s->record().id() == slot->record().id();
        });
        same.push_back(slot);
      }
      entries[kept++] = {hash, EntryFor(hash, std::move(same))};
      slots.swap(others);
    }
    return kept;
  }

  // The slot a gathered entry names; frees the list of one that needed one.
  const Slot* TakeSlot(IndexEntry gathered) {
    const Slot* slot = FirstSlot<Slot>(gathered);
    if (gathered.is_list()) {
      const List* list = gathered.as<List>();
      list_bytes_.fetch_sub(list->bytes(), std::memory_order_relaxed);
      List::Destroy(list);
    }
    return slot;
  }

  // The entry of a key held by `only`: the slot itself, or a list when its
  // position is past what an entry encodes.
  IndexEntry EntryFor(uint64_t hash, const Slot& only) {
    if (only.index <= IndexEntry::kMaxItem)
      return IndexEntry::MakeItem(&only.record(), only.index, hash);
    return NewList(hash, {&only});
  }
  IndexEntry EntryFor(uint64_t hash, std::vector<const Slot*> slots) {
    if (slots.size() == 1) return EntryFor(hash, *slots[0]);
    return NewList(hash, std::move(slots));
  }
  IndexEntry NewList(uint64_t hash, std::vector<const Slot*> slots) {
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
