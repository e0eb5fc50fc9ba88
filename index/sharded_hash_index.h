#pragma once
// ShardedHashIndex: a hash index whose reads take no lock and never wait.
//
// The index is an extendible-hashing directory of 2^depth slots (one block),
// each pointing to a shard: an absl::flat_hash_set of IndexEntry. The top
// `depth` bits of a key's 64-bit xxHash pick the slot; the low 16 bits,
// stored in the entry itself, place it inside the shard.
//
// Writes come in two kinds. Repointing a key that is present (a contact
// replaced by its new version) stores the new entry into the published shard
// with one atomic store: the key's place does not change, and a reader sees
// the old entry or the new one, both valid for the key. Inserting or erasing
// a key copies the one shard it touches (at most kSplitAbove entries, ~0.5
// KiB), changes the copy and publishes it with one atomic store; the old
// shard is retired to the epoch domain (epoch.h) and freed once no reader can
// hold it. A shard that grows past kSplitAbove entries splits in two
// (doubling the directory when needed), so write cost stays bounded at any
// size.
//
//   struct PhonePolicy {           // what a key is and how an entry matches
//     using Key = ...;
//     static uint64_t Hash(const Key&);             // 64-bit xxHash
//     static bool Matches(IndexEntry, const Key&);  // may read the record
//     static uint64_t HashOf(IndexEntry);           // rehash from the entry
//   };
//   ShardedHashIndex<PhonePolicy> index;
//   { EpochGuard g; IndexEntry e = index.Find(key, hash); ... }   // reader
//   index.Put(key, hash, entry);                                  // writer
//
// An entry is self-describing: Matches() checks the key against the object
// the entry points to, so a reader never mistakes an entry for another key.
//
// Thread safety: Find/ForEach from any number of threads inside an
// EpochGuard. Put/Erase from one writer at a time (the caller serializes).
//
// Invariants:
//  1. A published directory never changes; a published shard's set of keys
//     and their places never change, only the entry of a present key may be
//     replaced (atomically) by another entry for the same key.
//  2. A key's entry lives in the shard its slot points to; slots of one shard
//     form one contiguous range of 2^(depth - shard depth) slots.
//  3. A replaced shard or directory is retired only after the last slot or
//     pointer that referred to it has been overwritten; an object an entry
//     named is retired only after the entry has been repointed or erased.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/types/span.h"
#include "index/epoch.h"
#include "index/hash_sort.h"
#include "index/index_entry.h"

namespace contactd::index {

template <typename Policy>
class ShardedHashIndex {
 public:
  using Key = typename Policy::Key;

  // A shard splits when a write would leave it above this many entries, so
  // its absl capacity stays <= 63 (the 16 in-entry hash bits cover 511: 7
  // for absl's H2, the rest for its probe start). Small shards make the
  // copy-on-write of an insert or erase cheap (~0.5 KiB). 48 instead of 96,
  // with contact_tree.h's narrower inner nodes, took an upsert of a new
  // contact from ~13.1 to ~10.5 µs for ~0.5 bytes more per key
  // (bench/README.md, "Writes").
  static constexpr size_t kSplitAbove = 48;

  ShardedHashIndex() {
    Directory* dir = NewDirectory(0);
    dir->slots()[0].store(new Shard{{}, 0}, std::memory_order_relaxed);
    dir_.store(dir, std::memory_order_seq_cst);
    shard_count_ = 1;
  }
  ~ShardedHashIndex() { FreeAll(); }
  ShardedHashIndex(const ShardedHashIndex&) = delete;
  ShardedHashIndex& operator=(const ShardedHashIndex&) = delete;

  // The entry stored for `key`, or an empty entry.
  // REQUIRES: the caller holds an EpochGuard; `hash` == Policy::Hash(key).
  IndexEntry Find(const Key& key, uint64_t hash) const {
    const Shard* shard = ShardFor(hash);
    IndexEntry found;
    const Probe probe{&key, hash, &found};
    // The probe's control bytes and entries are in different cache lines:
    // fetch both at once rather than one after the other.
    shard->set.prefetch(probe);
    if (shard->set.find(probe) == shard->set.end()) return IndexEntry();
    return found;
  }

