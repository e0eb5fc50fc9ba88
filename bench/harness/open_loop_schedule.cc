#include "bench/harness/open_loop_schedule.h"

#include <cmath>

namespace contactd::bench {

uint64_t OpenLoopSchedule::CountBefore(int64_t end_ns) const {
  if (end_ns <= start_ns_) return 0;
  // Global requests n with start + n * period < end, then ours among them.
  const double span = static_cast<double>(end_ns - start_ns_);
  uint64_t global = static_cast<uint64_t>(std::ceil(span / period_ns_));
  // Guard the rounding of the division: exactly the n with IntendedNs < end.
  while (global > 0 &&
         start_ns_ + static_cast<int64_t>(static_cast<double>(global - 1) *
                                          period_ns_) >=
             end_ns) {
    --global;
  }
  while (start_ns_ +
             static_cast<int64_t>(static_cast<double>(global) * period_ns_) <
         end_ns) {
    ++global;
  }
  if (global <= thread_) return 0;
  return (global - thread_ + threads_ - 1) / threads_;
}

}  // namespace contactd::bench
