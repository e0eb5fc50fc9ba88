// Lookup latency under maintenance: a thread that looks up random phones of
// a dataset in a Database's index and times each lookup, phase by phase
// (baseline, then during a checkpoint or a reload), into a histogram, and
// the benchmark counters that report it.

#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "bench/dataset.h"
#include "bench/durability/bench_support.h"
#include "snapshot/database.h"

namespace contactd::bench {

// Lookup latencies: 10 ns buckets up to kExactFromNs, exact values above.
class LatencyHistogram {
 public:
  static constexpr uint64_t kBucketNs = 10;
  static constexpr uint64_t kExactFromNs = 2'000'000;

  LatencyHistogram() : buckets_(kExactFromNs / kBucketNs, 0) {
    slow_.reserve(1 << 16);
  }
  void Add(uint64_t ns) {
    ++count_;
    max_ = std::max(max_, ns);
    if (ns >= 1'000'000) ++over_1ms_;
    if (ns < kExactFromNs) {
      ++buckets_[ns / kBucketNs];
    } else if (slow_.size() < slow_.capacity()) {
      slow_.push_back(ns);
    }
  }
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  uint64_t over_1ms() const { return over_1ms_; }
  // The q-quantile, ns (bucket resolution below kExactFromNs).
  double Quantile(double q) const;

 private:
  std::vector<uint64_t> buckets_;
  std::vector<uint64_t> slow_;
  uint64_t count_ = 0;
  uint64_t max_ = 0;
  uint64_t over_1ms_ = 0;
};

// Looks up random phones of `keys` back to back in db's current index,
// timing each lookup, into histogram[phase] until phase == kStop.
class LookupThread {
 public:
  static constexpr int kBaseline = 0, kDuring = 1, kStop = 2;

  // paced: sleep kPace after each lookup (a server's I/O thread between
  // requests) instead of looking up back to back (a reader that never
  // yields its core).
  static constexpr auto kPace = std::chrono::microseconds(20);

  LookupThread(snapshot::Database& db, const std::vector<PhoneLookupKey>& keys,
               bool paced)
      : db_(db), keys_(keys), paced_(paced), thread_([this] { Run(); }) {}
  ~LookupThread() { Stop(); }

  void SetPhase(int phase) { phase_.store(phase, std::memory_order_release); }
  void Stop() {
    SetPhase(kStop);
    if (thread_.joinable()) thread_.join();
  }
  // After Stop.
  const LatencyHistogram& histogram(int phase) const { return hist_[phase]; }
  uint64_t misses() const { return misses_; }
  // Involuntary context switches of the thread in a phase (getrusage).
  long preempted(int phase) const { return preempted_[phase]; }
  // Voluntary context switches (a paced reader's sleeps included) and page
  // faults of the thread in a phase.
  long blocked(int phase) const { return blocked_[phase]; }
  long faults(int phase) const { return faults_[phase]; }
  double cpu_share(int phase) const {
    return wall_s_[phase] > 0 ? cpu_s_[phase] / wall_s_[phase] : 0;
  }
  bool realtime() const { return realtime_; }
  bool paced() const { return paced_; }

 private:
  void Run();

  struct Usage {
    long nivcsw = 0;
    long nvcsw = 0;
    long minflt = 0;
    double cpu_s = 0;
    Clock::time_point wall;
  };
  static Usage Now();

  snapshot::Database& db_;
  const std::vector<PhoneLookupKey>& keys_;
  const bool paced_;
  // CONTACTD_BENCH_TRACE_SLOW=1: print when each lookup >= 1 ms happened.
  const bool trace_slow_ = [] {
    const char* v = std::getenv("CONTACTD_BENCH_TRACE_SLOW");
    return v != nullptr && std::string_view(v) == "1";
  }();
  std::atomic<int> phase_{kBaseline};
  LatencyHistogram hist_[2];
  uint64_t misses_ = 0;
  long preempted_[2] = {0, 0};
  long blocked_[2] = {0, 0};
  long faults_[2] = {0, 0};
  double cpu_s_[2] = {0, 0};
  double wall_s_[2] = {0, 0};
  bool realtime_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

// Sets the counters of both phases (baseline_*: before) from a stopped
// reader; an error if any lookup missed.
void ReportLookups(benchmark::State& state, const LookupThread& reader);

}  // namespace contactd::bench
