#pragma once
// ShardedHashIndex: a hash index whose reads take no lock and never wait.
//
// The index is an extendible-hashing directory of 2^depth slots, each
// pointing to an immutable shard: an absl::flat_hash_set of IndexEntry. The
// top `depth` bits of a key's 64-bit xxHash pick the slot; the low 16 bits,
// stored in the entry itself, place it inside the shard. A write copies the
// one shard it touches (at most kSplitAbove entries, a few KiB), changes the
// copy and publishes it with one atomic store; the old shard is retired to
// the epoch domain (epoch.h) and freed once no reader can hold it. A shard
// that grows past kSplitAbove entries splits in two (doubling the directory
// when needed), so write cost stays bounded at any size.
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
//  1. Every published shard and directory is immutable.
//  2. A key's entry lives in the shard its slot points to; slots of one shard
//     form one contiguous range of 2^(depth - shard depth) slots.
//  3. A replaced shard or directory is retired only after the last slot or
//     pointer that referred to it has been overwritten.

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "index/epoch.h"
#include "index/index_entry.h"

namespace contactd::index {

template <typename Policy>
class ShardedHashIndex {
 public:
  using Key = typename Policy::Key;

  // A shard splits when a write would leave it above this many entries. It
  // keeps every shard's absl capacity <= 511, which the 16 in-entry hash bits
  // (7 for absl's H2, 9 for its probe start) cover.
  static constexpr size_t kSplitAbove = 384;

  ShardedHashIndex() {
    auto* dir = NewDirectory(0);
    dir->slots[0].store(new Shard{{}, 0}, std::memory_order_relaxed);
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
    const Probe probe{&key, hash};
    auto it = shard->set.find(probe);
    return it == shard->set.end() ? IndexEntry() : *it;
  }

  // Calls fn(IndexEntry) for every entry. REQUIRES: an EpochGuard.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    const Directory* dir = dir_.load(std::memory_order_seq_cst);
    const Shard* previous = nullptr;
    for (size_t i = 0; i < dir->size(); ++i) {
      const Shard* shard = dir->slots[i].load(std::memory_order_seq_cst);
      if (shard == previous)
        continue;  // invariant 2: a shard's slots are adjacent
      previous = shard;
      for (IndexEntry e : shard->set) fn(e);
    }
  }

  // Stores `entry` for `key`, replacing the entry already there. Writer only.
  void Put(const Key& key, uint64_t hash, IndexEntry entry) {
    Modify(hash, [&](Set& set) {
      if (auto it = set.find(Probe{&key, hash}); it != set.end()) {
        set.erase(it);
      } else {
        size_.fetch_add(1, std::memory_order_relaxed);
      }
      set.insert(entry);
    });
  }

