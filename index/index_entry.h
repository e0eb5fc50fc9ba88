#pragma once
// IndexEntry: one 8-byte slot of a hash index — a pointer to what the key
// names, plus 16 bits of the key's hash kept in the pointer's unused top bits.
//
//   bits 63..48  low 16 bits of the key's 64-bit hash (placement inside a
//                shard, so a shard is copied and rehashed without touching
//                the records its entries point to)
//   bits 47..0   the pointer; bit 0 set means "a MatchList" (match_list.h)
//                rather than a single record or slot
//
// PERFORMANCE NOTE: keeping the hash in the pointer halves the index's memory
// next to a {hash, pointer} pair, which is what keeps a typical contact under
// 400 bytes with every index counted. It relies on user-space addresses
// fitting 48 bits (x86-64 and AArch64 Linux without opting in to 5-level
// paging); Make() checks it.

#include <cstdint>
#include <cstdlib>

namespace contactd::index {

class IndexEntry {
 public:
  constexpr IndexEntry() = default;

  static IndexEntry Make(const void* ptr, bool is_list, uint64_t hash) {
    const auto address = reinterpret_cast<uintptr_t>(ptr);
    // An address above 48 bits or misaligned would corrupt the entry.
    if ((address >> kPointerBits) != 0 || (address & kListBit) != 0)
      std::abort();
    return IndexEntry((hash & 0xffff) << kPointerBits | address |
                      (is_list ? kListBit : 0));
  }

  bool empty() const { return bits_ == 0; }
  bool is_list() const { return bits_ & kListBit; }
  uint16_t hash16() const {
    return static_cast<uint16_t>(bits_ >> kPointerBits);
  }
  const void* ptr() const {
    return reinterpret_cast<const void*>(bits_ & kPointerMask &
                                         ~uint64_t{kListBit});
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

  explicit constexpr IndexEntry(uint64_t bits) : bits_(bits) {}
  uint64_t bits_ = 0;
};
static_assert(sizeof(IndexEntry) == 8);

}  // namespace contactd::index
