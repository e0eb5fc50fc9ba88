#include "bench/harness/compare_table.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace contactd::bench {
namespace {

using nlohmann::json;

absl::StatusOr<json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  json j = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not JSON"));
  }
  return j;
}

double Lat(const json& report, const char* percentile) {
  return report["latency_us"].value(percentile, 0.0);
}

std::string Latencies(const json& r) {
  return absl::StrFormat("%.1f / %.1f / %.1f / %.0f", Lat(r, "p50"),
                         Lat(r, "p99"), Lat(r, "p99_9"), Lat(r, "max"));
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

uint64_t Failures(const json& r) {
  return r.value("errors", uint64_t{0}) + r.value("unanswered", uint64_t{0});
}

// "9.87" from a report's `field` (µs per request), "" when it has none.
std::string CpuPerRequest(const json& report, const char* field) {
  if (!report.contains(field)) return "";
  return absl::StrFormat("%.2f", report.value(field, 0.0));
}

// CPU per request over each run's window, when the reports have it
// (contactd-bench run --server-pid): what a request costs each server, and
// the client, whatever share of the cores each of them got.
std::string CpuTable(const CompareInput& input) {
  std::string out;
  for (const CompareRow& row : input.rows) {
    const json& c = row.contactd;
    const json& r = row.redis;
    if (!c.contains("server_cpu_us_per_request") &&
        !r.contains("server_cpu_us_per_request")) {
      continue;
    }
    if (out.empty()) {
      out =
          "| workload | contactd server CPU (us/req) | Redis server CPU "
          "(us/req) | contactd/Redis | client CPU with contactd / with Redis "
          "(us/req) |\n|---|---:|---:|---:|---:|\n";
    }
    absl::StrAppendFormat(&out, "| %s | %s | %s | %.2fx | %s / %s |\n",
                          row.label,
                          CpuPerRequest(c, "server_cpu_us_per_request"),
                          CpuPerRequest(r, "server_cpu_us_per_request"),
                          Ratio(c.value("server_cpu_us_per_request", 0.0),
                                r.value("server_cpu_us_per_request", 0.0)),
                          CpuPerRequest(c, "client_cpu_us_per_request"),
                          CpuPerRequest(r, "client_cpu_us_per_request"));
  }
  return out;
}

std::string Verdict(bool met) { return met ? "**met**" : "**missed**"; }

std::string Targets(const CompareInput& input) {
  std::string out = "| target | measured | verdict |\n|---|---|---|\n";
  for (const CompareRow& row : input.rows) {
    const json& c = row.contactd;
    const json& r = row.redis;
    if (row.key == "c50") {
      const double ratio =
          Ratio(c.value("throughput_rps", 0.0), r.value("throughput_rps", 0.0));
      absl::StrAppendFormat(
          &out, "| throughput at 50 connections >= 1.5x Redis | %.2fx | %s |\n",
          ratio, Verdict(ratio >= 1.5));
    } else if (row.key.rfind("open", 0) == 0) {
      const double cp = Lat(c, "p99");
      const double rp = Lat(r, "p99");
      absl::StrAppendFormat(
          &out, "| p99 <= Redis's p99 (%s) | %.1f vs %.1f us | %s |\n",
          row.label, cp, rp, Verdict(cp <= rp));
    } else if (row.key == "c1" && row.floor.has_value()) {
      const double ratio = Ratio(Lat(c, "p50"), Lat(*row.floor, "p50"));
      absl::StrAppendFormat(&out,
                            "| 1-connection p50 <= 1.2x echo floor | %.2fx "
                            "(%.1f vs %.1f us) | %s |\n",
                            ratio, Lat(c, "p50"), Lat(*row.floor, "p50"),
                            Verdict(ratio <= 1.2));
    }
  }
  if (input.rss_contactd_kb > 0 && input.rss_redis_kb > 0) {
    const double ratio = Ratio(static_cast<double>(input.rss_contactd_kb),
                               static_cast<double>(input.rss_redis_kb));
    absl::StrAppendFormat(&out,
                          "| memory (RSS) <= 1/2 of Redis's | %.2fx | %s |\n",
                          ratio, Verdict(ratio <= 0.5));
  }
  return out;
}

}  // namespace

absl::StatusOr<CompareRow> ReadCompareRow(const std::string& spec) {
  const std::vector<std::string> parts = absl::StrSplit(spec, ':');
  if (parts.size() != 4 && parts.size() != 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--row: expected key:label:contactd.json:redis.json[:floor.json], "
        "got '",
        spec, "'"));
  }
  CompareRow row;
  row.key = parts[0];
  row.label = parts[1];
  absl::StatusOr<json> c = ReadJsonFile(parts[2]);
  if (!c.ok()) return c.status();
  absl::StatusOr<json> r = ReadJsonFile(parts[3]);
  if (!r.ok()) return r.status();
  row.contactd = *std::move(c);
  row.redis = *std::move(r);
  if (parts.size() == 5) {
    absl::StatusOr<json> f = ReadJsonFile(parts[4]);
    if (!f.ok()) return f.status();
    row.floor = *std::move(f);
  }
  return row;
}

std::string CompareTableMarkdown(const CompareInput& input) {
  std::string out =
      "| workload | contactd req/s | Redis req/s | contactd/Redis | "
      "contactd p50 / p99 / p99.9 / max (us) | Redis p50 / p99 / p99.9 / max "
      "(us) | p99 contactd/Redis | floor p50 (us) | contactd p50/floor | "
      "errors c / r |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const CompareRow& row : input.rows) {
    const json& c = row.contactd;
    const json& r = row.redis;
    std::string floor = "", floor_ratio = "";
    if (row.floor.has_value()) {
      floor = absl::StrFormat("%.1f", Lat(*row.floor, "p50"));
      floor_ratio = absl::StrFormat(
          "%.2fx", Ratio(Lat(c, "p50"), Lat(*row.floor, "p50")));
    }
    absl::StrAppendFormat(
        &out,
        "| %s | %.0f | %.0f | %.2fx | %s | %s | %.2fx | %s | %s | %d / %d |\n",
        row.label, c.value("throughput_rps", 0.0),
        r.value("throughput_rps", 0.0),
        Ratio(c.value("throughput_rps", 0.0), r.value("throughput_rps", 0.0)),
        Latencies(c), Latencies(r), Ratio(Lat(c, "p99"), Lat(r, "p99")), floor,
        floor_ratio, Failures(c), Failures(r));
  }
  if (input.rss_contactd_kb > 0 || input.rss_redis_kb > 0) {
    absl::StrAppendFormat(
        &out,
        "\n| memory for the dataset | contactd | Redis | contactd/Redis |\n"
        "|---|---:|---:|---:|\n"
        "| RSS (MiB) | %.0f | %.0f | %.2fx |\n",
        input.rss_contactd_kb / 1024.0, input.rss_redis_kb / 1024.0,
        Ratio(static_cast<double>(input.rss_contactd_kb),
              static_cast<double>(input.rss_redis_kb)));
    if (input.redis_used_memory_kb > 0) {
      absl::StrAppendFormat(&out,
                            "| Redis INFO used_memory (MiB) | | %.0f | |\n",
                            input.redis_used_memory_kb / 1024.0);
    }
  }
  if (const std::string cpu = CpuTable(input); !cpu.empty()) {
    absl::StrAppend(&out, "\n", cpu);
  }
  absl::StrAppend(&out, "\n", Targets(input));
  return out;
}

}  // namespace contactd::bench