  // Calls fn(IndexEntry) for every entry. REQUIRES: an EpochGuard.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    const Directory* dir = dir_.load(std::memory_order_seq_cst);
    const Shard* previous = nullptr;
    for (size_t i = 0; i < dir->size(); ++i) {
      const Shard* shard = dir->slots()[i].load(std::memory_order_seq_cst);
      if (shard == previous)
        continue;  // invariant 2: a shard's slots are adjacent
      previous = shard;
      for (const Cell& c : shard->set) fn(c.load());
    }
  }

  // Stores `entry` for `key`, replacing the entry already there. A key that
  // is already present is repointed in place (invariant 4), with no copy.
  // REQUIRES: `entry` names an object that has `key`. Writer only.
  void Put(const Key& key, uint64_t hash, IndexEntry entry) {
    const Shard* shard = ShardFor(hash);
    if (auto it = shard->set.find(Probe{&key, hash, nullptr});
        it != shard->set.end()) {
      it->store(entry);
      return;
    }
    Modify(hash, [&](Set& set) { set.insert(Cell(entry)); });
    size_.fetch_add(1, std::memory_order_relaxed);
  }

  // Removes the entry for `key`, if any. Writer only.
  void Erase(const Key& key, uint64_t hash) {
    const Probe probe{&key, hash, nullptr};
    if (!ShardFor(hash)->set.contains(probe)) return;
    Modify(hash, [&](Set& set) { set.erase(set.find(probe)); });
    size_.fetch_sub(1, std::memory_order_relaxed);
  }

