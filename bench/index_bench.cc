// Index costs at 10K, 1M and 10M typical contacts (bench/dataset.h):
//
//   BM_DramLatency/bytes:<b>/huge:<0|1>
//                                 dependent random loads (pointer chase): the
//                                 cost of one cache/DRAM miss, for reference;
//                                 huge:1 backs the buffer with 2 MiB pages
//   BM_MemoryPerContact/<n>       bytes per contact: what the index accounts
//                                 (Stats) and what the heap really grew by
//   BM_LookupPhone/<n>            EpochGuard + FindByPhone + touch the record
//   BM_LookupEmail/<n>            EpochGuard + FindByEmail + touch the record
//   BM_Lookup{Phone,Email}WithWriter/<n>
//                                 the same while a writer thread upserts
//                                 ~10,000 changed contacts per second
//   BM_UpsertReplace/<n>          one such upsert alone, back to back
//   BM_DramLatencyAtEnd           the 1 GiB probe again, to show its drift
//
// Stores are built once per size (ContactStore::Upsert, one thread) and
// shared by every benchmark of that size; the first benchmark to need a size
// pays for it (BM_MemoryPerContact runs first and reports build_s).
//
// Counters: ns_per_lookup is each thread's own time per lookup (wall time of
// its loop / its lookups), averaged over threads — the latency of one lookup.
// The "Time" column of a Threads(2) run is wall time / total lookups, i.e.
// the inverse of the combined throughput. ratio_to_dram = ns_per_lookup /
// the 1 GiB, 4 KiB-page BM_DramLatency figure of this run (absent when that
// benchmark was filtered out).

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench/dataset.h"
#include "bench/huge_page_heap.h"
#include "bench/memory_probe.h"
#include "index/contact_index.h"
#include "index/contact_store.h"
#include "index/epoch.h"

namespace contactd::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kDramProbeBytes = size_t{1} << 30;
constexpr double kWriterUpdatesPerSecond = 10'000;

// ns per dependent load over kDramProbeBytes; 0 until BM_DramLatency ran.
std::atomic<double> g_dram_ns{0};

__extension__ using Uint128 = unsigned __int128;

// xorshift64: a few cycles per number, so the key choice costs next to
// nothing against a lookup.
class XorShift {
 public:
  explicit XorShift(uint64_t seed) : state_(seed | 1) {}
  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  // Uniform in [0, n) by multiply-shift (no division).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }

 private:
  uint64_t state_;
};

// ---- Stores, built once per size.

struct Dataset {
  std::unique_ptr<ContactGenerator> gen;
  BuiltStore built;
};

// Stores are built with ContactStore::Upsert. CONTACTD_BENCH_BUILD=direct
// builds them with BuildPath::kDirectPut instead (about as fast:
// ContactIndex::Put is most of an upsert's cost), CONTACTD_BENCH_BUILD=bulk
// with ContactStore::BulkLoad (snapshot restore's path, many times faster).
BuildPath ChosenBuildPath() {
  const char* forced = std::getenv("CONTACTD_BENCH_BUILD");
  if (forced != nullptr && std::string_view(forced) == "direct")
    return BuildPath::kDirectPut;
  if (forced != nullptr && std::string_view(forced) == "bulk")
    return BuildPath::kBulkLoad;
  return BuildPath::kUpsert;
}

const char* BuildPathName(BuildPath path) {
  switch (path) {
    case BuildPath::kUpsert:
      return "Upsert";
    case BuildPath::kDirectPut:
      return "direct Put";
    case BuildPath::kBulkLoad:
      return "BulkLoad";
  }
  return "?";
}

const Dataset& GetDataset(size_t contacts) {
  static std::mutex mu;
  static auto* cache = new std::map<size_t, std::unique_ptr<Dataset>>();
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<Dataset>& slot = (*cache)[contacts];
  if (slot == nullptr) {
    auto data = std::make_unique<Dataset>();
    data->gen = std::make_unique<ContactGenerator>(
        DatasetOptions{.contacts = contacts});
    const BuildPath path = ChosenBuildPath();
    absl::StatusOr<BuiltStore> built = BuildStore(*data->gen, path);
    if (!built.ok()) {
      std::fprintf(stderr, "building %zu contacts failed: %s\n", contacts,
                   std::string(built.status().message()).c_str());
      std::abort();
    }
    data->built = *std::move(built);
    std::fprintf(
        stderr,
        "[index_bench] built %zu contacts (%s) in %.1f s (%.2f us/contact)\n",
        contacts, BuildPathName(path), data->built.build_seconds,
        1e6 * data->built.build_seconds / static_cast<double>(contacts));
    slot = std::move(data);
  }
  return *slot;
}

// ---- BM_DramLatency

