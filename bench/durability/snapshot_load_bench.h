// The restart benchmarks (snapshot_load_bench.cc), declared for main(),
// which registers their 10M-contact runs when asked for.

#pragma once

#include <benchmark/benchmark.h>

namespace contactd::bench {

// LoadSnapshot + ContactStore::BulkLoad of the state.range(0)-contact
// dataset's snapshot, with state.range(1) decoding threads.
void BM_SnapshotLoad(benchmark::State& state);

// Diagnostic: the parts of ContactIndex::BulkLoad on the
// state.range(0)-contact dataset, timed one by one.
void BM_BulkLoadStages(benchmark::State& state);

}  // namespace contactd::bench
