#pragma once
// MatchList: the immutable list of every contact of one tenant holding one
// phone number (or email), in lookup order. An index key that names one
// contact points straight at its record; a key shared by several contacts
// points at a MatchList instead (IndexEntry::is_list()), as does a key held
// by one contact at a position an entry cannot encode (> kMaxItem).
//
// Lookup order (docs/architecture.md): the contact on which the number is
// primary first, then the oldest tm_create, then the smallest id.

#include <algorithm>
#include <cstdint>
#include <new>
#include <vector>

#include "index/contact_record.h"

namespace contactd::index {

template <typename Slot>
class MatchList {
 public:
  // REQUIRES: !slots.empty().
  static const MatchList* Create(std::vector<const Slot*> slots) {
    std::sort(slots.begin(), slots.end(), LookupOrder);
    void* block =
        ::operator new(sizeof(MatchList) + sizeof(const Slot*) * slots.size());
    auto* list = new (block) MatchList(static_cast<uint32_t>(slots.size()));
    std::copy(slots.begin(), slots.end(), list->items());
    return list;
  }
  static void Destroy(const MatchList* list) {
    list->~MatchList();
    ::operator delete(const_cast<MatchList*>(list));
  }
  static void DestroyErased(void* list) {
    Destroy(static_cast<const MatchList*>(list));
  }

  uint32_t size() const { return size_; }
  const Slot* const* begin() const { return items(); }
  const Slot* const* end() const { return items() + size_; }
  const Slot* front() const { return items()[0]; }
  size_t bytes() const {
    return sizeof(MatchList) + sizeof(const Slot*) * size_;
  }

  // True when `a` comes before `b` in lookup order.
  static bool LookupOrder(const Slot* a, const Slot* b) {
    if (a->is_primary() != b->is_primary()) return a->is_primary();
    const ContactRecord& ra = a->record();
    const ContactRecord& rb = b->record();
    if (ra.tm_create() != rb.tm_create())
      return ra.tm_create() < rb.tm_create();
    return ra.id() < rb.id();
  }

 private:
  explicit MatchList(uint32_t size) : size_(size) {}
  const Slot** items() { return reinterpret_cast<const Slot**>(this + 1); }
  const Slot* const* items() const {
    return reinterpret_cast<const Slot* const*>(this + 1);
  }

  uint32_t size_;
  uint32_t padding_ = 0;
};

}  // namespace contactd::index