// Args: buffer bytes, and 1 to back the buffer with transparent huge pages.
void BM_DramLatency(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0));
  const bool huge_pages = state.range(1) != 0;
  static auto* buffers =
      new std::map<std::pair<size_t, bool>, std::unique_ptr<ChaseBuffer>>();
  std::unique_ptr<ChaseBuffer>& buffer = (*buffers)[{bytes, huge_pages}];
  if (buffer == nullptr)
    buffer = std::make_unique<ChaseBuffer>(bytes, huge_pages);

  const void* p = buffer->start();
  for (size_t i = 0; i < 1000; ++i) p = ChaseBuffer::Next(p);
  const Clock::time_point start = Clock::now();
  for (auto _ : state) {
    p = ChaseBuffer::Next(p);
  }
  const double ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
      static_cast<double>(state.iterations());
  benchmark::DoNotOptimize(p);
  state.counters["ns_per_load"] = ns;
  if (huge_pages) {
    state.counters["thp_MiB"] =
        static_cast<double>(ReadAnonHugePageBytes()) / (1 << 20);
  }
  if (bytes == kDramProbeBytes && !huge_pages) g_dram_ns.store(ns);
}
BENCHMARK(BM_DramLatency)
    ->ArgNames({"bytes", "huge"})
    ->Args({size_t{2} << 20, 0})
    ->Args({size_t{64} << 20, 0})
    ->Args({kDramProbeBytes, 0})
    ->Args({kDramProbeBytes, 1})
    ->Unit(benchmark::kNanosecond);

// ---- BM_MemoryPerContact

void BM_MemoryPerContact(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const Dataset* data = nullptr;
  for (auto _ : state)
    data = &GetDataset(n);  // the build, when this size is new
  const BuiltStore& built = data->built;
  index::IndexStats stats;
  {
    index::EpochGuard guard;
    stats = built.store->index().Stats();
  }
  const double per = 1.0 / static_cast<double>(stats.contacts);
  auto set = [&](const char* name, double value) {
    state.counters[name] = value;
  };
  set("contacts", static_cast<double>(stats.contacts));
  set("build_s", built.build_seconds);
  set("build_upsert", ChosenBuildPath() == BuildPath::kUpsert ? 1 : 0);
  set("build_bulk", ChosenBuildPath() == BuildPath::kBulkLoad ? 1 : 0);
  set("stats_B", static_cast<double>(stats.total_bytes()) * per);
  set("heap_B", static_cast<double>(built.heap_growth.heap_bytes) * per);
  set("rss_B", static_cast<double>(built.heap_growth.rss_bytes) * per);
  set("record_B", static_cast<double>(stats.record_bytes) * per);
  set("id_idx_B", static_cast<double>(stats.id_index_bytes) * per);
  set("extid_idx_B", static_cast<double>(stats.external_id_index_bytes) * per);
  set("phone_idx_B", static_cast<double>(stats.phone_index_bytes) * per);
  set("email_idx_B", static_cast<double>(stats.email_index_bytes) * per);
  set("list_idx_B", static_cast<double>(stats.list_index_bytes) * per);
  set("names_B", static_cast<double>(built.name_bytes) * per);
  set("lists", static_cast<double>(stats.lists));
  set("phone_keys", static_cast<double>(stats.phone_keys));
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  set("huge_page_heap", tunables != nullptr && std::string_view(tunables).find(
                                                   "glibc.malloc.hugetlb=1") !=
                                                   std::string_view::npos
                            ? 1
                            : 0);
  set("thp_MiB", static_cast<double>(ReadAnonHugePageBytes()) / (1 << 20));
}
BENCHMARK(BM_MemoryPerContact)
    ->Arg(10'000)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

// ---- Lookups

// Upserts random contacts (a new version: other company, display name, tags
// and second phone; same first phone and email) at a fixed rate, paced by
// absolute deadlines so a slow write or a late wake-up is caught up.
class PacedWriter {
 public:
  PacedWriter(const Dataset& data, double per_second)
      : data_(data),
        period_(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(1.0 / per_second))),
        thread_([this] { Run(); }) {}
  ~PacedWriter() { Stop(); }

  // Stops the writer; returns the upserts per second it achieved.
  double Stop() {
    if (thread_.joinable()) {
      stop_.store(true, std::memory_order_relaxed);
      thread_.join();
    }
    return static_cast<double>(updates_) / seconds_;
  }
  size_t errors() const { return errors_; }

 private:
  void Run() {
    // Versions go on growing across runs, so every upsert changes something.
    static std::atomic<uint64_t> version{0};
    XorShift rng(0x3779b97f4a7c15 ^ reinterpret_cast<uintptr_t>(this));
    const size_t n = data_.gen->size();
    const Clock::time_point start = Clock::now();
    Clock::time_point deadline = start;
    while (!stop_.load(std::memory_order_relaxed)) {
      deadline += period_;
      std::this_thread::sleep_until(deadline);
      const size_t i = rng.Below(n);
      const uint64_t v = version.fetch_add(1, std::memory_order_relaxed) + 1;
      if (data_.built.store->Upsert(data_.gen->Make(i, v)).ok()) {
        ++updates_;
      } else {
        ++errors_;
      }
    }
    seconds_ = std::chrono::duration<double>(Clock::now() - start).count();
  }

  const Dataset& data_;
  const Clock::duration period_;
  std::atomic<bool> stop_{false};
  size_t updates_ = 0;  // writer thread only, read after join
  size_t errors_ = 0;
  double seconds_ = 0;
  std::thread thread_;
};

