#include "bench/harness/run_report.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace contactd::bench {
namespace {

double Micros(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

double MicrosPerReply(double cpu_seconds, const LoadStats& stats) {
  return stats.replies() > 0
             ? cpu_seconds * 1e6 / static_cast<double>(stats.replies())
             : 0.0;
}

nlohmann::json LatencyJson(const LatencyHistogram& h) {
  nlohmann::json j;
  j["count"] = h.count();
  j["min"] = Micros(h.min());
  j["mean"] = h.mean() / 1000.0;
  j["p50"] = Micros(h.Percentile(0.50));
  j["p90"] = Micros(h.Percentile(0.90));
  j["p99"] = Micros(h.Percentile(0.99));
  j["p99_9"] = Micros(h.Percentile(0.999));
  j["max"] = Micros(h.max());
  return j;
}

std::string Mode(const LoadOptions& o) {
  if (o.rate > 0) return absl::StrCat("open loop at ", o.rate, " req/s");
  return "closed loop";
}

}  // namespace

nlohmann::json RunReportJson(const RunDescription& run,
                             const LoadResult& result) {
  const LoadOptions& o = run.options;
  const LoadStats& s = result.stats;
  nlohmann::json j;
  j["target"] = run.target;
  j["label"] = run.label;
  j["server"] = run.server;
  j["mode"] = o.rate > 0 ? "open" : "closed";
  j["rate"] = o.rate;
  j["connections"] = o.connections;
  j["pipeline"] = o.pipeline;
  j["threads"] = o.threads;
  j["summary"] = run.summary;
  j["hit_ratio"] = o.picker.hit_ratio;
  j["email_ratio"] = o.picker.email_ratio;
  j["write_ratio"] = o.picker.write_ratio;
  j["warmup_s"] = o.warmup_seconds;
  j["window_s"] = result.window_seconds;
  j["replies"] = s.replies();
  j["hits"] = s.hits;
  j["misses"] = s.misses;
  j["written"] = s.written;
  j["errors"] = s.errors;
  j["unanswered"] = s.unanswered;
  j["broken_connections"] = s.broken_connections;
  j["throughput_rps"] = result.throughput();
  j["latency_us"] = LatencyJson(s.latency);
  if (o.rate > 0) j["send_lag_us"] = LatencyJson(s.send_lag);
  j["client_cpu_s"] = result.client_cpu_seconds;
  j["client_cpu_us_per_request"] = MicrosPerReply(result.client_cpu_seconds, s);
  if (result.server_cpu_seconds.has_value()) {
    j["server_cpu_s"] = *result.server_cpu_seconds;
    j["server_cpu_us_per_request"] =
        MicrosPerReply(*result.server_cpu_seconds, s);
  }
  return j;
}

std::string RunReportText(const RunDescription& run, const LoadResult& result) {
  const LoadOptions& o = run.options;
  const LoadStats& s = result.stats;
  const LatencyHistogram& h = s.latency;
  std::string out = absl::StrFormat(
      "%s %s: %s, %d connections x pipeline %d, %d client threads\n",
      run.target, run.server, Mode(o), o.connections, o.pipeline, o.threads);
  absl::StrAppendFormat(
      &out,
      "  %.1f s: %d replies (%d hits, %d misses, %d written), %d errors, "
      "%d unanswered\n",
      result.window_seconds, s.replies(), s.hits, s.misses, s.written, s.errors,
      s.unanswered);
  absl::StrAppendFormat(&out, "  throughput %.0f req/s\n", result.throughput());
  absl::StrAppendFormat(
      &out,
      "  latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  "
      "(mean %.1f)\n",
      Micros(h.Percentile(0.5)), Micros(h.Percentile(0.9)),
      Micros(h.Percentile(0.99)), Micros(h.Percentile(0.999)), Micros(h.max()),
      h.mean() / 1000.0);
  if (o.rate > 0) {
    absl::StrAppendFormat(&out, "  send lag us: p50 %.1f  p99 %.1f  max %.1f\n",
                          Micros(s.send_lag.Percentile(0.5)),
                          Micros(s.send_lag.Percentile(0.99)),
                          Micros(s.send_lag.max()));
  }
  absl::StrAppendFormat(&out, "  client CPU %.2f s (%.2f us per request)\n",
                        result.client_cpu_seconds,
                        MicrosPerReply(result.client_cpu_seconds, s));
  if (result.server_cpu_seconds.has_value()) {
    absl::StrAppendFormat(&out, "  server CPU %.2f s (%.2f us per request)\n",
                          *result.server_cpu_seconds,
                          MicrosPerReply(*result.server_cpu_seconds, s));
  }
  return out;
}

absl::Status WritePercentiles(const std::string& path,
                              const LatencyHistogram& histogram) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  out << "# value_us percentile one_over_one_minus_p\n";
  const double count = static_cast<double>(histogram.count());
  // Four points per halving of 1 - p, as far as the sample supports.
  for (int i = 0;; ++i) {
    const double tail = std::pow(2.0, -i / 4.0);
    if (1.0 / tail > count) break;
    const double p = 1.0 - tail;
    out << absl::StrFormat("%.3f %.8f %.2f\n", Micros(histogram.Percentile(p)),
                           p, 1.0 / tail);
  }
  out << absl::StrFormat("%.3f %.8f %.2f\n", Micros(histogram.max()), 1.0,
                         std::max(count, 1.0));
  if (!out) return absl::UnavailableError(absl::StrCat("write failed: ", path));
  return absl::OkStatus();
}

}  // namespace contactd::bench
