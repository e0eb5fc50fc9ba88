#include "server/server_metrics.h"

namespace contactd::server {

std::vector<std::pair<std::string_view, uint64_t>> ServerMetrics::Snapshot()
    const {
  auto get = [](const Counter& c) { return c.load(std::memory_order_relaxed); };
  return {
      {"connections_accepted", get(connections_accepted)},
      {"connections_active", get(connections_active)},
      {"connections_rejected", get(connections_rejected)},
      {"requests", get(requests)},
      {"lookups", get(lookups)},
      {"lookup_hits", get(lookup_hits)},
      {"writes", get(writes)},
      {"error_replies", get(error_replies)},
      {"malformed_frames", get(malformed_frames)},
      {"oversized_frames", get(oversized_frames)},
      {"unsupported_versions", get(unsupported_versions)},
      {"unknown_opcodes", get(unknown_opcodes)},
      {"auth_failures", get(auth_failures)},
      {"permission_denied", get(permission_denied)},
      {"idle_timeouts", get(idle_timeouts)},
      {"write_timeouts", get(write_timeouts)},
      {"read_pauses", get(read_pauses)},
      {"writes_rejected_busy", get(writes_rejected_busy)},
  };
}

}  // namespace contactd::server
