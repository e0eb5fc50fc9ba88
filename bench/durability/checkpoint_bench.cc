// What a checkpoint or a reload does to lookups (snapshot/database.h):
//
//   BM_CheckpointWithLookups/<n>/writer:<0|1>/paced:<0|1>/niced:<0|1>
//   BM_ReloadWithLookups/<n>/paced:<0|1>/niced:<0|1>
//                  a Database recovered from the n-contact snapshot; a reader
//                  thread looks up random phones back to back and times each
//                  lookup (steady_clock around EpochGuard + FindByPhone +
//                  touching the record); for 1 s alone (baseline_*), then
//                  during one Database::Checkpoint() (writer:1: while a
//                  thread upserts 1,000 changed contacts a second through
//                  the store + CommitBatch) or one Database::Reload() of the
//                  same dataset's snapshot file. paced:0 looks up back to
//                  back (the reader never gives up its core), paced:1
//                  sleeps 20 us (~125 us on this kernel) between lookups,
//                  like a server's I/O thread between requests. niced:1
//                  calls Checkpoint/Reload from a thread at nice 19 (its
//                  helper threads inherit it): the experiment behind the
//                  README's suggestion to lower maintenance priority.

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "bench/dataset.h"
#include "bench/durability/bench_support.h"
#include "bench/durability/dataset_snapshot.h"
#include "bench/durability/lookup_latency.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "snapshot/database.h"
#include "snapshot/snapshot_format.h"

namespace contactd::bench {
namespace {

namespace fs = std::filesystem;

constexpr double kBaselineSeconds = 1;
constexpr double kCheckpointWriterPerSecond = 1'000;

// A Database recovered from the dataset's snapshot, in a data directory of
// its own (the snapshot hard-linked in, copied if that fails).
struct OpenedDatabase {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<snapshot::Database> db;
};

OpenedDatabase OpenDatasetDatabase(const DatasetSnapshot& data) {
  OpenedDatabase out;
  out.dir = std::make_unique<TempDir>("db");
  const std::string link = *out.dir / snapshot::SnapshotFileName(0);
  std::error_code ec;
  fs::create_hard_link(data.path, link, ec);
  if (ec) fs::copy_file(data.path, link);
  auto db = snapshot::Database::Open(
      {.dir = out.dir->path(), .checkpoint_wal_bytes = 0});  // fsync always
  if (!db.ok()) Die("Database::Open", db.status());
  out.db = *std::move(db);
  return out;
}

// Upserts changed versions of random dataset contacts at a fixed rate
// through the store, committing each (what the server's writer does).
class PacedWriter {
 public:
  PacedWriter(snapshot::Database& db, const ContactGenerator& gen,
              double per_second)
      : db_(db),
        gen_(gen),
        period_(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(1.0 / per_second))),
        thread_([this] { Run(); }) {}
  ~PacedWriter() { Stop(); }
  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  uint64_t writes() const { return writes_; }
  // Upsert + CommitBatch (its fdatasync under --fsync always), after Stop.
  double LatencyQuantile(double q) {
    if (latency_us_.empty()) return 0;
    std::sort(latency_us_.begin(), latency_us_.end());
    return latency_us_[std::min(
        latency_us_.size() - 1,
        static_cast<size_t>(q * static_cast<double>(latency_us_.size())))];
  }
  size_t CountAbove(double us) const {
    return static_cast<size_t>(
        std::count_if(latency_us_.begin(), latency_us_.end(),
                      [us](double v) { return v > us; }));
  }
  uint64_t errors() const { return errors_; }

 private:
  void Run() {
    uint64_t state = 0x5bd1e995;
    Clock::time_point deadline = Clock::now();
    uint64_t version = 1;
    while (!stop_.load(std::memory_order_relaxed)) {
      deadline += period_;
      std::this_thread::sleep_until(deadline);
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      const size_t i = static_cast<size_t>(
          (static_cast<Uint128>(state) * gen_.size()) >> 64);
      index::Contact c = gen_.Make(i, version++);
      const Clock::time_point start = Clock::now();
      const bool ok = db_.store().Upsert(std::move(c)).ok();
      db_.CommitBatch();
      latency_us_.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - start)
              .count());
      ++(ok ? writes_ : errors_);
    }
  }

  snapshot::Database& db_;
  const ContactGenerator& gen_;
  const Clock::duration period_;
  std::atomic<bool> stop_{false};
  uint64_t writes_ = 0, errors_ = 0;
  std::vector<double> latency_us_;
  std::thread thread_;
};

