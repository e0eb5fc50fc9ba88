// Tests for SortByHash: the result is sorted by hash and stable (pairs with
// equal hashes keep their order), on each of its paths: one scatter for
// small inputs, two for large ones, and pieces sorted by insertion (a few
// pairs) or by comparison (many: equal or skewed hashes).

#include "index/hash_sort.h"

#include <cstdint>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace contactd::index {
namespace {

// `n` pairs (hash, position in the input); one hash in four repeats an
// earlier one, so stability is checked on many runs of equal hashes.
std::vector<std::pair<uint64_t, size_t>> Input(size_t n) {
  std::mt19937_64 random(n);
  std::vector<std::pair<uint64_t, size_t>> items;
  items.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t hash =
        i > 0 && random() % 4 == 0 ? items[random() % i].first : random();
    items.emplace_back(hash, i);
  }
  return items;
}

// What a stable sort by hash makes of `in`.
std::vector<std::pair<uint64_t, size_t>> StablySorted(
    std::vector<std::pair<uint64_t, size_t>> in) {
  std::stable_sort(in.begin(), in.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  return in;
}

void ExpectSortedAndStable(const std::vector<std::pair<uint64_t, size_t>>& in,
                           size_t n) {
  std::vector<std::pair<uint64_t, size_t>> items = in;
  SortByHash(items);
  ASSERT_EQ(items.size(), n);
  EXPECT_TRUE(items == StablySorted(in));
}

TEST(HashSortTest, SmallInputIsSortedStably) {
  // 17: one scatter; 100'000: pieces of hundreds after it.
  for (size_t n : {0, 1, 2, 16, 17, 1000, 100'000})
    ExpectSortedAndStable(Input(n), n);
}

TEST(HashSortTest, LargeInputIsSortedStably) {
  // Above the threshold of the bucket scatter (4 pairs per bucket).
  const size_t n = 600'000;
  ExpectSortedAndStable(Input(n), n);
}

TEST(HashSortTest, TwoThreadsSortAsOne) {
  // Each pass split in halves run on two threads (TSan checks that the
  // halves of a scatter write disjoint slots); still sorted and stable.
  const size_t n = 600'000;
  const std::vector<std::pair<uint64_t, size_t>> in = Input(n);
  std::vector<std::pair<uint64_t, size_t>> items = in;
  int calls = 0;
  SortByHash(items, [&calls](auto&& a, auto&& b) {
    ++calls;
    std::thread second(b);
    a();
    second.join();
  });
  EXPECT_TRUE(items == StablySorted(in));
  EXPECT_EQ(calls, 3);  // count, scatter, bucket sorts
}

TEST(HashSortTest, SkewedHashesStillSort) {
  // Every hash in one bucket (the top 16 bits equal): the scatter does
  // nothing useful, but the result must still be right.
  std::vector<std::pair<uint64_t, size_t>> items = Input(300'000);
  for (auto& [hash, position] : items) hash &= 0x0000ffffffffffffull;
  ExpectSortedAndStable(items, items.size());
}

TEST(HashSortTest, HashesSharingBothScatteredPrefixesStillSort) {
  // The top 24 bits equal (a hostile input could do this): both scatters
  // leave one piece, which must not be sorted by insertion (quadratic).
  std::vector<std::pair<uint64_t, size_t>> items = Input(300'000);
  for (auto& [hash, position] : items) hash &= 0x000000ffffffffffull;
  ExpectSortedAndStable(items, items.size());
}

}  // namespace
}  // namespace contactd::index
