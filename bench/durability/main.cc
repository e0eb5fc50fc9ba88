// Durability costs (snapshot/database.h): how fast a restart loads, how fast
// the WAL replays, how many acknowledged upserts a contactd server takes
// under each fsync policy, and what a checkpoint or a reload does to lookups.
//
//   snapshot_load_bench.cc  BM_SnapshotLoad, BM_BulkLoadStages
//   write_bench.cc          BM_WalReplay, BM_StoreUpserts, BM_Fdatasync,
//                           BM_AckedUpserts
//   checkpoint_bench.cc     BM_CheckpointWithLookups, BM_ReloadWithLookups
//
// (each file's top comment says what its benchmarks measure).
//
// Runs that take seconds are Iterations(1) with manual time: use
// --benchmark_repetitions for several. Temporary files go to
// $CONTACTD_BENCH_DIR (default: the system's temporary directory) and are
// removed at exit. Set CONTACTD_BENCH_READER_RT=1 to run the lookup thread
// of the last two benchmarks under SCHED_FIFO (needs root): it separates the
// lookups' own cost from the time they spend waiting for a core. NOTE: use
// it with paced:1 only; a SCHED_FIFO thread that never sleeps is throttled
// for 50 ms each second (kernel.sched_rt_runtime_us = 950000).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string_view>

#include "bench/durability/snapshot_load_bench.h"
#include "bench/huge_page_heap.h"

namespace contactd::bench {
namespace {

// Whether the 10M snapshot load was asked for.
bool Want10M(int argc, char** argv) {
  const char* env = std::getenv("CONTACTD_BENCH_10M");
  if (env != nullptr && std::string_view(env) == "1") return true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--benchmark_filter=") &&
        arg.find("10000000") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace
}  // namespace contactd::bench

int main(int argc, char** argv) {
  // Before anything is allocated: may re-execute the benchmark (the heap on
  // huge pages, as scripts/run.sh runs contactd).
  contactd::bench::UseHugePageHeap(argv);
  if (contactd::bench::Want10M(argc, argv)) {
    benchmark::RegisterBenchmark("BM_SnapshotLoad",
                                 contactd::bench::BM_SnapshotLoad)
        ->ArgNames({"", "threads"})
        ->Args({10'000'000, 2})
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kSecond);
    benchmark::RegisterBenchmark("BM_BulkLoadStages",
                                 contactd::bench::BM_BulkLoadStages)
        ->Arg(10'000'000)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kSecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
