#pragma once
// PrometheusWriter: builds the Prometheus text exposition format (0.0.4)
// that GET /metrics serves.
//
//   PrometheusWriter out;
//   out.Family("contactd_lookups_total", "counter", "Lookups by kind and
//   result."); out.Sample("contactd_lookups_total", {{"kind", "phone"},
//   {"result", "hit"}}, 42); out.Histogram("contactd_lookup_duration_seconds",
//   "...", snapshot); std::string text = out.Take();

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "server/latency_histogram.h"

namespace contactd::server::http {

using Label = std::pair<std::string_view, std::string_view>;

class PrometheusWriter {
 public:
  // The # HELP and # TYPE lines; every sample of the family follows.
  void Family(std::string_view name, std::string_view type,
              std::string_view help);
  void Sample(std::string_view name, std::initializer_list<Label> labels,
              double value);
  void Sample(std::string_view name, double value) { Sample(name, {}, value); }
  // A whole histogram family: cumulative buckets in seconds, _sum, _count.
  void Histogram(std::string_view name, std::string_view help,
                 const HistogramSnapshot& histogram);
  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
};

}  // namespace contactd::server::http
