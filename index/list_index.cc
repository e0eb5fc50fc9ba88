#include "index/list_index.h"

#include <memory>

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
