// Tests for ContactTree (contact_tree.h), the persistent B+-tree behind
// listing: insert / erase / scan with "after" paging against a std::set model,
// path-copying persistence, and the retired-node lists a writer frees.
//
// There are no readers here, so a test frees retired nodes right away (or,
// when it keeps old versions, frees every node of every version at the end).

#include "index/contact_tree.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/contact.h"
#include "index/contact_record.h"
#include "index/uuid.h"

namespace contactd::index {
namespace {

using Node = ContactTree::Node;
using Leaf = ContactTree::Leaf;
using Inner = ContactTree::Inner;

Uuid RandomId(std::mt19937_64& rng) {
  std::array<uint8_t, Uuid::kSize> bytes;
  for (size_t i = 0; i < Uuid::kSize; i += 8) {
    const uint64_t r = rng();
    for (size_t j = 0; j < 8; ++j)
      bytes[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  return Uuid(bytes);
}

Uuid SequentialId(uint32_t n) {
  std::array<uint8_t, Uuid::kSize> bytes{};
  bytes[12] = static_cast<uint8_t>(n >> 24);
  bytes[13] = static_cast<uint8_t>(n >> 16);
  bytes[14] = static_cast<uint8_t>(n >> 8);
  bytes[15] = static_cast<uint8_t>(n);
  return Uuid(bytes);
}

// Owns the records the trees point at. Several records may share an id (for
// replacement); `version` goes into first_name to tell them apart.
class Records {
 public:
  const ContactRecord* Make(const Uuid& id, int version = 0) {
    Contact c;
    c.id = id;
    c.customer_id = SequentialId(1);
    c.first_name = std::to_string(version);
    c.tm_create = absl::FromUnixSeconds(1'700'000'000);
    c.tm_update = c.tm_create;
    records_.push_back(ContactRecord::Build(c));
    return records_.back().get();
  }

 private:
  std::vector<ContactRecord::Ptr> records_;
};

std::vector<const ContactRecord*> ScanAll(const Node* root,
                                          const Uuid* after = nullptr) {
  std::vector<const ContactRecord*> out;
  ContactTree::Scan(root, after, [&](const ContactRecord* r) {
    out.push_back(r);
    return true;
  });
  return out;
}

std::vector<Uuid> ScanIds(const Node* root, const Uuid* after = nullptr) {
  std::vector<Uuid> ids;
  for (const ContactRecord* r : ScanAll(root, after)) ids.push_back(r->id());
  return ids;
}

void CollectNodes(const Node* node, std::set<const Node*>& out) {
  if (node == nullptr || !out.insert(node).second) return;
  if (!node->leaf) {
    const auto* inner = static_cast<const Inner*>(node);
    for (int i = 0; i < inner->count; ++i)
      CollectNodes(inner->children[i], out);
  }
}

std::set<const Node*> NodesOf(const Node* root) {
  std::set<const Node*> nodes;
  CollectNodes(root, nodes);
  return nodes;
}

int Height(const Node* node) {
  int h = 1;
  while (!node->leaf) {
    node = static_cast<const Inner*>(node)->children[0];
    ++h;
  }
  return h;
}

// Checks the structure below `node` and returns its smallest id: counts in
// 1..the node's fanout, ids strictly increasing, every inner min_ids[i] equal
// to the smallest id under children[i], all leaves at the same depth.
Uuid CheckNode(const Node* node, int depth, int* leaf_depth) {
  EXPECT_GE(node->count, 1);
  EXPECT_LE(node->count,
            node->leaf ? ContactTree::kLeafFanout : ContactTree::kInnerFanout);
  if (node->leaf) {
    if (*leaf_depth < 0) *leaf_depth = depth;
    EXPECT_EQ(depth, *leaf_depth) << "leaves at different depths";
    const auto* leaf = static_cast<const Leaf*>(node);
    for (int i = 1; i < leaf->count; ++i) {
      EXPECT_LT(leaf->records[i - 1]->id(), leaf->records[i]->id());
    }
    return leaf->records[0]->id();
  }
  const auto* inner = static_cast<const Inner*>(node);
  for (int i = 0; i < inner->count; ++i) {
    const Uuid min = CheckNode(inner->children[i], depth + 1, leaf_depth);
    EXPECT_EQ(inner->min_ids[i], min) << "stale min_ids[" << i << "]";
    if (i > 0) {
      EXPECT_LT(inner->min_ids[i - 1], inner->min_ids[i]);
    }
  }
  return inner->min_ids[0];
}

void CheckStructure(const Node* root) {
  if (root == nullptr) return;
  int leaf_depth = -1;
  CheckNode(root, 0, &leaf_depth);
}

void FreeRetired(const ContactTree::Retired& retired) {
  for (const Node* node : retired) ContactTree::FreeNode(node);
}

// A single-version tree: retired nodes are freed after each write, the rest
// when the tree goes away.
class Tree {
 public:
  Tree() = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  ~Tree() { ContactTree::Free(root_); }

  bool Insert(const ContactRecord* record) {
    ContactTree::Retired retired;
    bool replaced = true;
    root_ = ContactTree::Insert(root_, record, retired, &replaced);
    FreeRetired(retired);
    return replaced;
  }
  bool Erase(const Uuid& id) {
    ContactTree::Retired retired;
    bool erased = true;
    root_ = ContactTree::Erase(root_, id, retired, &erased);
    FreeRetired(retired);
    return erased;
  }
  const Node* root() const { return root_; }

 private:
  const Node* root_ = nullptr;
};

// ---- Basics
// ----------------------------------------------------------------------

TEST(ContactTreeTest, EmptyTreeScansNothing) {
  bool called = false;
  ContactTree::Scan(nullptr, nullptr,
                    [&](const ContactRecord*) { return called = true; });
  EXPECT_FALSE(called);
  EXPECT_EQ(ContactTree::TreeBytes(nullptr), 0u);
}

TEST(ContactTreeTest, InsertIntoEmptyTreeMakesOneLeafAndRetiresNothing) {
  Records records;
  ContactTree::Retired retired;
  bool replaced = true;
  const Node* root = ContactTree::Insert(nullptr, records.Make(SequentialId(5)),
                                         retired, &replaced);
  ASSERT_NE(root, nullptr);
  EXPECT_FALSE(replaced);
  EXPECT_TRUE(retired.empty());
  EXPECT_TRUE(root->leaf);
  EXPECT_EQ(root->count, 1);
  EXPECT_EQ(ScanIds(root), std::vector<Uuid>{SequentialId(5)});
  ContactTree::Free(root);
}

TEST(ContactTreeTest, InsertIntoNonEmptyTreeRetiresTheOldRoot) {
  Records records;
  ContactTree::Retired retired;
  bool replaced = true;
  const Node* old_root = ContactTree::Insert(
      nullptr, records.Make(SequentialId(1)), retired, &replaced);
  const Node* root = ContactTree::Insert(
      old_root, records.Make(SequentialId(2)), retired, &replaced);
  EXPECT_FALSE(replaced);
  EXPECT_NE(root, old_root);
  EXPECT_THAT(retired, ::testing::ElementsAre(old_root));
  // The old root is untouched (persistence): still one record.
  EXPECT_EQ(ScanIds(old_root), std::vector<Uuid>{SequentialId(1)});
  EXPECT_EQ(ScanIds(root),
            (std::vector<Uuid>{SequentialId(1), SequentialId(2)}));
  FreeRetired(retired);
  ContactTree::Free(root);
}

TEST(ContactTreeTest, InsertingTheSameIdReplacesTheRecord) {
  Records records;
  Tree tree;
  const ContactRecord* first = records.Make(SequentialId(7), 1);
  const ContactRecord* second = records.Make(SequentialId(7), 2);
  EXPECT_FALSE(tree.Insert(records.Make(SequentialId(3))));
  EXPECT_FALSE(tree.Insert(first));
  EXPECT_TRUE(tree.Insert(second));
  const std::vector<const ContactRecord*> all = ScanAll(tree.root());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1], second);
  EXPECT_EQ(all[1]->first_name(), "2");
}

TEST(ContactTreeTest, ReplacingInABigTreeKeepsSizeAndOrder) {
  Records records;
  Tree tree;
  for (uint32_t i = 0; i < 1000; ++i)
    tree.Insert(records.Make(SequentialId(i)));
  const ContactRecord* replacement = records.Make(SequentialId(500), 9);
  EXPECT_TRUE(tree.Insert(replacement));
  const std::vector<const ContactRecord*> all = ScanAll(tree.root());
  ASSERT_EQ(all.size(), 1000u);
  EXPECT_EQ(all[500], replacement);
  CheckStructure(tree.root());
}

TEST(ContactTreeTest, EraseOfMissingIdKeepsTheRootAndRetiresNothing) {
  Records records;
  Tree tree;
  for (uint32_t i = 0; i < 200; i += 2)
    tree.Insert(records.Make(SequentialId(i)));
  ContactTree::Retired retired;
  bool erased = true;
  const Node* root =
      ContactTree::Erase(tree.root(), SequentialId(51), retired, &erased);
  EXPECT_FALSE(erased);
  EXPECT_EQ(root, tree.root());
  EXPECT_TRUE(retired.empty());
}

TEST(ContactTreeTest, EraseFromEmptyTreeIsNull) {
  ContactTree::Retired retired;
  bool erased = true;
  EXPECT_EQ(ContactTree::Erase(nullptr, SequentialId(1), retired, &erased),
            nullptr);
  EXPECT_FALSE(erased);
  EXPECT_TRUE(retired.empty());
}

TEST(ContactTreeTest, ErasingTheLastRecordEmptiesTheTree) {
  Records records;
  Tree tree;
  tree.Insert(records.Make(SequentialId(1)));
  EXPECT_TRUE(tree.Erase(SequentialId(1)));
  EXPECT_EQ(tree.root(), nullptr);
}

TEST(ContactTreeTest, ErasingEverythingInRandomOrderEmptiesTheTree) {
  Records records;
  Tree tree;
  std::vector<Uuid> ids;
  for (uint32_t i = 0; i < 5000; ++i) {
    ids.push_back(SequentialId(i));
    tree.Insert(records.Make(ids.back()));
  }
  std::mt19937_64 rng(11);
  std::shuffle(ids.begin(), ids.end(), rng);
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_TRUE(tree.Erase(ids[i])) << i;
    if (i % 500 == 0) CheckStructure(tree.root());
  }
  EXPECT_EQ(tree.root(), nullptr);
}

TEST(ContactTreeTest, ScanStopsWhenTheCallbackReturnsFalse) {
  Records records;
  Tree tree;
  for (uint32_t i = 0; i < 300; ++i) tree.Insert(records.Make(SequentialId(i)));
  int calls = 0;
  ContactTree::Scan(tree.root(), nullptr,
                    [&](const ContactRecord*) { return ++calls < 70; });
  EXPECT_EQ(calls, 70);
}

TEST(ContactTreeTest, AscendingInsertsBuildAValidTree) {
  Records records;
  Tree tree;
  for (uint32_t i = 0; i < 10000; ++i)
    tree.Insert(records.Make(SequentialId(i)));
  CheckStructure(tree.root());
  const std::vector<Uuid> ids = ScanIds(tree.root());
  ASSERT_EQ(ids.size(), 10000u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  // More records than one inner node's 32 full leaves hold: three levels.
  EXPECT_GE(Height(tree.root()), 3);
}

TEST(ContactTreeTest, DescendingInsertsBuildAValidTree) {
  Records records;
  Tree tree;
  for (uint32_t i = 10000; i > 0; --i)
    tree.Insert(records.Make(SequentialId(i)));
  CheckStructure(tree.root());
  const std::vector<Uuid> ids = ScanIds(tree.root());
  ASSERT_EQ(ids.size(), 10000u);
  EXPECT_EQ(ids.front(), SequentialId(1));
  EXPECT_EQ(ids.back(), SequentialId(10000));
}

TEST(ContactTreeTest, TreeBytesCountsEveryNode) {
  Records records;
  Tree tree;
  for (uint32_t i = 0; i < 3000; ++i)
    tree.Insert(records.Make(SequentialId(i * 7)));
  size_t expected = 0;
  for (const Node* node : NodesOf(tree.root()))
    expected += ContactTree::NodeBytes(node);
  EXPECT_EQ(ContactTree::TreeBytes(tree.root()), expected);
  EXPECT_EQ(ContactTree::NodeBytes(tree.root()), sizeof(Inner));
}

// ---- Random operations against a std::set model
// ----------------------------------

TEST(ContactTreeTest, RandomInsertsAndErasesMatchASetModel) {
  std::mt19937_64 rng(20240601);
  Records records;
  Tree tree;
  std::set<Uuid> model;
  std::vector<Uuid> present;  // ids in the model, for picking erase victims
  for (int op = 0; op < 20000; ++op) {
    const bool erase = !present.empty() && rng() % 3 == 0;
    if (erase) {
      const size_t pick = rng() % present.size();
      const Uuid id = present[pick];
      present[pick] = present.back();
      present.pop_back();
      model.erase(id);
      ASSERT_TRUE(tree.Erase(id)) << "op " << op;
    } else if (!present.empty() && rng() % 10 == 0) {
      // Replace an existing id.
      const Uuid id = present[rng() % present.size()];
      ASSERT_TRUE(tree.Insert(records.Make(id, op))) << "op " << op;
    } else {
      const Uuid id = RandomId(rng);
      model.insert(id);
      present.push_back(id);
      ASSERT_FALSE(tree.Insert(records.Make(id))) << "op " << op;
    }
    if (op % 2000 == 0) {
      ASSERT_EQ(ScanIds(tree.root()),
                std::vector<Uuid>(model.begin(), model.end()))
          << "op " << op;
      CheckStructure(tree.root());
    }
  }
  EXPECT_EQ(ScanIds(tree.root()),
            std::vector<Uuid>(model.begin(), model.end()));
  CheckStructure(tree.root());
  // Erasing ids that were never there changes nothing.
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(tree.Erase(RandomId(rng)));
}

TEST(ContactTreeTest, ScanAfterEachRecordReturnsTheRestOfTheModel) {
  std::mt19937_64 rng(7);
  Records records;
  Tree tree;
  std::set<Uuid> model;
  for (int i = 0; i < 3000; ++i) {
    const Uuid id = RandomId(rng);
    model.insert(id);
    tree.Insert(records.Make(id));
  }
  int checked = 0;
  for (auto it = model.begin(); it != model.end(); ++it) {
    if (checked++ % 97 != 0) continue;  // a sample keeps the test fast
    const Uuid after = *it;
    EXPECT_EQ(ScanIds(tree.root(), &after),
              std::vector<Uuid>(std::next(it), model.end()));
  }
}

TEST(ContactTreeTest, PagingWithAfterVisitsEveryRecordOnceInOrder) {
  std::mt19937_64 rng(99);
  Records records;
  Tree tree;
  std::set<Uuid> model;
  for (int i = 0; i < 5000; ++i) {
    const Uuid id = RandomId(rng);
    model.insert(id);
    tree.Insert(records.Make(id));
  }
  for (size_t page_size : {1u, 37u, 64u, 65u, 1000u}) {
    std::vector<Uuid> seen;
    std::optional<Uuid> after;
    while (true) {
      std::vector<Uuid> page;
      ContactTree::Scan(tree.root(), after ? &*after : nullptr,
                        [&](const ContactRecord* r) {
                          page.push_back(r->id());
                          return page.size() < page_size;
                        });
      if (page.empty()) break;
      seen.insert(seen.end(), page.begin(), page.end());
      after = page.back();
      if (page_size == 1 && seen.size() > 200) break;  // enough for size 1
    }
    std::vector<Uuid> expected(model.begin(), model.end());
    if (page_size == 1) expected.resize(seen.size());
    EXPECT_EQ(seen, expected) << "page size " << page_size;
  }
}

TEST(ContactTreeTest, ScanAfterAnIdNotInTheTreeStartsAtTheNextGreater) {
  Records records;
  Tree tree;
  for (uint32_t i = 0; i < 2000; i += 10)
    tree.Insert(records.Make(SequentialId(i)));
  const Uuid between = SequentialId(1235);
  const std::vector<Uuid> ids = ScanIds(tree.root(), &between);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), SequentialId(1240));
  EXPECT_EQ(ids.size(), (2000u - 1240u) / 10u);
}

TEST(ContactTreeTest, ScanAfterTheLargestIdIsEmpty) {
  Records records;
  Tree tree;
  for (uint32_t i = 0; i < 500; ++i) tree.Insert(records.Make(SequentialId(i)));
  const Uuid last = SequentialId(499);
  const Uuid beyond = SequentialId(100000);
  EXPECT_TRUE(ScanIds(tree.root(), &last).empty());
  EXPECT_TRUE(ScanIds(tree.root(), &beyond).empty());
}

TEST(ContactTreeTest, ScanAfterTheNilIdBelowEveryIdReturnsAll) {
  Records records;
  Tree tree;
  for (uint32_t i = 1; i <= 500; ++i)
    tree.Insert(records.Make(SequentialId(i)));
  const Uuid nil;
  EXPECT_EQ(ScanIds(tree.root(), &nil).size(), 500u);
}

TEST(ContactTreeTest, ScanAfterWorksOnATreeThinnedByErases) {
  // Erases leave sparse leaves and single-child inner nodes (no merging).
  Records records;
  Tree tree;
  std::set<Uuid> model;
  for (uint32_t i = 0; i < 8000; ++i) {
    tree.Insert(records.Make(SequentialId(i)));
    model.insert(SequentialId(i));
  }
  for (uint32_t i = 0; i < 8000; ++i) {
    if (i % 64 == 3 || i % 5000 < 4900) continue;
    ASSERT_TRUE(tree.Erase(SequentialId(i)));
    model.erase(SequentialId(i));
  }
  for (uint32_t i = 0; i < 8000; ++i) {
    if (i % 7 != 0 || i % 64 == 3) continue;
    if (model.erase(SequentialId(i)) == 1) {
      ASSERT_TRUE(tree.Erase(SequentialId(i)));
    }
  }
  CheckStructure(tree.root());
  for (uint32_t a = 0; a < 8000; a += 131) {
    const Uuid after = SequentialId(a);
    EXPECT_EQ(ScanIds(tree.root(), &after),
              std::vector<Uuid>(model.upper_bound(after), model.end()))
        << "after " << a;
  }
}

// ---- Retired nodes and persistence
// -----------------------------------------------

TEST(ContactTreeTest, RetiredNodesAreExactlyTheNodesTheNewTreeDropped) {
  std::mt19937_64 rng(5);
  Records records;
  std::vector<Uuid> present;
  const Node* root = nullptr;
  for (int op = 0; op < 6000; ++op) {
    const std::set<const Node*> before = NodesOf(root);
    ContactTree::Retired retired;
    bool changed = false;
    if (!present.empty() && rng() % 3 == 0) {
      const size_t pick = rng() % present.size();
      root = ContactTree::Erase(root, present[pick], retired, &changed);
      present[pick] = present.back();
      present.pop_back();
    } else {
      const Uuid id = RandomId(rng);
      present.push_back(id);
      root = ContactTree::Insert(root, records.Make(id), retired, &changed);
    }
    if (!before.empty()) {
      ASSERT_FALSE(retired.empty()) << "op " << op;
    }
    const std::set<const Node*> after = NodesOf(root);
    const std::set<const Node*> retired_set(retired.begin(), retired.end());
    ASSERT_EQ(retired_set.size(), retired.size())
        << "a node retired twice, op " << op;
    for (const Node* node : retired) {
      ASSERT_EQ(after.count(node), 0u)
          << "retired node still in the tree, op " << op;
    }
    for (const Node* node : before) {
      if (after.count(node) == 0) {
        ASSERT_EQ(retired_set.count(node), 1u)
            << "dropped node not retired, op " << op;
      }
    }
    FreeRetired(retired);
  }
  ContactTree::Free(root);
}

TEST(ContactTreeTest, OldRootsStillScanTheirContentAfterLaterWrites) {
  std::mt19937_64 rng(31337);
  Records records;
  struct Version {
    const Node* root;
    std::map<Uuid, const ContactRecord*> content;
  };
  std::vector<Version> versions{{nullptr, {}}};
  std::set<const Node*> retired_nodes;
  std::vector<Uuid> present;
  for (int op = 0; op < 3000; ++op) {
    Version next = versions.back();
    ContactTree::Retired retired;
    bool changed = false;
    const int kind = static_cast<int>(rng() % 5);
    if (kind == 0 && !present.empty()) {
      const size_t pick = rng() % present.size();
      next.root =
          ContactTree::Erase(next.root, present[pick], retired, &changed);
      next.content.erase(present[pick]);
      present[pick] = present.back();
      present.pop_back();
    } else if (kind == 1 && !present.empty()) {
      const Uuid id = present[rng() % present.size()];
      const ContactRecord* r = records.Make(id, op);
      next.root = ContactTree::Insert(next.root, r, retired, &changed);
      next.content[id] = r;
    } else {
      const Uuid id = RandomId(rng);
      const ContactRecord* r = records.Make(id, op);
      present.push_back(id);
      next.root = ContactTree::Insert(next.root, r, retired, &changed);
      next.content[id] = r;
    }
    retired_nodes.insert(retired.begin(), retired.end());
    versions.push_back(std::move(next));
  }
  // Every version, old or new, still scans exactly what it held.
  for (size_t v = 0; v < versions.size(); v += 7) {
    std::vector<const ContactRecord*> expected;
    for (const auto& [id, r] : versions[v].content) expected.push_back(r);
    ASSERT_EQ(ScanAll(versions[v].root), expected) << "version " << v;
    CheckStructure(versions[v].root);
  }
  // Free each node once: every node of every version, and retired nodes that
  // were never published.
  std::set<const Node*> all = retired_nodes;
  for (const Version& v : versions) CollectNodes(v.root, all);
  for (const Node* node : all) ContactTree::FreeNode(node);
}

TEST(ContactTreeTest, OldRootSurvivesEraseOfEverything) {
  Records records;
  const Node* full = nullptr;
  std::set<const Node*> all;
  for (uint32_t i = 0; i < 1000; ++i) {
    ContactTree::Retired retired;
    bool replaced;
    full = ContactTree::Insert(full, records.Make(SequentialId(i)), retired,
                               &replaced);
    FreeRetired(retired);  // intermediate versions are not kept
  }
  const Node* root = full;
  for (uint32_t i = 0; i < 1000; ++i) {
    ContactTree::Retired retired;
    bool erased;
    root = ContactTree::Erase(root, SequentialId(i), retired, &erased);
    ASSERT_TRUE(erased);
    all.insert(retired.begin(), retired.end());
    CollectNodes(root, all);
  }
  EXPECT_EQ(root, nullptr);
  EXPECT_EQ(ScanIds(full).size(), 1000u);
  CheckStructure(full);
  CollectNodes(full, all);
  for (const Node* node : all) ContactTree::FreeNode(node);
}

TEST(ContactTreeTest, FreeReleasesAWholeMultiLevelTree) {
  // Under ASan this also proves Free frees every node exactly once.
  Records records;
  const Node* root = nullptr;
  for (uint32_t i = 0; i < 20000; ++i) {
    ContactTree::Retired retired;
    bool replaced;
    root = ContactTree::Insert(root, records.Make(SequentialId(i * 3)), retired,
                               &replaced);
    FreeRetired(retired);
  }
  ASSERT_GE(Height(root), 3);
  ContactTree::Free(root);
}

TEST(ContactTreeTest, FreeOfNullIsANoOp) { ContactTree::Free(nullptr); }

}  // namespace
}  // namespace contactd::index
