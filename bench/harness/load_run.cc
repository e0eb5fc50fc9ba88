#include "bench/harness/load_run.h"

#include <sys/prctl.h>

#include <chrono>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "bench/harness/load_thread.h"
#include "bench/harness/process_cpu.h"

namespace contactd::bench {
namespace {

struct CpuSample {
  double client = 0;
  std::optional<double> server;
};

CpuSample SampleCpu(int server_pid) {
  CpuSample sample;
  sample.client = ProcessCpuSeconds(0).value_or(0);
  if (server_pid > 0) {
    const absl::StatusOr<double> server = ProcessCpuSeconds(server_pid);
    if (server.ok()) sample.server = *server;
  }
  return sample;
}

std::chrono::steady_clock::time_point AtMonotonicNs(int64_t ns) {
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

// Samples both processes' CPU time at the start and at the end of the
// window, from a thread of its own that sleeps in between. When the run
// ends first (after --requests, or on an error), Finish() takes the end
// sample.
class WindowCpu {
 public:
  WindowCpu(const LoadOptions& options, int64_t start_ns)
      : server_pid_(options.server_pid) {
    const int64_t window_start =
        start_ns + static_cast<int64_t>(options.warmup_seconds * 1e9);
    const int64_t window_end =
        options.requests > 0
            ? std::numeric_limits<int64_t>::max()
            : window_start +
                  static_cast<int64_t>(options.duration_seconds * 1e9);
    thread_ = std::thread([this, window_start, window_end] {
      std::unique_lock lock(mutex_);
      if (finished_.wait_until(lock, AtMonotonicNs(window_start),
                               [this] { return finishing_; })) {
        return;  // ended during the warm-up
      }
      before_ = SampleCpu(server_pid_);
      if (finished_.wait_until(lock, AtMonotonicNs(window_end),
                               [this] { return finishing_; })) {
        return;
      }
      after_ = SampleCpu(server_pid_);
    });
  }

  void Finish(LoadResult& result) {
    {
      std::lock_guard lock(mutex_);
      finishing_ = true;
    }
    finished_.notify_one();
    thread_.join();
    if (!before_.has_value()) return;
    if (!after_.has_value()) after_ = SampleCpu(server_pid_);
    result.client_cpu_seconds = after_->client - before_->client;
    if (before_->server.has_value() && after_->server.has_value()) {
      result.server_cpu_seconds = *after_->server - *before_->server;
    }
  }

 private:
  const int server_pid_;
  std::mutex mutex_;
  std::condition_variable finished_;
  bool finishing_ = false;
  std::optional<CpuSample> before_;
  std::optional<CpuSample> after_;
  std::thread thread_;
};

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

  const int64_t start_ns = MonotonicNowNs() + 20'000'000;
  WindowCpu window_cpu(options, start_ns);
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
  window_cpu.Finish(result);
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
