#pragma once
// IndexView: every contact of a ContactIndex as of one instant, readable
// while the writer goes on. It holds the heads of the tenants' contact lists
// at that instant; the lists are persistent trees of immutable records, so
// later writes build new heads and never change what the view reaches.
//
//   EpochGuard guard;                       // first: keeps the view alive
//   IndexView view = store.Freeze(...);     // O(tenants), under the writer
//   view.ForEach([&](const ContactRecord& r) { Write(r); });
//
// A view is valid only while an EpochGuard taken BEFORE it was made is
// alive on the thread that uses it (the writer retires replaced heads and
// records; the guard keeps them from being freed).

#include <cstddef>
#include <vector>

#include "index/contact_tree.h"
#include "index/list_index.h"

namespace contactd::index {

class IndexView {
 public:
  IndexView() = default;
  explicit IndexView(std::vector<const ContactList*> tenants)
      : tenants_(std::move(tenants)) {
    for (const ContactList* list : tenants_) size_ += list->size;
  }

  size_t size() const { return size_; }
  size_t tenant_count() const { return tenants_.size(); }

  // Calls fn(const ContactRecord&) for every contact, tenant by tenant, each
  // tenant's in id order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const ContactList* list : tenants_) {
      ContactTree::Scan(list->root, nullptr, [&](const ContactRecord* r) {
        fn(*r);
        return true;
      });
    }
  }

 private:
  std::vector<const ContactList*> tenants_;
  size_t size_ = 0;
};

}  // namespace contactd::index