  // Removes the entry for `key`, if any. Writer only.
  void Erase(const Key& key, uint64_t hash) {
    Modify(hash, [&](Set& set) {
      if (auto it = set.find(Probe{&key, hash}); it != set.end()) {
        set.erase(it);
        size_.fetch_sub(1, std::memory_order_relaxed);
      }
    });
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
  // A key plus its precomputed hash: the heterogeneous lookup type.
  struct Probe {
    const Key* key;
    uint64_t hash;
  };
  struct InShardHash {
    using is_transparent = void;
    size_t operator()(IndexEntry e) const { return e.hash16(); }
    size_t operator()(const Probe& p) const { return p.hash & 0xffff; }
  };
  struct InShardEq {
    using is_transparent = void;
    bool operator()(IndexEntry a, IndexEntry b) const { return a == b; }
    bool operator()(IndexEntry e, const Probe& p) const {
      return e.hash16() == (p.hash & 0xffff) && Policy::Matches(e, *p.key);
    }
    bool operator()(const Probe& p, IndexEntry e) const {
      return (*this)(e, p);
    }
  };
  using Set = absl::flat_hash_set<IndexEntry, InShardHash, InShardEq>;

  struct Shard {
    Set set;
    int depth;  // how many top hash bits all its keys share
  };
  struct Directory {
    int depth;
    std::unique_ptr<std::atomic<const Shard*>[]> slots;
    size_t size() const { return size_t{1} << depth; }
    size_t SlotOf(uint64_t hash) const {
      return depth == 0 ? 0 : static_cast<size_t>(hash >> (64 - depth));
    }
  };

  static Directory* NewDirectory(int depth) {
    auto* dir = new Directory{depth, nullptr};
    dir->slots.reset(new std::atomic<const Shard*>[dir->size()]);
    return dir;
  }

  static size_t ShardBytes(const Shard& s) {
    return sizeof(Shard) + s.set.capacity() * (sizeof(IndexEntry) + 1);
  }

  const Shard* ShardFor(uint64_t hash) const {
    const Directory* dir = dir_.load(std::memory_order_seq_cst);
    return dir->slots[dir->SlotOf(hash)].load(std::memory_order_seq_cst);
  }

  // Copy-on-write of the shard holding `hash`: copy, apply `change`, split if
  // too big, publish, retire the old shard.
  template <typename Change>
  void Modify(uint64_t hash, Change&& change) {
    const Directory* dir = dir_.load(std::memory_order_seq_cst);
    const Shard* old =
        dir->slots[dir->SlotOf(hash)].load(std::memory_order_seq_cst);
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
    if (shard->depth > dir_.load(std::memory_order_relaxed)->depth)
      GrowDirectory();
    const Directory* dir = dir_.load(std::memory_order_relaxed);
    const int spread = dir->depth - shard->depth;
    const size_t first = (dir->SlotOf(hash) >> spread) << spread;
    memory_bytes_.fetch_add(ShardBytes(*shard), std::memory_order_relaxed);
    const Shard* published = shard.release();
    for (size_t i = first; i < first + (size_t{1} << spread); ++i) {
      dir->slots[i].store(published, std::memory_order_seq_cst);
    }
  }

  // Splits on the next hash bit. Reads every entry's record (Policy::HashOf):
  // rare, amortized over kSplitAbove / 2 inserts.
  std::pair<std::unique_ptr<Shard>, std::unique_ptr<Shard>> Split(
      const Shard& s) {
    auto low = std::make_unique<Shard>(Shard{{}, s.depth + 1});
    auto high = std::make_unique<Shard>(Shard{{}, s.depth + 1});
    const uint64_t bit = uint64_t{1} << (63 - s.depth);
    for (IndexEntry e : s.set) {
      ((Policy::HashOf(e) & bit) ? high : low)->set.insert(e);
    }
    return {std::move(low), std::move(high)};
  }

  // Doubles the directory; each old slot's shard now fills two slots.
  void GrowDirectory() {
    const Directory* old = dir_.load(std::memory_order_relaxed);
    Directory* grown = NewDirectory(old->depth + 1);
    for (size_t i = 0; i < grown->size(); ++i) {
      grown->slots[i].store(old->slots[i >> 1].load(std::memory_order_relaxed),
                            std::memory_order_relaxed);
    }
    dir_.store(grown, std::memory_order_seq_cst);
    memory_bytes_.fetch_add(old->size() * sizeof(void*),
                            std::memory_order_relaxed);
    Epochs().Retire(old);
  }

  void FreeAll() {
    const Directory* dir = dir_.load(std::memory_order_relaxed);
    const Shard* previous = nullptr;
    for (size_t i = 0; i < dir->size(); ++i) {
      const Shard* shard = dir->slots[i].load(std::memory_order_relaxed);
      if (shard != previous) delete shard;
      previous = shard;
    }
    delete dir;
  }

  // Beyond 2^40 slots something is wrong with the hash (all keys equal).
  static constexpr int kMaxDepth = 40;

  std::atomic<const Directory*> dir_;
  std::atomic<size_t> size_{0};
  std::atomic<size_t> shard_count_{0};
  std::atomic<size_t> memory_bytes_{sizeof(void*)};
};

}  // namespace contactd::index