  // Fills an empty index with `entries` ({hash, entry}; one per key) in one
  // pass: shards are built at their final depth, with no copy-on-write.
  // REQUIRES: the index is empty and no reader or writer uses it yet.
  void BulkLoad(std::vector<std::pair<uint64_t, IndexEntry>> entries) {
    // MatchIndex and ContactIndex hand their entries over already sorted.
    if (!std::is_sorted(
            entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; })) {
      SortByHash(entries);
    }
    std::vector<Shard*> shards;
    BuildShards(absl::MakeConstSpan(entries), 0, shards);
    int depth = 0;
    for (const Shard* shard : shards) depth = std::max(depth, shard->depth);
    Directory* dir = NewDirectory(static_cast<uint64_t>(depth));
    size_t bytes = dir->size() * sizeof(void*);
    size_t slot = 0;
    for (const Shard* shard : shards) {
      bytes += ShardBytes(*shard);
      for (size_t n = size_t{1} << (depth - shard->depth); n > 0; --n)
        dir->slots()[slot++].store(shard, std::memory_order_relaxed);
    }
    FreeAll();
    dir_.store(dir, std::memory_order_seq_cst);
    size_.store(entries.size(), std::memory_order_relaxed);
    shard_count_.store(shards.size(), std::memory_order_relaxed);
    memory_bytes_.store(bytes, std::memory_order_relaxed);
  }

  size_t size() const { return size_.load(std::memory_order_relaxed); }
  size_t shard_count() const {
    return shard_count_.load(std::memory_order_relaxed);
  }
  // Bytes held by the directory and the shards' tables (not the records).
  size_t memory_bytes() const {
    return memory_bytes_.load(std::memory_order_relaxed);
  }

 private:
  // A set element: an entry that the writer may repoint in a published
  // shard (to another object with the same key, so its place is unchanged).
  class Cell {
   public:
    explicit Cell(IndexEntry e) : entry_(e) {}
    Cell(const Cell& other) : entry_(other.load()) {}
    Cell& operator=(const Cell& other) {
      store(other.load());
      return *this;
    }
    IndexEntry load() const { return entry_.load(std::memory_order_seq_cst); }
    void store(IndexEntry e) const {
      entry_.store(e, std::memory_order_seq_cst);
    }

   private:
    mutable std::atomic<IndexEntry> entry_;
  };
  // A key plus its precomputed hash: the heterogeneous lookup type. `matched`
  // receives the entry that matched (read once, as it may be repointed).
  struct Probe {
    const Key* key;
    uint64_t hash;
    IndexEntry* matched;
  };
  struct InShardHash {
    using is_transparent = void;
    size_t operator()(const Cell& c) const { return c.load().hash16(); }
    size_t operator()(const Probe& p) const { return p.hash & 0xffff; }
  };
  struct InShardEq {
    using is_transparent = void;
    bool operator()(const Cell& a, const Cell& b) const {
      return a.load() == b.load();
    }
    bool operator()(const Cell& c, const Probe& p) const {
      const IndexEntry e = c.load();
      if (e.hash16() != (p.hash & 0xffff) || !Policy::Matches(e, *p.key))
        return false;
      if (p.matched != nullptr) *p.matched = e;
      return true;
    }
    bool operator()(const Probe& p, const Cell& c) const {
      return (*this)(c, p);
    }
  };
  using Set = absl::flat_hash_set<Cell, InShardHash, InShardEq>;

  struct Shard {
    Set set;
    int depth;  // how many top hash bits all its keys share
  };
  // One block: the depth, then 2^depth slots.
  struct Directory {
    uint64_t depth;
    size_t size() const { return size_t{1} << depth; }
    size_t SlotOf(uint64_t hash) const {
      return depth == 0 ? 0 : static_cast<size_t>(hash >> (64 - depth));
    }
    std::atomic<const Shard*>* slots() {
      return reinterpret_cast<std::atomic<const Shard*>*>(this + 1);
    }
    const std::atomic<const Shard*>* slots() const {
      return reinterpret_cast<const std::atomic<const Shard*>*>(this + 1);
    }
  };

  static Directory* NewDirectory(uint64_t depth) {
    const size_t size = size_t{1} << depth;
    void* block = ::operator new(sizeof(Directory) +
                                 size * sizeof(std::atomic<const Shard*>));
    auto* dir = new (block) Directory{depth};
    for (size_t i = 0; i < size; ++i)
      new (&dir->slots()[i]) std::atomic<const Shard*>(nullptr);
    return dir;
  }
  static void FreeDirectory(void* dir) { ::operator delete(dir); }

  static size_t ShardBytes(const Shard& s) {
    // absl: one control byte per slot plus 16 more, then the slots.
    const size_t capacity = s.set.capacity();
    return sizeof(Shard) +
           (capacity == 0 ? 0 : capacity * (sizeof(Cell) + 1) + 16);
  }

  const Shard* ShardFor(uint64_t hash) const {
    const Directory* dir = dir_.load(std::memory_order_seq_cst);
    return dir->slots()[dir->SlotOf(hash)].load(std::memory_order_seq_cst);
  }

  // Copy-on-write of the shard holding `hash`: copy, apply `change`, split if
  // too big, publish, retire the old shard.
  template <typename Change>
  void Modify(uint64_t hash, Change&& change) {
    const Shard* old = ShardFor(hash);
    auto copy = std::make_unique<Shard>(Shard{old->set, old->depth});
    change(copy->set);
    memory_bytes_.fetch_sub(ShardBytes(*old), std::memory_order_relaxed);
    Install(hash, std::move(copy));
    Epochs().Retire(old);
  }

  // Publishes `shard` in the slots of `hash`'s range, splitting it first when
  // it is too big. Writer only.
  void Install(uint64_t hash, std::unique_ptr<Shard> shard) {
    if (shard->set.size() > kSplitAbove && shard->depth < kMaxDepth) {
      auto [low, high] = Split(*shard);
      const uint64_t bit = uint64_t{1} << (63 - shard->depth);
      shard_count_.fetch_add(1, std::memory_order_relaxed);
      Install(hash & ~bit, std::move(low));
      Install(hash | bit, std::move(high));
      return;
    }
    if (static_cast<uint64_t>(shard->depth) >
        dir_.load(std::memory_order_relaxed)->depth)
      GrowDirectory();
    Directory* dir =
        const_cast<Directory*>(dir_.load(std::memory_order_relaxed));
    const int spread = static_cast<int>(dir->depth) - shard->depth;
    const size_t first = (dir->SlotOf(hash) >> spread) << spread;
    memory_bytes_.fetch_add(ShardBytes(*shard), std::memory_order_relaxed);
    const Shard* published = shard.release();
    for (size_t i = first; i < first + (size_t{1} << spread); ++i) {
      dir->slots()[i].store(published, std::memory_order_seq_cst);
    }
  }

  // Splits on the next hash bit. Reads every entry's record (Policy::HashOf):
  // rare, amortized over kSplitAbove / 2 inserts.
  std::pair<std::unique_ptr<Shard>, std::unique_ptr<Shard>> Split(
      const Shard& s) {
    auto low = std::make_unique<Shard>(Shard{{}, s.depth + 1});
    auto high = std::make_unique<Shard>(Shard{{}, s.depth + 1});
    const uint64_t bit = uint64_t{1} << (63 - s.depth);
    for (const Cell& c : s.set) {
      ((Policy::HashOf(c.load()) & bit) ? high : low)->set.insert(c);
    }
    return {std::move(low), std::move(high)};
  }

  // Appends the shards holding `entries` (sorted by hash; all share the top
  // `depth` bits) in hash order, splitting on the next bit while too many.
  static void BuildShards(
      absl::Span<const std::pair<uint64_t, IndexEntry>> entries, int depth,
      std::vector<Shard*>& out) {
    if (entries.size() <= kSplitAbove || depth == kMaxDepth) {
      auto* shard = new Shard{{}, depth};
      shard->set.reserve(entries.size());
      for (const auto& [hash, entry] : entries) shard->set.insert(Cell(entry));
      out.push_back(shard);
      return;
    }
    const uint64_t bit = uint64_t{1} << (63 - depth);
    const auto high = std::partition_point(
        entries.begin(), entries.end(),
        [bit](const auto& e) { return (e.first & bit) == 0; });
    const size_t low_count = static_cast<size_t>(high - entries.begin());
    BuildShards(entries.subspan(0, low_count), depth + 1, out);
    BuildShards(entries.subspan(low_count), depth + 1, out);
  }

  // Doubles the directory; each old slot's shard now fills two slots.
  void GrowDirectory() {
    const Directory* old = dir_.load(std::memory_order_relaxed);
    Directory* grown = NewDirectory(old->depth + 1);
    for (size_t i = 0; i < grown->size(); ++i) {
      grown->slots()[i].store(
          old->slots()[i >> 1].load(std::memory_order_relaxed),
          std::memory_order_relaxed);
    }
    dir_.store(grown, std::memory_order_seq_cst);
    memory_bytes_.fetch_add(old->size() * sizeof(void*),
                            std::memory_order_relaxed);
    Epochs().Retire(const_cast<Directory*>(old), &FreeDirectory,
                    sizeof(Directory) + old->size() * sizeof(void*));
  }

  void FreeAll() {
    const Directory* dir = dir_.load(std::memory_order_relaxed);
    const Shard* previous = nullptr;
    for (size_t i = 0; i < dir->size(); ++i) {
      const Shard* shard = dir->slots()[i].load(std::memory_order_relaxed);
      if (shard != previous) delete shard;
      previous = shard;
    }
    FreeDirectory(const_cast<Directory*>(dir));
  }

  // Beyond 2^40 slots something is wrong with the hash (all keys equal).
  static constexpr int kMaxDepth = 40;

  std::atomic<const Directory*> dir_;
  std::atomic<size_t> size_{0};
  std::atomic<size_t> shard_count_{0};
  std::atomic<size_t> memory_bytes_{sizeof(void*)};
};

}  // namespace contactd::index
