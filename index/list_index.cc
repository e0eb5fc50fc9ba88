#include "index/list_index.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace contactd::index {

ListIndex::~ListIndex() {
  lists_.ForEach([](IndexEntry e) {
    const ContactList* list = e.as<ContactList>();
    ContactTree::Free(list->root);
    delete list;
  });
}

size_t ListIndex::memory_bytes() const {
  size_t bytes = lists_.memory_bytes();
  ForEach([&](const ContactList& list) {
    bytes += sizeof(ContactList) + ContactTree::TreeBytes(list.root);
  });
  return bytes;
}

void ListIndex::BulkLoad(absl::Span<const ContactRecord* const> records) {
  absl::flat_hash_map<std::pair<Uuid, std::string_view>,
                      std::vector<const ContactRecord*>>
      members;
  for (const ContactRecord* r : records) {
    members[{r->customer_id(), kAllContacts}].push_back(r);
    for (size_t i = 0; i < r->tag_count(); ++i)
      members[{r->customer_id(), r->tag(i)}].push_back(r);
  }
  std::vector<std::pair<uint64_t, IndexEntry>> entries;
  entries.reserve(members.size());
  for (auto& [key, list_records] : members) {
    // A snapshot holds each tenant's contacts in id order: nothing to sort.
    auto by_id = [](const ContactRecord* a, const ContactRecord* b) {
      return a->id() < b->id();
    };
    if (!std::is_sorted(list_records.begin(), list_records.end(), by_id))
      std::sort(list_records.begin(), list_records.end(), by_id);
    auto* list =
        new ContactList{key.first, std::string(key.second), list_records.size(),
                        ContactTree::BuildSorted(list_records)};
    const uint64_t hash = ListKeyPolicy::Hash({list->customer, list->tag});
    entries.emplace_back(hash, IndexEntry::Make(list, false, hash));
  }
  lists_.BulkLoad(std::move(entries));
}

void ListIndex::Insert(const ListKey& key, const ContactRecord* record) {
  const ContactList* old = Find(key);
  auto list = std::make_unique<ContactList>(
      old != nullptr
          ? *old
          : ContactList{key.customer, std::string(key.tag), 0, nullptr});
  ContactTree::Retired retired;
  bool replaced = false;
  list->root = ContactTree::Insert(list->root, record, retired, &replaced);
  if (!replaced) ++list->size;
  Publish(key, old, list.release(), retired);
}

void ListIndex::Erase(const ListKey& key, const Uuid& id) {
  const ContactList* old = Find(key);
  if (old == nullptr) return;
  auto list = std::make_unique<ContactList>(*old);
  ContactTree::Retired retired;
  bool erased = false;
  list->root = ContactTree::Erase(list->root, id, retired, &erased);
  if (!erased) return;
  --list->size;
  Publish(key, old, list.release(), retired);
}

void ListIndex::Publish(const ListKey& key, const ContactList* old,
                        ContactList* list,
                        const ContactTree::Retired& retired) {
  const uint64_t hash = ListKeyPolicy::Hash(key);
  if (list->root == nullptr) {
    lists_.Erase(key, hash);
    delete list;
  } else {
    lists_.Put(key, hash, IndexEntry::Make(list, false, hash));
  }
  for (const ContactTree::Node* node : retired) {
    Epochs().Retire(
        const_cast<ContactTree::Node*>(node),
        [](void* p) {
          ContactTree::FreeNode(static_cast<const ContactTree::Node*>(p));
        },
        ContactTree::NodeBytes(node));
  }
  if (old != nullptr) Epochs().Retire(old);
}

}  // namespace contactd::index
