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
//                  by one, and the experiments behind the README's
//                  suggestions (see the function).

#include "bench/durability/snapshot_load_bench.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/types/span.h"
#include "bench/durability/bench_support.h"
#include "bench/durability/dataset_snapshot.h"
#include "index/contact_store.h"
#include "index/epoch.h"
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
  double load_s = 0, bulk_s = 0, sort_s = 0;
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
    // Raw pointers in file order, for the diagnostic sort below.
    std::vector<const index::ContactRecord*> order;
    order.reserve(loaded->records.size());
    for (const auto& r : loaded->records) order.push_back(r.get());
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

    // Diagnostic (not timed): the sort by id that BulkLoad begins with, on
    // the same records in the same (file) order.
    const Clock::time_point sort_start = Clock::now();
    std::sort(order.begin(), order.end(),
              [](const index::ContactRecord* a, const index::ContactRecord* b) {
                return a->id() < b->id();
              });
    sort_s += Seconds(Clock::now() - sort_start);
    benchmark::DoNotOptimize(order.data());
    store->reset();
    index::Epochs().Synchronize();
  }
  const double iters = static_cast<double>(state.iterations());
  load_s /= iters;
  bulk_s /= iters;
  sort_s /= iters;
  state.counters["load_s"] = load_s;
  state.counters["bulk_load_s"] = bulk_s;
  state.counters["sort_by_id_s"] = sort_s;
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

// Times, on the records of the dataset's snapshot, each part of what
// ContactIndex::BulkLoad does (index/contact_index.cc), by building the
// same component indexes on their own: the sort by id, the id index, the
// phone and email match indexes, the list index. Then the experiments that
// the README's suggestions rest on: the sort on (id, pointer) pairs instead
// of pointers; the match indexes fed the records in file (= allocation =
// memory) order instead of id order; and the independent parts on 2
// threads. Diagnostic only: nothing here is what a restart runs.
double TimeIt(absl::FunctionRef<void()> fn) {
  const Clock::time_point start = Clock::now();
  fn();
  return Seconds(Clock::now() - start);
}

}  // namespace

