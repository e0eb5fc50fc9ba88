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

std::string_view LookupResultName(LookupResult result) {
  switch (result) {
    case LookupResult::kHit:
      return "hit";
    case LookupResult::kMiss:
      return "miss";
    case LookupResult::kError:
      return "error";
  }
  return "error";
}

void ServerMetrics::RecordLookup(protocol::LookupKind kind, LookupResult result,
                                 absl::Duration latency) {
  const size_t k = kind == protocol::LookupKind::kPhone ? 0 : 1;
  Increment(lookups_by_result[k][static_cast<size_t>(result)]);
  lookup_latency.Record(latency);
}

void ServerMetrics::CountReply(std::string_view frame) {
  // A reply frame is the 16-byte header, then the body, whose first byte is
  // the status (protocol/frame.h, protocol/reply.h).
  if (frame.size() <= protocol::kHeaderSize) return;
  const auto opcode = static_cast<uint8_t>(frame[3]);
  const auto status = static_cast<uint8_t>(frame[protocol::kHeaderSize]);
  if (status > protocol::kMaxWireStatus) return;
  Increment(replies[opcode][status]);
}

void ServerMetrics::CountHttpResponse(unsigned status) {
  if (status < http_responses.size()) Increment(http_responses[status]);
}

}  // namespace contactd::server
