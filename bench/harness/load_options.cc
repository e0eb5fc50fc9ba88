#include "bench/harness/load_options.h"

#include <algorithm>

namespace contactd::bench {

void LoadStats::Merge(const LoadStats& other) {
  latency.Merge(other.latency);
  send_lag.Merge(other.send_lag);
  hits += other.hits;
  misses += other.misses;
  written += other.written;
  errors += other.errors;
  unanswered += other.unanswered;
  broken_connections += other.broken_connections;
  window_start_ns = window_start_ns == 0
                        ? other.window_start_ns
                        : std::min(window_start_ns, other.window_start_ns);
  window_end_ns = std::max(window_end_ns, other.window_end_ns);
}

}  // namespace contactd::bench
