#include "index/contact_tree.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace contactd::index {
namespace {

using Node = ContactTree::Node;
using Leaf = ContactTree::Leaf;
using Inner = ContactTree::Inner;
constexpr int kLeafFanout = ContactTree::kLeafFanout;
constexpr int kInnerFanout = ContactTree::kInnerFanout;

// The result of changing a subtree: its new root (nullptr when it became
// empty) and, after an overflow, the new right sibling.
struct Replacement {
  const Node* node = nullptr;
  const Node* split = nullptr;
};

Uuid MinId(const Node* node) {
  return node->leaf ? static_cast<const Leaf*>(node)->records[0]->id()
                    : static_cast<const Inner*>(node)->min_ids[0];
}

// Index of the first record with id >= `id`.
int LowerBound(const Leaf* leaf, const Uuid& id) {
  return static_cast<int>(
      std::lower_bound(
          leaf->records, leaf->records + leaf->count, id,
          [](const ContactRecord* r, const Uuid& k) { return r->id() < k; }) -
      leaf->records);
}

// Index of the child whose range holds `id`.
int ChildFor(const Inner* inner, const Uuid& id) {
  int i = 0;
  while (i + 1 < inner->count && !(id < inner->min_ids[i + 1])) ++i;
  return i;
}

Replacement InsertLeaf(const Leaf* leaf, const ContactRecord* record,
                       bool* replaced) {
  const int pos = LowerBound(leaf, record->id());
  auto* copy = new Leaf(*leaf);
  if (pos < leaf->count && leaf->records[pos]->id() == record->id()) {
    copy->records[pos] = record;
    *replaced = true;
    return {copy, nullptr};
  }
  if (leaf->count < kLeafFanout) {
    std::copy_backward(leaf->records + pos, leaf->records + leaf->count,
                       copy->records + leaf->count + 1);
    copy->records[pos] = record;
    ++copy->count;
    return {copy, nullptr};
  }
  // Full: spread the kLeafFanout + 1 records over two leaves.
  const ContactRecord* all[kLeafFanout + 1];
  std::copy(leaf->records, leaf->records + pos, all);
  all[pos] = record;
  std::copy(leaf->records + pos, leaf->records + leaf->count, all + pos + 1);
  auto* right = new Leaf();
  constexpr int kLeft = (kLeafFanout + 1) / 2;
  copy->count = kLeft;
  std::copy(all, all + kLeft, copy->records);
  right->count = kLeafFanout + 1 - kLeft;
  std::copy(all + kLeft, all + kLeafFanout + 1, right->records);
  return {copy, right};
}

// Inserts `extra` as child `pos` of `node` (a fresh copy, not yet
// published); splits it in two when it is full. Only the new child's min id
// is read: the others are copied, not re-read from their subtrees (each read
// is a cache miss into a leaf and its first record).
Replacement InsertChild(Inner* node, int pos, const Node* extra) {
  const Uuid extra_min = MinId(extra);
  if (node->count < kInnerFanout) {
    std::copy_backward(node->children + pos, node->children + node->count,
                       node->children + node->count + 1);
    std::copy_backward(node->min_ids + pos, node->min_ids + node->count,
                       node->min_ids + node->count + 1);
    node->children[pos] = extra;
    node->min_ids[pos] = extra_min;
    ++node->count;
    return {node, nullptr};
  }
  // Full: spread the kInnerFanout + 1 children over two inner nodes.
  const Node* children[kInnerFanout + 1];
  Uuid min_ids[kInnerFanout + 1];
  std::copy(node->children, node->children + pos, children);
  std::copy(node->min_ids, node->min_ids + pos, min_ids);
  children[pos] = extra;
  min_ids[pos] = extra_min;
  std::copy(node->children + pos, node->children + kInnerFanout,
            children + pos + 1);
  std::copy(node->min_ids + pos, node->min_ids + kInnerFanout,
            min_ids + pos + 1);
  auto* right = new Inner();
  right->leaf = false;
  constexpr int kLeft = (kInnerFanout + 1) / 2;
  node->count = kLeft;
  std::copy(children, children + kLeft, node->children);
  std::copy(min_ids, min_ids + kLeft, node->min_ids);
  right->count = kInnerFanout + 1 - kLeft;
  std::copy(children + kLeft, children + kInnerFanout + 1, right->children);
  std::copy(min_ids + kLeft, min_ids + kInnerFanout + 1, right->min_ids);
  return {node, right};
}

Replacement InsertNode(const Node* node, const ContactRecord* record,
                       ContactTree::Retired& retired, bool* replaced) {
  retired.push_back(node);
  if (node->leaf)
    return InsertLeaf(static_cast<const Leaf*>(node), record, replaced);
  const auto* inner = static_cast<const Inner*>(node);
  const int i = ChildFor(inner, record->id());
  const Replacement child =
      InsertNode(inner->children[i], record, retired, replaced);
  auto* copy = new Inner(*inner);
  copy->children[i] = child.node;
  copy->min_ids[i] = MinId(child.node);
  if (child.split == nullptr) return {copy, nullptr};
  return InsertChild(copy, i + 1, child.split);
}

Replacement EraseNode(const Node* node, const Uuid& id,
                      ContactTree::Retired& retired, bool* erased) {
  if (node->leaf) {
    const auto* leaf = static_cast<const Leaf*>(node);
    const int pos = LowerBound(leaf, id);
    if (pos == leaf->count || leaf->records[pos]->id() != id)
      return {node, nullptr};
    *erased = true;
    retired.push_back(node);
    if (leaf->count == 1) return {};
    auto* copy = new Leaf(*leaf);
    std::copy(leaf->records + pos + 1, leaf->records + leaf->count,
              copy->records + pos);
    --copy->count;
    return {copy, nullptr};
  }
  const auto* inner = static_cast<const Inner*>(node);
  const int i = ChildFor(inner, id);
  const Replacement child = EraseNode(inner->children[i], id, retired, erased);
  if (child.node == inner->children[i]) return {node, nullptr};  // not found
  retired.push_back(node);
  if (child.node == nullptr && inner->count == 1) return {};
  auto* copy = new Inner(*inner);
  if (child.node == nullptr) {
    std::copy(inner->children + i + 1, inner->children + inner->count,
              copy->children + i);
    std::copy(inner->min_ids + i + 1, inner->min_ids + inner->count,
              copy->min_ids + i);
    --copy->count;
  } else {
    copy->children[i] = child.node;
    copy->min_ids[i] = MinId(child.node);
  }
  return {copy, nullptr};
}

// Full nodes over `level` (min ids copied from each child).
std::vector<const Node*> BuildLevelAbove(
    const std::vector<const Node*>& level) {
  std::vector<const Node*> up;
  for (size_t first = 0; first < level.size(); first += kInnerFanout) {
    auto* inner = new Inner();
    inner->leaf = false;
    inner->count = static_cast<uint16_t>(
        std::min<size_t>(kInnerFanout, level.size() - first));
    for (int i = 0; i < inner->count; ++i) {
      inner->children[i] = level[first + i];
      inner->min_ids[i] = MinId(level[first + i]);
    }
    up.push_back(inner);
  }
  return up;
}

}  // namespace