// Runs `fn` on this thread, or (niced) on a new thread at nice 19, whose
// helper threads (LoadSnapshot's decoders) inherit it: what a Database
// that lowered its maintenance threads' priority would do.
template <typename Fn>
auto MaybeNiced(bool niced, Fn fn) -> decltype(fn()) {
  if (!niced) return fn();
  std::optional<decltype(fn())> result;
  std::thread thread([&] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
    result.emplace(fn());
  });
  thread.join();
  return *std::move(result);
}

void BM_CheckpointWithLookups(benchmark::State& state) {
  const DatasetSnapshot& data =
      GetDatasetSnapshot(static_cast<size_t>(state.range(0)));
  const bool with_writer = state.range(1) != 0;
  const bool paced = state.range(2) != 0;
  const bool niced = state.range(3) != 0;
  for (auto _ : state) {
    OpenedDatabase opened = OpenDatasetDatabase(data);
    std::unique_ptr<PacedWriter> writer;
    if (with_writer) {
      writer = std::make_unique<PacedWriter>(*opened.db, *data.gen,
                                             kCheckpointWriterPerSecond);
    }
    LookupThread reader(*opened.db, data.phone_keys, paced);
    std::this_thread::sleep_for(
        std::chrono::duration<double>(kBaselineSeconds));
    reader.SetPhase(LookupThread::kDuring);
    auto done = MaybeNiced(niced, [&] { return opened.db->Checkpoint(); });
    reader.Stop();
    if (writer != nullptr) writer->Stop();
    if (!done.ok()) Die("Checkpoint", done.status());
    state.SetIterationTime(absl::ToDoubleSeconds(done->duration));
    state.counters["checkpoint_s"] = absl::ToDoubleSeconds(done->duration);
    state.counters["writer_pause_us"] =
        absl::ToDoubleMicroseconds(done->writer_pause);
    state.counters["snapshot_MB"] = static_cast<double>(done->bytes) / 1e6;
    state.counters["contacts"] = static_cast<double>(done->contacts);
    ReportLookups(state, reader);
    if (writer != nullptr) {
      state.counters["writes"] = static_cast<double>(writer->writes());
      state.counters["write_p50_us"] = writer->LatencyQuantile(0.5);
      state.counters["write_p99_us"] = writer->LatencyQuantile(0.99);
      state.counters["write_max_us"] = writer->LatencyQuantile(1.0);
      state.counters["write_over_10ms"] =
          static_cast<double>(writer->CountAbove(10'000));
      if (writer->errors() != 0) state.SkipWithError("writes failed");
    }
    state.PauseTiming();
    opened.db.reset();
    index::Epochs().Synchronize();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_CheckpointWithLookups)
    ->ArgNames({"", "writer", "paced", "niced"})
    ->ArgsProduct({{1'000'000}, {0, 1}, {0, 1}, {0}})
    // niced with a back-to-back reader starves the checkpoint (minutes).
    ->Args({1'000'000, 0, 1, 1})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

void BM_ReloadWithLookups(benchmark::State& state) {
  const DatasetSnapshot& data =
      GetDatasetSnapshot(static_cast<size_t>(state.range(0)));
  const bool paced = state.range(1) != 0;
  const bool niced = state.range(2) != 0;
  for (auto _ : state) {
    OpenedDatabase opened = OpenDatasetDatabase(data);
    LookupThread reader(*opened.db, data.phone_keys, paced);
    std::this_thread::sleep_for(
        std::chrono::duration<double>(kBaselineSeconds));
    reader.SetPhase(LookupThread::kDuring);
    const Clock::time_point reload_start = Clock::now();
    auto done = MaybeNiced(niced, [&] { return opened.db->Reload(data.path); });
    if (std::getenv("CONTACTD_BENCH_TRACE_SLOW") != nullptr) {
      std::fprintf(stderr, "[durability_bench] Reload returned after %.3f s\n",
                   Seconds(Clock::now() - reload_start));
    }
    reader.Stop();
    if (!done.ok()) Die("Reload", done.status());
    state.SetIterationTime(absl::ToDoubleSeconds(done->duration));
    state.counters["reload_s"] = absl::ToDoubleSeconds(done->duration);
    state.counters["contacts"] = static_cast<double>(done->contacts);
    ReportLookups(state, reader);
    state.PauseTiming();
    opened.db.reset();
    index::Epochs().Synchronize();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_ReloadWithLookups)
    ->ArgNames({"", "paced", "niced"})
    ->ArgsProduct({{1'000'000}, {0, 1}, {0}})
    ->Args({1'000'000, 1, 1})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace contactd::bench
