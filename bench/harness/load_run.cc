#include "bench/harness/load_run.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <memory>
#include <thread>
#include <vector>

#include "bench/harness/load_thread.h"

namespace contactd::bench {
namespace {

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) +
           static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options,
                                   const Target& target,
                                   const Workload& workload) {
  if (options.connections < 1 || options.threads < 1 || options.pipeline < 1) {
    return absl::InvalidArgumentError(
        "connections, threads and pipeline must be >= 1");
  }
  if (options.requests > 0 && options.rate > 0) {
    return absl::InvalidArgumentError(
        "--requests is for closed loops; an open loop runs for --duration");
  }
  const int threads = std::min(options.threads, options.connections);
  LoadOptions effective = options;
  effective.threads = threads;
  // Wake-ups exactly when asked (open loop): the default 50 us timer slack
  // would make every send up to 50 us late.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

  std::vector<std::unique_ptr<LoadThread>> load_threads;
  for (int t = 0; t < threads; ++t) {
    const int connections = options.connections / threads +
                            (t < options.connections % threads ? 1 : 0);
    load_threads.push_back(std::make_unique<LoadThread>(
        effective, target, workload, t, connections));
    if (absl::Status s = load_threads.back()->Connect(); !s.ok()) return s;
  }

  const double cpu_before = CpuSeconds();
  const int64_t start_ns = MonotonicNowNs() + 20'000'000;
  std::vector<absl::Status> results(threads);
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&, t] {
      prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
      results[t] = load_threads[t]->Run(start_ns);
    });
  }
  for (std::thread& t : running) t.join();
  LoadResult result;
  result.client_cpu_seconds = CpuSeconds() - cpu_before;
  result.run_seconds = static_cast<double>(MonotonicNowNs() - start_ns) * 1e-9;
  for (int t = 0; t < threads; ++t) {
    if (!results[t].ok()) return results[t];
    result.stats.Merge(load_threads[t]->stats());
  }
  result.window_seconds = static_cast<double>(result.stats.window_end_ns -
                                              result.stats.window_start_ns) *
                          1e-9;
  return result;
}

}  // namespace contactd::bench
