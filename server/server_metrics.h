#pragma once
// ServerMetrics: the binary listener's counters, for STATS (and the HTTP
// /metrics endpoint later). Relaxed atomics: each counter is exact, a
// snapshot of several is not atomic as a whole.

#include <atomic>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace contactd::server {

struct ServerMetrics {
  using Counter = std::atomic<uint64_t>;

  Counter connections_accepted{0};
  Counter connections_active{0};
  Counter connections_rejected{0};  // over --max-connections
  Counter requests{0};
  Counter lookups{0};
  Counter lookup_hits{0};
  Counter writes{0};
  Counter error_replies{0};
  Counter malformed_frames{0};  // bad magic/flags, bodies that do not parse
  Counter oversized_frames{0};  // over --max-frame-bytes
  Counter unsupported_versions{0};
  Counter unknown_opcodes{0};
  Counter auth_failures{0};
  Counter permission_denied{0};
  Counter idle_timeouts{0};
  Counter write_timeouts{0};  // a client that does not read
  Counter read_pauses{0};     // back-pressure: in-flight/output limits
  Counter writes_rejected_busy{0};

  // (name, value) for every counter, in declaration order.
  std::vector<std::pair<std::string_view, uint64_t>> Snapshot() const;
};

inline void Increment(ServerMetrics::Counter& counter, uint64_t n = 1) {
  counter.fetch_add(n, std::memory_order_relaxed);
}

}  // namespace contactd::server
