#pragma once
// SortByHash: sorts (hash, value) pairs by hash, stably — the step every
// bulk build of a hash index takes (shards are ranges of the top hash bits;
// equal hashes must be adjacent to find shared and repeated keys).
//
//   std::vector<std::pair<uint64_t, IndexEntry>> entries = ...;
//   SortByHash(entries);
//   SortByHash(entries, run_both);   // each pass split between two threads
//
// Hashes are uniform, so a radix sort on their top bits does nearly all the
// work: one counting pass and one scatter on the top 16 bits leave buckets
// of a few hundred pairs that fit in the cache; each bucket is scattered on
// the next 8 bits, which leaves pieces of about one pair for an insertion
// sort. A comparison sort of millions of pairs misses the cache on most of
// its passes. The phones of 10M contacts (20M pairs, BM_BulkLoadStages):
// 1.46 s with the scatter into a fresh array, where std::stable_sort takes
// 2.18 s; the second scatter replaced a std::stable_sort per bucket, which
// took 0.60 s of a 0.94 s sort of 20M pairs already in memory (0.16 s now).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace contactd::index {
namespace hash_sort_internal {

template <typename T>
using Item = std::pair<uint64_t, T>;

// Up to this many pairs an insertion sort is the fastest.
constexpr size_t kInsertionMax = 16;

// Sorts a piece: by insertion when small (stable, and fast on a handful);
// a big one (equal hashes: a shared key; or a hostile input) by a
// comparison sort, so insertion never sees more than kInsertionMax pairs.
template <typename T>
void SortPiece(std::span<Item<T>> items) {
  if (items.size() > kInsertionMax) {
    std::stable_sort(
        items.begin(), items.end(),
        [](const Item<T>& a, const Item<T>& b) { return a.first < b.first; });
    return;
  }
  for (size_t i = 1; i < items.size(); ++i) {
    const Item<T> item = items[i];
    size_t j = i;
    for (; j > 0 && item.first < items[j - 1].first; --j)
      items[j] = items[j - 1];
    items[j] = item;
  }
}

// Copies `from` into `to` (as large) grouped by the kBits hash bits below
// the top `skip`, keeping the order within a group; returns where each
// group starts in `to`, and its end last.
template <int kBits, typename T>
std::vector<size_t> Scatter(std::span<const Item<T>> from, int skip,
                            std::span<Item<T>> to) {
  constexpr size_t kGroups = size_t{1} << kBits;
  auto group_of = [skip](uint64_t hash) {
    return static_cast<size_t>((hash << skip) >> (64 - kBits));
  };
  std::vector<size_t> starts(kGroups + 1, 0);
  for (const Item<T>& item : from) ++starts[group_of(item.first) + 1];
  for (size_t g = 1; g <= kGroups; ++g) starts[g] += starts[g - 1];
  std::vector<size_t> next(starts.begin(), starts.end() - 1);
  for (const Item<T>& item : from) to[next[group_of(item.first)]++] = item;
  return starts;
}

// Sorts `items`, whose hashes agree on their top `skip` bits: a scatter on
// the next 8 bits (through `scratch`), then each piece.
template <typename T>
void SortBucket(std::span<Item<T>> items, int skip,
                std::vector<Item<T>>& scratch) {
  if (items.size() <= kInsertionMax) return SortPiece(items);
  scratch.resize(items.size());
  const std::vector<size_t> starts =
      Scatter<8, T>(items, skip, std::span<Item<T>>(scratch));
  std::copy(scratch.begin(), scratch.end(), items.begin());
  for (size_t p = 0; p + 1 < starts.size(); ++p)
    SortPiece(items.subspan(starts[p], starts[p + 1] - starts[p]));
}

}  // namespace hash_sort_internal

// SortByHash with each pass split in two halves, given to `run_both(a, b)`,
// which runs a() and b(): on two threads, or one after the other (the
// result is the same). The halves of a scatter write disjoint slots: in
// each bucket the first half's pairs come first, which keeps it stable.
template <typename T, typename RunBoth>
void SortByHash(std::vector<std::pair<uint64_t, T>>& items,
                RunBoth&& run_both) {
  using hash_sort_internal::Item;
  constexpr int kBucketBits = 16;
  constexpr size_t kBuckets = size_t{1} << kBucketBits;
  // Fewer than 4 pairs per bucket: one scatter on 8 bits does.
  if (items.size() < (size_t{4} << kBucketBits)) {
    std::vector<Item<T>> scratch;
    return hash_sort_internal::SortBucket(std::span<Item<T>>(items),
                                          /*skip=*/0, scratch);
  }
  auto bucket_of = [](uint64_t hash) {
    return static_cast<size_t>(hash >> (64 - kBucketBits));
  };
  const std::span<const Item<T>> all(items);
  const std::span<const Item<T>> halves[2] = {all.first(all.size() / 2),
                                              all.subspan(all.size() / 2)};
  std::vector<size_t> counts[2] = {std::vector<size_t>(kBuckets, 0),
                                   std::vector<size_t>(kBuckets, 0)};
  auto count = [&](int h) {
    for (const Item<T>& item : halves[h]) ++counts[h][bucket_of(item.first)];
  };
  run_both([&] { count(0); }, [&] { count(1); });
  // Bucket b is sorted[starts[b], starts[b + 1]); each half's cursors.
  std::vector<size_t> starts(kBuckets + 1, 0);
  std::vector<size_t> next[2] = {std::vector<size_t>(kBuckets),
                                 std::vector<size_t>(kBuckets)};
  for (size_t b = 0; b < kBuckets; ++b) {
    next[0][b] = starts[b];
    next[1][b] = starts[b] + counts[0][b];
    starts[b + 1] = next[1][b] + counts[1][b];
  }
  std::vector<Item<T>> sorted(items.size());
  auto scatter = [&](int h) {
    for (const Item<T>& item : halves[h])
      sorted[next[h][bucket_of(item.first)]++] = item;
  };
  run_both([&] { scatter(0); }, [&] { scatter(1); });
  auto sort_buckets = [&](size_t first, size_t last) {
    std::vector<Item<T>> scratch;
    for (size_t b = first; b < last; ++b) {
      hash_sort_internal::SortBucket(std::span<Item<T>>(sorted).subspan(
                                         starts[b], starts[b + 1] - starts[b]),
                                     kBucketBits, scratch);
    }
  };
  run_both([&] { sort_buckets(0, kBuckets / 2); },
           [&] { sort_buckets(kBuckets / 2, kBuckets); });
  items.swap(sorted);
}

template <typename T>
void SortByHash(std::vector<std::pair<uint64_t, T>>& items) {
  SortByHash(items, [](auto&& a, auto&& b) {
    a();
    b();
  });
}

}  // namespace contactd::index
