#pragma once
// What contactd-bench prints: a human summary, the same as JSON (--json),
// and the percentile distribution of the latencies for plots
// (--percentiles-out), in HdrHistogram's "percentile distribution" shape:
//
//   # value_us  percentile  one_over_one_minus_p
//   41.3        0.500000    2.00
//   ...
// so gnuplot can draw latency against 1/(1-p) on a log axis (50 %, 90 %,
// 99 %, 99.9 % evenly spaced).

#include <string>

#include "absl/status/status.h"
#include "bench/harness/load_run.h"
#include "nlohmann/json.hpp"

namespace contactd::bench {

struct RunDescription {
  std::string target;  // contactd | redis | echo
  std::string label;   // free text, e.g. "50 connections x pipeline 16"
  std::string server;  // HOST:PORT
  bool summary = false;
  LoadOptions options;
};

nlohmann::json RunReportJson(const RunDescription& run,
                             const LoadResult& result);
std::string RunReportText(const RunDescription& run, const LoadResult& result);
absl::Status WritePercentiles(const std::string& path,
                              const LatencyHistogram& histogram);

}  // namespace contactd::bench