void BM_BulkLoadStages(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const DatasetSnapshot& data = GetDatasetSnapshot(n);
  using index::ContactRecord;
  for (auto _ : state) {
    auto loaded = snapshot::LoadSnapshot(data.path, {.threads = 2});
    if (!loaded.ok()) Die("LoadSnapshot", loaded.status());
    std::vector<const ContactRecord*> file_order;
    file_order.reserve(loaded->records.size());
    for (const auto& r : loaded->records) file_order.push_back(r.get());

    std::vector<const ContactRecord*> by_id = file_order;
    const double sort_ptr = TimeIt([&] {
      std::sort(by_id.begin(), by_id.end(),
                [](const ContactRecord* a, const ContactRecord* b) {
                  return a->id() < b->id();
                });
    });
    std::vector<const ContactRecord*> by_id2;
    const double sort_keyed = TimeIt([&] {
      std::vector<std::pair<index::Uuid, const ContactRecord*>> keyed;
      keyed.reserve(file_order.size());
      for (const ContactRecord* r : file_order) keyed.emplace_back(r->id(), r);
      std::sort(keyed.begin(), keyed.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      by_id2.reserve(keyed.size());
      for (const auto& k : keyed) by_id2.push_back(k.second);
    });
    if (by_id2 != by_id) state.SkipWithError("keyed sort differs");

    auto ids = [&](absl::Span<const ContactRecord* const> records) {
      index::ShardedHashIndex<index::IdKeyPolicy> idx;
      std::vector<std::pair<uint64_t, index::IndexEntry>> entries;
      entries.reserve(records.size());
      for (const ContactRecord* r : records) {
        const uint64_t hash = index::IdKeyPolicy::Hash(r->id());
        entries.emplace_back(hash, index::IndexEntry::Make(r, false, hash));
      }
      idx.BulkLoad(std::move(entries));
    };
    auto phones = [&](absl::Span<const ContactRecord* const> records) {
      index::MatchIndex<index::PhoneKeyPolicy> idx;
      idx.BulkLoad(records);
    };
    auto emails = [&](absl::Span<const ContactRecord* const> records) {
      index::MatchIndex<index::EmailKeyPolicy> idx;
      idx.BulkLoad(records);
    };
    auto lists = [&](absl::Span<const ContactRecord* const> records) {
      index::ListIndex idx;
      idx.BulkLoad(records);
    };
    // (Each index is destroyed inside its lambda: destruction is timed too,
    // a small part.)
    const double ids_s = TimeIt([&] { ids(by_id); });
    const double phones_s = TimeIt([&] { phones(by_id); });
    const double emails_s = TimeIt([&] { emails(by_id); });
    const double lists_s = TimeIt([&] { lists(by_id); });
    const double phones_file_s = TimeIt([&] { phones(file_order); });
    const double emails_file_s = TimeIt([&] { emails(file_order); });
    const double ids_file_s = TimeIt([&] { ids(file_order); });
    const double parallel_s = TimeIt([&] {
      std::thread other([&] {
        emails(file_order);
        ids(file_order);
      });
      phones(file_order);
      lists(by_id);
      other.join();
    });

    // Inside MatchIndex<PhoneKeyPolicy>::BulkLoad (index/match_index.h), its
    // steps replayed one by one: the (hash, slot) pass over the records (id
    // order as BulkLoad gets them, or file order), the stable_sort (or a
    // plain sort), and the shard build (ShardedHashIndex::BulkLoad, which
    // sorts again) on entries made with a one-slot fast path (no per-key
    // vector, no second read of the key). What phones_s has beyond these is
    // AddRun/EntryFor.
    using PhoneSlots =
        std::vector<std::pair<uint64_t, const index::PhoneSlot*>>;
    auto phone_slots = [](absl::Span<const ContactRecord* const> records) {
      PhoneSlots slots;
      for (const ContactRecord* r : records) {
        for (size_t i = 0; i < r->phone_count(); ++i) {
          const index::PhoneSlot& slot = r->phone(i);
          slots.emplace_back(
              index::PhoneKeyPolicy::Hash(index::PhoneKeyPolicy::KeyOf(slot)),
              &slot);
        }
      }
      return slots;
    };
    PhoneSlots slots;
    const double hash_id_s = TimeIt([&] { slots = phone_slots(by_id); });
    const double hash_file_s = TimeIt([&] { slots = phone_slots(file_order); });
    PhoneSlots copy = slots;
    const double stable_sort_s = TimeIt([&] {
      std::stable_sort(
          slots.begin(), slots.end(),
          [](const auto& a, const auto& b) { return a.first < b.first; });
    });
    const double sort_s = TimeIt([&] {
      std::sort(copy.begin(), copy.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    });
    std::vector<std::pair<uint64_t, index::IndexEntry>> entries;
    const double entries_s = TimeIt([&] {
      entries.reserve(slots.size());
      for (size_t i = 0; i < slots.size(); ++i) {
        if (i > 0 && slots[i].first == slots[i - 1].first) continue;
        const index::PhoneSlot* slot = slots[i].second;
        entries.emplace_back(slots[i].first,
                             index::IndexEntry::MakeItem(
                                 &slot->record(), slot->index, slots[i].first));
      }
    });
    auto sorted = entries;
    const double resort_s = TimeIt([&] {
      std::sort(sorted.begin(), sorted.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    });
    const double shards_s = TimeIt([&] {
      index::ShardedHashIndex<index::PhoneKeyPolicy> idx;
      idx.BulkLoad(std::move(entries));
    });
    state.counters["ph_hash_pass_id_order_s"] = hash_id_s;
    state.counters["ph_hash_pass_file_order_s"] = hash_file_s;
    state.counters["ph_stable_sort_s"] = stable_sort_s;
    state.counters["ph_sort_s"] = sort_s;
    state.counters["ph_entries_fast_s"] = entries_s;
    state.counters["ph_shard_build_s"] = shards_s;
    state.counters["ph_resort_sorted_s"] = resort_s;
    state.counters["ph_addrun_etc_s"] =
        phones_s - hash_id_s - stable_sort_s - shards_s;

    state.SetIterationTime(sort_ptr + ids_s + phones_s + emails_s + lists_s);
    state.counters["sort_ptr_s"] = sort_ptr;
    state.counters["sort_keyed_s"] = sort_keyed;
    state.counters["ids_s"] = ids_s;
    state.counters["phones_s"] = phones_s;
    state.counters["emails_s"] = emails_s;
    state.counters["lists_s"] = lists_s;
    state.counters["phones_file_order_s"] = phones_file_s;
    state.counters["emails_file_order_s"] = emails_file_s;
    state.counters["ids_file_order_s"] = ids_file_s;
    state.counters["parallel_2t_s"] = parallel_s;
  }
}
BENCHMARK(BM_BulkLoadStages)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace contactd::bench
