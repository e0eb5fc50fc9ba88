// What a restart's snapshot load costs (snapshot/database.h):
//
//   BM_SnapshotLoad/<n>/threads:<t>
//                  a restart's work on a snapshot of n bench contacts
//                  (bench/dataset.h): LoadSnapshot(threads = t) +
//                  ContactStore::BulkLoad. The file was written just before
//                  (outside the timing), so it is in the page cache:
//                  cached_pct says how much of it. 10M runs only when asked
//                  for (CONTACTD_BENCH_10M=1, or a --benchmark_filter that
//                  names 10000000).
//   BM_BulkLoadStages/<n>
//                  diagnostic: the parts of ContactIndex::BulkLoad timed one
//                  by one, and SortByHash next to std::stable_sort (see the
//                  function).

#include "bench/durability/snapshot_load_bench.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/types/span.h"
#include "bench/durability/bench_support.h"
#include "bench/durability/dataset_snapshot.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "index/hash_sort.h"
#include "index/index_entry.h"
#include "index/index_keys.h"
#include "index/list_index.h"
#include "index/match_index.h"
#include "index/sharded_hash_index.h"
#include "snapshot/snapshot_reader.h"

namespace contactd::bench {

void BM_SnapshotLoad(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const DatasetSnapshot& data = GetDatasetSnapshot(n);
  double load_s = 0, bulk_s = 0;
  ProcessUsage load_use, bulk_use;
  double cached = CachedPercent(data.path);
  for (auto _ : state) {
    const ProcessUsage use0 = ProcessUsage::Now();
    const Clock::time_point start = Clock::now();
    auto loaded = snapshot::LoadSnapshot(data.path, {.threads = threads});
    if (!loaded.ok()) Die("LoadSnapshot", loaded.status());
    const Clock::time_point decoded = Clock::now();
    const ProcessUsage use1 = ProcessUsage::Now();
    auto store = index::ContactStore::Create("US");
    if (!store.ok()) Die("ContactStore::Create", store.status());
    const Clock::time_point bulk_start = Clock::now();
    const ProcessUsage use2 = ProcessUsage::Now();
    if (auto s = (*store)->BulkLoad(std::move(loaded->records)); !s.ok())
      Die("BulkLoad", s);
    const Clock::time_point end = Clock::now();
    const ProcessUsage use3 = ProcessUsage::Now();
    load_use = use1 - use0;
    bulk_use = use3 - use2;
    load_s += Seconds(decoded - start);
    bulk_s += Seconds(end - bulk_start);
    state.SetIterationTime(Seconds(decoded - start) +
                           Seconds(end - bulk_start));

    store->reset();
    index::Epochs().Synchronize();
  }
  const double iters = static_cast<double>(state.iterations());
  load_s /= iters;
  bulk_s /= iters;
  state.counters["load_s"] = load_s;
  state.counters["bulk_load_s"] = bulk_s;
  state.counters["contacts_per_s"] = static_cast<double>(n) / (load_s + bulk_s);
  // CPU of the last iteration, all threads: what the work costs when it
  // gets the cores (wall > CPU / threads means it waited for them).
  state.counters["load_cpu_s"] = load_use.cpu_s();
  state.counters["load_sys_s"] = load_use.sys_s;
  state.counters["load_minflt"] = static_cast<double>(load_use.minor_faults);
  state.counters["bulk_load_cpu_s"] = bulk_use.cpu_s();
  state.counters["bulk_load_sys_s"] = bulk_use.sys_s;
  state.counters["load_MB_per_s"] =
      static_cast<double>(data.bytes) / 1e6 / load_s;
  state.counters["file_MB"] = static_cast<double>(data.bytes) / 1e6;
  state.counters["cached_pct"] = cached;
  state.counters["write_s"] = data.write_seconds;
}
BENCHMARK(BM_SnapshotLoad)
    ->ArgNames({"", "threads"})
    ->Args({1'000'000, 2})
    ->Args({1'000'000, 1})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
// 10M: registered in main() when asked for.

// ---- BM_BulkLoadStages: where ContactIndex::BulkLoad's time goes

namespace {

// Times, on the records of the dataset's snapshot in file order, each part
// of what ContactIndex::BulkLoad does (index/contact_index.cc), by building
// the same component indexes on their own: the id entries sorted by hash
// and their shards, the phone and email match indexes, the list index; the
// two halves BulkLoad runs on its two threads; and SortByHash next to
// std::stable_sort on the phones' (hash, slot) pairs. Diagnostic only.
double TimeIt(absl::FunctionRef<void()> fn) {
  const Clock::time_point start = Clock::now();
  fn();
  return Seconds(Clock::now() - start);
}

using HashedEntries = std::vector<std::pair<uint64_t, index::IndexEntry>>;

HashedEntries IdEntries(absl::Span<const index::ContactRecord* const> records) {
  HashedEntries entries;
  entries.reserve(records.size());
  for (const index::ContactRecord* r : records) {
    const uint64_t hash = index::IdKeyPolicy::Hash(r->id());
    entries.emplace_back(hash, index::IndexEntry::Make(r, false, hash));
  }
  return entries;
}

}  // namespace

void BM_BulkLoadStages(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const DatasetSnapshot& data = GetDatasetSnapshot(n);
  using index::ContactRecord;
  for (auto _ : state) {
    auto loaded = snapshot::LoadSnapshot(data.path, {.threads = 2});
    if (!loaded.ok()) Die("LoadSnapshot", loaded.status());
    std::vector<const ContactRecord*> records;
    records.reserve(loaded->records.size());
    for (const auto& r : loaded->records) records.push_back(r.get());

    // (Each index is destroyed inside its lambda: destruction is timed too,
    // a small part.)
    HashedEntries ids;
    const double id_sort_s = TimeIt([&] {
      ids = IdEntries(records);
      index::SortByHash(ids);
    });
    const double id_shards_s = TimeIt([&] {
      index::ShardedHashIndex<index::IdKeyPolicy> idx;
      idx.BulkLoad(std::move(ids));
    });
    auto phones = [&] {
      index::MatchIndex<index::PhoneKeyPolicy> idx;
      idx.BulkLoad(records);
    };
    auto emails = [&] {
      index::MatchIndex<index::EmailKeyPolicy> idx;
      idx.BulkLoad(records);
    };
    auto lists = [&] {
      index::ListIndex idx;
      idx.BulkLoad(records);
    };
    const double phones_s = TimeIt(phones);
    const double emails_s = TimeIt(emails);
    const double lists_s = TimeIt(lists);

    using PhoneSlots =
        std::vector<std::pair<uint64_t, const index::PhoneSlot*>>;
    PhoneSlots slots;
    for (const ContactRecord* r : records) {
      for (size_t i = 0; i < r->phone_count(); ++i) {
        const index::PhoneSlot& slot = r->phone(i);
        slots.emplace_back(
            index::PhoneKeyPolicy::Hash(index::PhoneKeyPolicy::KeyOf(slot)),
            &slot);
      }
    }
    PhoneSlots copy = slots;
    const double stable_sort_s = TimeIt([&] {
      std::stable_sort(
          copy.begin(), copy.end(),
          [](const auto& a, const auto& b) { return a.first < b.first; });
    });
    const double sort_by_hash_s = TimeIt([&] { index::SortByHash(slots); });
    if (slots != copy) state.SkipWithError("SortByHash differs");

    state.SetIterationTime(id_sort_s + id_shards_s + phones_s + emails_s +
                           lists_s);
    state.counters["id_entries_sort_s"] = id_sort_s;
    state.counters["id_shards_s"] = id_shards_s;
    state.counters["phones_s"] = phones_s;
    state.counters["emails_s"] = emails_s;
    state.counters["lists_s"] = lists_s;
    // BulkLoad's two threads after the id sort (external ids, a few % of
    // the ids, left out).
    state.counters["half_phones_s"] = phones_s;
    state.counters["half_ids_emails_lists_s"] =
        id_shards_s + emails_s + lists_s;
    state.counters["phone_pairs"] = static_cast<double>(slots.size());
    state.counters["ph_stable_sort_s"] = stable_sort_s;
    state.counters["ph_sort_by_hash_s"] = sort_by_hash_s;
  }
}
BENCHMARK(BM_BulkLoadStages)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace contactd::bench
