#pragma once
// The side-by-side table of bench/compare.sh: for each workload, contactd's
// and Redis's --json reports (and the echo floor's, where there is one),
// the ratios, the servers' memory, and the targets met or missed.
//
//   contactd-bench table --row c1:"1 connection":c.json:r.json:echo.json ...
//                        --rss-contactd-kb 612000 --rss-redis-kb 3100000
//
// Row keys the targets refer to: c1 (p50 vs the floor), c50 (throughput vs
// Redis), open* (p99 vs Redis at each open-loop rate).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace contactd::bench {

struct CompareRow {
  std::string key;    // c1, c50, c50p16, open20k, ...
  std::string label;  // "1 connection", ...
  nlohmann::json contactd;
  nlohmann::json redis;
  std::optional<nlohmann::json> floor;
};

struct CompareInput {
  std::vector<CompareRow> rows;
  uint64_t rss_contactd_kb = 0;
  uint64_t rss_redis_kb = 0;
  uint64_t redis_used_memory_kb = 0;  // INFO memory used_memory; 0: unknown
};

// Parses "key:label:contactd.json:redis.json[:floor.json]", reading the
// files. Errors: InvalidArgument (bad spec), NotFound, bad JSON.
absl::StatusOr<CompareRow> ReadCompareRow(const std::string& spec);

// Markdown: the latency/throughput table, the memory table, CPU per
// request (when the reports have the servers' CPU), the targets.
std::string CompareTableMarkdown(const CompareInput& input);

}  // namespace contactd::bench