// Looks up random keys of `keys` with `find(key)` (which returns a Lookup)
// inside an EpochGuard each, touching the first match's record.
template <typename Key, typename Find>
void RunLookups(benchmark::State& state, const std::vector<Key>& keys,
                Find find) {
  XorShift rng(0x9e3779b97f4a7c15 *
                   (static_cast<uint64_t>(state.thread_index()) + 1) +
               keys.size());
  const uint64_t n = keys.size();
  uint64_t next = rng.Below(n);
  uint64_t misses = 0;
  const Clock::time_point start = Clock::now();
  for (auto _ : state) {
    const Key& key = keys[next];
    // The key array is as big as the index: fetch the next key early so its
    // cache miss is not counted as part of a lookup.
    next = rng.Below(n);
    __builtin_prefetch(&keys[next]);
    index::EpochGuard guard;
    const auto hit = find(key);
    if (hit.first == nullptr) {
      ++misses;
      continue;
    }
    benchmark::DoNotOptimize(hit.first->record().display_name().size());
  }
  const double ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
      static_cast<double>(state.iterations());
  state.counters["ns_per_lookup"] =
      benchmark::Counter(ns, benchmark::Counter::kAvgThreads);
  const double dram = g_dram_ns.load();
  if (dram > 0) {
    state.counters["ratio_to_dram"] =
        benchmark::Counter(ns / dram, benchmark::Counter::kAvgThreads);
  }
  state.counters["hit_rate"] =
      benchmark::Counter(1.0 - static_cast<double>(misses) /
                                   static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
}

enum class KeyKind { kPhone, kEmail };

void Lookup(benchmark::State& state, KeyKind kind, bool with_writer) {
  const Dataset& data = GetDataset(static_cast<size_t>(state.range(0)));
  const index::ContactIndex& index = data.built.store->index();
  std::unique_ptr<PacedWriter> writer;
  if (with_writer && state.thread_index() == 0) {
    writer = std::make_unique<PacedWriter>(data, kWriterUpdatesPerSecond);
  }
  if (kind == KeyKind::kPhone) {
    RunLookups(state, data.built.phone_keys, [&](const PhoneLookupKey& key) {
      return index.FindByPhone(key.tenant, key.number);
    });
  } else {
    RunLookups(state, data.built.email_keys, [&](const EmailLookupKey& key) {
      return index.FindByEmail(key.tenant, key.view());
    });
  }
  if (writer != nullptr) {
    state.counters["writer_per_s"] = writer->Stop();
    state.counters["writer_errors"] = static_cast<double>(writer->errors());
  }
}

void BM_LookupPhone(benchmark::State& state) {
  Lookup(state, KeyKind::kPhone, false);
}
void BM_LookupEmail(benchmark::State& state) {
  Lookup(state, KeyKind::kEmail, false);
}
void BM_LookupPhoneWithWriter(benchmark::State& state) {
  Lookup(state, KeyKind::kPhone, true);
}
void BM_LookupEmailWithWriter(benchmark::State& state) {
  Lookup(state, KeyKind::kEmail, true);
}

void LookupArgs(benchmark::internal::Benchmark* b) {
  b->Arg(10'000)
      ->Arg(1'000'000)
      ->Arg(10'000'000)
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
}
BENCHMARK(BM_LookupPhone)->Apply(LookupArgs);
BENCHMARK(BM_LookupEmail)->Apply(LookupArgs);
BENCHMARK(BM_LookupPhoneWithWriter)->Apply(LookupArgs);
BENCHMARK(BM_LookupEmailWithWriter)->Apply(LookupArgs);

// ---- Writes: what the concurrent writer's upserts cost on their own.

// Replaces random contacts with a new version (as PacedWriter does) as fast
// as one thread can.
void BM_UpsertReplace(benchmark::State& state) {
  const Dataset& data = GetDataset(static_cast<size_t>(state.range(0)));
  static std::atomic<uint64_t> version{1'000'000'000};
  XorShift rng(0x51ed27 + data.gen->size());
  for (auto _ : state) {
    state.PauseTiming();  // generating the contact is not the store's cost
    index::Contact c = data.gen->Make(rng.Below(data.gen->size()), ++version);
    state.ResumeTiming();
    if (!data.built.store->Upsert(std::move(c)).ok()) {
      state.SkipWithError("upsert failed");
      break;
    }
  }
}
BENCHMARK(BM_UpsertReplace)
    ->Arg(10'000)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMicrosecond);

// The DRAM probe again, last: on a shared machine the latency drifts over the
// run; this shows by how much.
BENCHMARK(BM_DramLatency)
    ->Name("BM_DramLatencyAtEnd")
    ->ArgNames({"bytes", "huge"})
    ->Args({kDramProbeBytes, 0})
    ->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace contactd::bench

int main(int argc, char** argv) {
  // Before anything is allocated: may re-execute the benchmark.
  contactd::bench::UseHugePageHeap(argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
