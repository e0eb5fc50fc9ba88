#pragma once
// RunLoad: a whole bench run — connects options.connections connections,
// split over options.threads LoadThreads (load_thread.h), runs them from a
// common start, and merges what they measured.
//
//   ASSIGN_OR_RETURN(LoadResult r, RunLoad(options, *target, workload));
//   r.throughput();   // replies per second over the window

#include <optional>

#include "absl/status/statusor.h"
#include "bench/harness/load_options.h"
#include "bench/harness/target.h"

namespace contactd::bench {

struct LoadResult {
  LoadStats stats;
  double window_seconds = 0;
  // User + system time over the window (until the last reply when the run
  // ends after --requests): this process, and the server when
  // options.server_pid is set and its /proc entry could be read.
  double client_cpu_seconds = 0;
  std::optional<double> server_cpu_seconds;
  double run_seconds = 0;  // wall time, warm-up and drain included

  double throughput() const {
    return window_seconds > 0
               ? static_cast<double>(stats.replies()) / window_seconds
               : 0;
  }
};

// Errors: a connection that cannot be made (Unavailable), a malformed reply
// (DataLoss), every connection closed by the server.
absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options,
                                   const Target& target,
                                   const Workload& workload);

}  // namespace contactd::bench
