#pragma once
// SortByHash: sorts (hash, value) pairs by hash, stably — the step every
// bulk build of a hash index takes (shards are ranges of the top hash bits;
// equal hashes must be adjacent to find shared and repeated keys).
//
//   std::vector<std::pair<uint64_t, IndexEntry>> entries = ...;
//   SortByHash(entries);
//
// Hashes are uniform, so one counting pass and one scatter on the top 16
// bits leave small buckets that sort inside the cache; a comparison sort of
// millions of pairs misses it on most of its passes. On (hash, pointer)
// pairs in memory already touched: 2M pairs 0.11 s vs std::stable_sort's
// 0.31 s, 20M 1.27 vs 3.1 s (12 bucket bits: 0.15 / 1.64 s; an insertion
// sort per bucket instead: faster at 2M, far slower at 20M).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace contactd::index {

template <typename T>
void SortByHash(std::vector<std::pair<uint64_t, T>>& items) {
  auto by_hash = [](const auto& a, const auto& b) { return a.first < b.first; };
  constexpr int kBucketBits = 16;
  constexpr size_t kBuckets = size_t{1} << kBucketBits;
  if (items.size() < 4 * kBuckets) {
    std::stable_sort(items.begin(), items.end(), by_hash);
    return;
  }
  auto bucket_of = [](uint64_t hash) {
    return static_cast<size_t>(hash >> (64 - kBucketBits));
  };
  std::vector<size_t> starts(kBuckets + 1, 0);
  for (const auto& item : items) ++starts[bucket_of(item.first) + 1];
  for (size_t b = 1; b <= kBuckets; ++b) starts[b] += starts[b - 1];
  std::vector<std::pair<uint64_t, T>> sorted(items.size());
  std::vector<size_t> next(starts.begin(), starts.end() - 1);
  for (auto& item : items) sorted[next[bucket_of(item.first)]++] = item;
  for (size_t b = 0; b < kBuckets; ++b) {
    std::stable_sort(
        sorted.begin() + static_cast<std::ptrdiff_t>(starts[b]),
        sorted.begin() + static_cast<std::ptrdiff_t>(starts[b + 1]), by_hash);
  }
  items.swap(sorted);
}

}  // namespace contactd::index
