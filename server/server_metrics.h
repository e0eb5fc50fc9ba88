#pragma once
// ServerMetrics: the server's counters and latency histograms, for the
// binary STATS opcode, GET /admin/stats and GET /metrics. Relaxed atomics:
// each counter is exact, a snapshot of several is not atomic as a whole.

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "protocol/frame.h"
#include "protocol/lookup_messages.h"
#include "protocol/wire_status.h"
#include "server/latency_histogram.h"

namespace contactd::server {

enum class LookupResult : uint8_t { kHit = 0, kMiss = 1, kError = 2 };
inline constexpr size_t kLookupResults = 3;
std::string_view LookupResultName(LookupResult result);  // "hit", ...

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

  // Lookups (binary and HTTP) by kind (protocol::LookupKind) and result,
  // and how long each took from decoded request to encoded reply.
  std::array<std::array<Counter, kLookupResults>, 2> lookups_by_result{};
  LatencyHistogram lookup_latency;
  // Every binary reply, by opcode and WireStatus.
  std::array<std::array<Counter, protocol::kMaxWireStatus + 1>, 256> replies{};
  LatencyHistogram fsync_latency;  // the WAL's fdatasync

  // The HTTP port.
  Counter http_connections_accepted{0};
  Counter http_connections_active{0};
  Counter http_connections_rejected{0};  // over --http-max-connections
  Counter http_requests{0};
  std::array<Counter, 600> http_responses{};  // by status code
  Counter http_timeouts{0};

  // (name, value) for every scalar counter of the binary port, in
  // declaration order (the STATS opcode's list).
  std::vector<std::pair<std::string_view, uint64_t>> Snapshot() const;

  void RecordLookup(protocol::LookupKind kind, LookupResult result,
                    absl::Duration latency);
  // Counts the reply in `frame` (a complete reply frame) by opcode and
  // status.
  void CountReply(std::string_view frame);
  void CountHttpResponse(unsigned status);
};

inline void Increment(ServerMetrics::Counter& counter, uint64_t n = 1) {
  counter.fetch_add(n, std::memory_order_relaxed);
}

}  // namespace contactd::server
