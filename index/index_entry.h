#pragma once
// IndexEntry: one 8-byte slot of a hash index — a pointer to what the key
// names, plus 16 bits of the key's hash kept in the pointer's unused top bits.
//
//   bits 63..48  low 16 bits of the key's 64-bit hash (placement inside a
//                shard, so a shard is copied and rehashed without touching
//                the records its entries point to)
//   bits 47..4   the pointer (16-byte aligned: what operator new returns)
//   bits  3..1   which phone / email of the record the entry is for
//                (phone and email indexes; 0 elsewhere)
//   bit   0      "a MatchList" (match_list.h) rather than a single object
//
// PERFORMANCE NOTE: keeping the hash in the pointer halves the index's memory
// next to a {hash, pointer} pair, which is what keeps a typical contact under
// 400 bytes with every index counted. Naming the record (not the slot inside
// it) lets a reader fetch the record's first lines at once instead of slot,
// then header, then strings one after the other. It relies on user-space
// addresses fitting 48 bits (x86-64 and AArch64 Linux without opting in to
// 5-level paging); Make() checks it.

#include <cstdint>
#include <cstdlib>

namespace contactd::index {

class IndexEntry {
 public:
  // Items (phones, emails) past this position are reached through a
  // MatchList instead (match_index.h).
  static constexpr size_t kMaxItem = 7;

  constexpr IndexEntry() = default;

  static IndexEntry Make(const void* ptr, bool is_list, uint64_t hash) {
    return Make(ptr, is_list, 0, hash);
  }
  // An entry for item `item` (<= kMaxItem) of the record at `ptr`.
  static IndexEntry MakeItem(const void* ptr, size_t item, uint64_t hash) {
    if (item > kMaxItem) std::abort();
    return Make(ptr, false, item, hash);
  }

  bool empty() const { return bits_ == 0; }
  bool is_list() const { return bits_ & kListBit; }
  size_t item() const { return (bits_ & kItemMask) >> 1; }
  uint16_t hash16() const {
    return static_cast<uint16_t>(bits_ >> kPointerBits);
  }
  const void* ptr() const {
    return reinterpret_cast<const void*>(bits_ & kPointerMask &
                                         ~uint64_t{kLowMask});
  }
  template <typename T>
  const T* as() const {
    return static_cast<const T*>(ptr());
  }

  friend bool operator==(IndexEntry a, IndexEntry b) {
    return a.bits_ == b.bits_;
  }

 private:
  static constexpr int kPointerBits = 48;
  static constexpr uint64_t kPointerMask = (uint64_t{1} << kPointerBits) - 1;
  static constexpr uint64_t kListBit = 1;
  static constexpr uint64_t kItemMask = 0xe;
  static constexpr uint64_t kLowMask = 0xf;

  static IndexEntry Make(const void* ptr, bool is_list, size_t item,
                         uint64_t hash) {
    const auto address = reinterpret_cast<uintptr_t>(ptr);
    // An address above 48 bits or misaligned would corrupt the entry.
    if ((address >> kPointerBits) != 0 || (address & kLowMask) != 0)
      std::abort();
    return IndexEntry((hash & 0xffff) << kPointerBits | address | item << 1 |
                      (is_list ? kListBit : 0));
  }

  explicit constexpr IndexEntry(uint64_t bits) : bits_(bits) {}
  uint64_t bits_ = 0;
};
static_assert(sizeof(IndexEntry) == 8);

}  // namespace contactd::index
