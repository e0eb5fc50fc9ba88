#pragma once
// OpenLoopSchedule: the intended send times of an open-loop run, fixed before
// the run starts, so a slow reply never delays (and so hides) the requests
// behind it — no coordinated omission. Latency is measured from a request's
// intended time, not from when it was actually sent.
//
// The run sends `rate` requests per second in total, evenly spaced, from
// `threads` client threads: request k of thread t is global request
// n = k * threads + t, intended at start + n / rate. So the threads
// interleave, and together they follow one uniform schedule.
//
//   OpenLoopSchedule schedule(/*rate=*/20'000, /*threads=*/1, /*thread=*/0,
//                             start_ns);
//   while (schedule.IntendedNs(next) <= now) send(next++, ...);
//
// Thread safety: immutable after construction.

#include <cstdint>

namespace contactd::bench {

class OpenLoopSchedule {
 public:
  // REQUIRES: rate > 0, threads >= 1, thread < threads.
  OpenLoopSchedule(double rate, int threads, int thread, int64_t start_ns)
      : period_ns_(1e9 / rate),
        threads_(threads),
        thread_(thread),
        start_ns_(start_ns) {}

  // The intended send time of this thread's k-th request (k from 0).
  int64_t IntendedNs(uint64_t k) const {
    const double n = static_cast<double>(k * threads_ + thread_);
    return start_ns_ + static_cast<int64_t>(n * period_ns_);
  }
  // How many of this thread's requests are intended before `end_ns`.
  uint64_t CountBefore(int64_t end_ns) const;

  double period_ns() const { return period_ns_; }
  int64_t start_ns() const { return start_ns_; }

 private:
  double period_ns_;
  uint64_t threads_;
  uint64_t thread_;
  int64_t start_ns_;
};

}  // namespace contactd::bench
