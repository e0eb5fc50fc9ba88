#include "index/contact_tree.h"

#include <algorithm>
#include <memory>

namespace contactd::index {
namespace {

using Node = ContactTree::Node;
using Leaf = ContactTree::Leaf;
using Inner = ContactTree::Inner;
constexpr int kFanout = ContactTree::kFanout;

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
  if (leaf->count < kFanout) {
    std::copy_backward(leaf->records + pos, leaf->records + leaf->count,
                       copy->records + leaf->count + 1);
    copy->records[pos] = record;
    ++copy->count;
    return {copy, nullptr};
  }
  // Full: spread the kFanout + 1 records over two leaves.
  const ContactRecord* all[kFanout + 1];
  std::copy(leaf->records, leaf->records + pos, all);
  all[pos] = record;
  std::copy(leaf->records + pos, leaf->records + leaf->count, all + pos + 1);
  auto* right = new Leaf();
  constexpr int kLeft = (kFanout + 1) / 2;
  copy->count = kLeft;
  std::copy(all, all + kLeft, copy->records);
  right->count = kFanout + 1 - kLeft;
  std::copy(all + kLeft, all + kFanout + 1, right->records);
  return {copy, right};
}

// Puts `children` (with their min ids) into one inner node, or two if they
// do not fit.
Replacement BuildInner(const std::vector<const Node*>& children) {
  auto fill = [](Inner* inner, const Node* const* first, int n) {
    inner->leaf = false;
    inner->count = static_cast<uint16_t>(n);
    for (int i = 0; i < n; ++i) {
      inner->children[i] = first[i];
      inner->min_ids[i] = MinId(first[i]);
    }
    return inner;
  };
  const int n = static_cast<int>(children.size());
  if (n == 0) return {};
  if (n <= kFanout) return {fill(new Inner(), children.data(), n), nullptr};
  const int left = n / 2;
  return {fill(new Inner(), children.data(), left),
          fill(new Inner(), children.data() + left, n - left)};
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
  std::vector<const Node*> children(inner->children,
                                    inner->children + inner->count);
  children[i] = child.node;
  if (child.split != nullptr)
    children.insert(children.begin() + i + 1, child.split);
  return BuildInner(children);
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
  std::vector<const Node*> children(inner->children,
                                    inner->children + inner->count);
  if (child.node == nullptr) {
    children.erase(children.begin() + i);
  } else {
    children[i] = child.node;
  }
  return BuildInner(children);
}

}  // namespace

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
  return BuildInner({r.node, r.split}).node;
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
