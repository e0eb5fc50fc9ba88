#pragma once
// ContactTree: an immutable (persistent) B+-tree of contact records ordered
// by contact id. It backs listing — all of a tenant's contacts, or those with
// one tag — in a stable order with "after this id" paging.
//
// Writers never modify a node: Insert/Erase copy the nodes on the path from
// the root to the leaf they change (path copying, 2-4 nodes) and return the
// new root plus the replaced nodes, which the caller retires to the epoch
// domain after publishing the new root. Readers walk whatever root they
// loaded, with no lock.
//
// Leaves hold only record pointers (8 bytes an entry); inner nodes hold a
// copy of each child's smallest id, so a lookup compares against records
// only in the final leaf. Nodes are not merged when they shrink; a leaf that
// becomes empty is removed. A snapshot load rebuilds trees densely.

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "index/contact_record.h"
#include "index/uuid.h"

namespace contactd::index {

class ContactTree {
 public:
  // Records per leaf and children per inner node, at most. Every write
  // copies a leaf and the inner nodes above it. Leaves hold most of a
  // tree's bytes (8 a record), so they stay wide; an inner node costs 24
  // bytes a child, so it is narrower: at a 100K-member list a write copies
  // 2.9 KiB instead of 5.1 KiB (both 64), for ~1 byte more per contact
  // (bench/README.md, "Writes").
  static constexpr int kLeafFanout = 64;
  static constexpr int kInnerFanout = 32;
  struct Node;

  // Nodes replaced by a write; retire them after publishing the new root.
  using Retired = std::vector<const Node*>;

  // Returns the root of a tree that also holds `record` (replacing the record
  // with the same id, if any). `replaced` is set when one was replaced.
  static const Node* Insert(const Node* root, const ContactRecord* record,
                            Retired& retired, bool* replaced);
  // Returns the root of a tree without the record with `id` (nullptr when the
  // tree becomes empty). `erased` is set when there was one.
  static const Node* Erase(const Node* root, const Uuid& id, Retired& retired,
                           bool* erased);

  // A dense tree (full nodes) of `records`. REQUIRES: sorted by id, distinct
  // ids. nullptr when empty.
  static const Node* BuildSorted(
      absl::Span<const ContactRecord* const> records);

  // Calls fn(const ContactRecord*) in id order for records with id > *after
  // (all when after is nullptr) until fn returns false.
  template <typename Fn>
  static void Scan(const Node* root, const Uuid* after, Fn&& fn);

  // Frees a whole tree. REQUIRES: no reader can reach it.
  static void Free(const Node* root);
  static void FreeNode(const Node* node);
  static size_t NodeBytes(const Node* node);
  // Bytes of all nodes of a tree. REQUIRES: an EpochGuard or the writer.
  static size_t TreeBytes(const Node* root);

  struct Node {
    uint16_t count = 0;
    bool leaf = true;
  };
  struct Leaf : Node {
    const ContactRecord* records[kLeafFanout];
  };
  struct Inner : Node {
    // min_ids[i]: the smallest id under children[i].
    Uuid min_ids[kInnerFanout];
    const Node* children[kInnerFanout];
  };

 private:
  template <typename Fn>
  static bool ScanNode(const Node* node, const Uuid* after, Fn& fn);
};

template <typename Fn>
void ContactTree::Scan(const Node* root, const Uuid* after, Fn&& fn) {
  if (root != nullptr) ScanNode(root, after, fn);
}

template <typename Fn>
bool ContactTree::ScanNode(const Node* node, const Uuid* after, Fn& fn) {
  if (node->leaf) {
    const auto* leaf = static_cast<const Leaf*>(node);
    for (int i = 0; i < leaf->count; ++i) {
      const ContactRecord* r = leaf->records[i];
      if (after != nullptr && !(*after < r->id())) continue;
      if (!fn(r)) return false;
    }
    return true;
  }
  const auto* inner = static_cast<const Inner*>(node);
  int start = 0;
  if (after != nullptr) {
    // The last child whose smallest id is <= *after may still hold ids above
    // it.
    while (start + 1 < inner->count && !(*after < inner->min_ids[start + 1]))
      ++start;
  }
  for (int i = start; i < inner->count; ++i) {
    if (!ScanNode(inner->children[i], i == start ? after : nullptr, fn))
      return false;
  }
  return true;
}

}  // namespace contactd::index
