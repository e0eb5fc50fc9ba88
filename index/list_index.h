#pragma once
// ListIndex: for each tenant, its contacts in id order, and for each
// (tenant, tag) the contacts with that tag in id order — the listing side of
// the index. Each list is a ContactList (an immutable head: key, size and a
// persistent ContactTree root) found through a ShardedHashIndex.
//
// Thread safety: readers under an EpochGuard, one writer at a time.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "index/contact_tree.h"
#include "index/epoch.h"
#include "index/index_keys.h"
#include "index/sharded_hash_index.h"

namespace contactd::index {

// The empty tag names the list of all of a tenant's contacts (real tags are
// never empty, validation.h).
inline constexpr std::string_view kAllContacts = "";

struct ContactList {
  Uuid customer;
  std::string tag;
  size_t size = 0;
  const ContactTree::Node* root = nullptr;
};

struct ListKey {
  Uuid customer;
  std::string_view tag;
};

struct ListKeyPolicy {
  using Key = ListKey;
  static uint64_t Hash(const Key& k) {
    return HashTenantString(k.customer, k.tag);
  }
  static bool Matches(IndexEntry e, const Key& k) {
    const ContactList* l = e.as<ContactList>();
    return l->tag == k.tag && l->customer == k.customer;
  }
  static uint64_t HashOf(IndexEntry e) {
    const ContactList* l = e.as<ContactList>();
    return Hash({l->customer, l->tag});
  }
};

class ListIndex {
 public:
  ListIndex() = default;
  ~ListIndex();
  ListIndex(const ListIndex&) = delete;
  ListIndex& operator=(const ListIndex&) = delete;

  // The list for `key`, or nullptr. REQUIRES: an EpochGuard.
  const ContactList* Find(const ListKey& key) const {
    const IndexEntry e = lists_.Find(key, ListKeyPolicy::Hash(key));
    return e.empty() ? nullptr : e.as<ContactList>();
  }

  // Adds `record` to the list `key` (replacing the record of the same id).
  void Insert(const ListKey& key, const ContactRecord* record);
  // Removes contact `id` from the list `key`, if there.
  void Erase(const ListKey& key, const Uuid& id);

  // Fills an empty index with the lists of `records`: each tenant's, and
  // each (tenant, tag)'s. Fastest when each tenant's records come in id
  // order (as in a snapshot). REQUIRES: distinct ids; the index is empty
  // and no reader or writer uses it yet.
  void BulkLoad(absl::Span<const ContactRecord* const> records);

  // Calls fn(const ContactList&) for every list. REQUIRES: an EpochGuard.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    lists_.ForEach([&](IndexEntry e) { fn(*e.as<ContactList>()); });
  }

  size_t list_count() const { return lists_.size(); }
  // Walks every tree's nodes (not its records): for stats, not hot paths.
  // REQUIRES: an EpochGuard.
  size_t memory_bytes() const;

 private:
  // Publishes `list` (or removes the key when it is empty) and retires the
  // replaced head and tree nodes.
  void Publish(const ListKey& key, const ContactList* old, ContactList* list,
               const ContactTree::Retired& retired);

  ShardedHashIndex<ListKeyPolicy> lists_;
};

}  // namespace contactd::index
