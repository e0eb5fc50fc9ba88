#pragma once
// STATS: named u64 counters, so the server can add counters without a
// protocol version bump. Needs the admin scope.
//
//   stats request = (empty)
//   stats reply payload = count:u16 counter{count}     (count <=
//   kMaxStatsCounters)
//     counter = name:str value:u64
//
// Names are lowercase snake_case, e.g. "contacts", "lookups_total",
// "connections_open"; docs/protocol.md lists the ones the server sends.
// Clients ignore names they do not know.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace contactd::protocol {

inline constexpr size_t kMaxStatsCounters = 1024;

struct StatsCounter {
  std::string name;
  uint64_t value = 0;

  friend bool operator==(const StatsCounter&, const StatsCounter&) = default;
};

struct StatsReply {
  std::vector<StatsCounter> counters;
};

inline void EncodeStatsRequest(std::string&) {}
absl::Status DecodeStatsRequest(std::span<const uint8_t> body);

// Appends the whole reply body, OK prefix included. At most
// kMaxStatsCounters counters are sent.
void EncodeStatsReply(std::string& out, std::span<const StatsCounter> counters);
absl::Status DecodeStatsReply(std::span<const uint8_t> payload,
                              StatsReply& out);

}  // namespace contactd::protocol