const Node* ContactTree::BuildSorted(
    absl::Span<const ContactRecord* const> records) {
  if (records.empty()) return nullptr;
  std::vector<const Node*> level;
  for (size_t first = 0; first < records.size(); first += kLeafFanout) {
    auto* leaf = new Leaf();
    leaf->count = static_cast<uint16_t>(
        std::min<size_t>(kLeafFanout, records.size() - first));
    std::copy_n(records.begin() + first, leaf->count, leaf->records);
    level.push_back(leaf);
  }
  while (level.size() > 1) level = BuildLevelAbove(level);
  return level[0];
}

const Node* ContactTree::Insert(const Node* root, const ContactRecord* record,
                                Retired& retired, bool* replaced) {
  *replaced = false;
  if (root == nullptr) {
    auto* leaf = new Leaf();
    leaf->count = 1;
    leaf->records[0] = record;
    return leaf;
  }
  const Replacement r = InsertNode(root, record, retired, replaced);
  if (r.split == nullptr) return r.node;
  auto* grown = new Inner();  // the root split: one level more
  grown->leaf = false;
  grown->count = 2;
  grown->children[0] = r.node;
  grown->min_ids[0] = MinId(r.node);
  grown->children[1] = r.split;
  grown->min_ids[1] = MinId(r.split);
  return grown;
}

const Node* ContactTree::Erase(const Node* root, const Uuid& id,
                               Retired& retired, bool* erased) {
  *erased = false;
  if (root == nullptr) return nullptr;
  const Node* result = EraseNode(root, id, retired, erased).node;
  // A root with a single child adds a level for nothing. The dropped node
  // may be published already (an old inner node), so it is retired, not freed.
  while (*erased && result != nullptr && !result->leaf && result->count == 1) {
    retired.push_back(result);
    result = static_cast<const Inner*>(result)->children[0];
  }
  return result;
}

void ContactTree::FreeNode(const Node* node) {
  if (node->leaf) {
    delete static_cast<const Leaf*>(node);
  } else {
    delete static_cast<const Inner*>(node);
  }
}

void ContactTree::Free(const Node* root) {
  if (root == nullptr) return;
  if (!root->leaf) {
    const auto* inner = static_cast<const Inner*>(root);
    for (int i = 0; i < inner->count; ++i) Free(inner->children[i]);
  }
  FreeNode(root);
}

size_t ContactTree::TreeBytes(const Node* root) {
  if (root == nullptr) return 0;
  size_t bytes = NodeBytes(root);
  if (!root->leaf) {
    const auto* inner = static_cast<const Inner*>(root);
    for (int i = 0; i < inner->count; ++i)
      bytes += TreeBytes(inner->children[i]);
  }
  return bytes;
}

size_t ContactTree::NodeBytes(const Node* node) {
  return node->leaf ? sizeof(Leaf) : sizeof(Inner);
}

}  // namespace contactd::index
