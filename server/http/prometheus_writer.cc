#include "server/http/prometheus_writer.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::server::http {
namespace {

using index::ToAbsl;

// Label values: backslash, double quote and newline are escaped.
void AppendEscaped(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
}

// Integers exactly (counters pass 2^24 quickly), others with 9 digits.
std::string FormatValue(double value) {
  if (std::isfinite(value) && value == std::floor(value) &&
      std::fabs(value) < 9e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

}  // namespace

void PrometheusWriter::Family(std::string_view name, std::string_view type,
                              std::string_view help) {
  absl::StrAppend(&text_, "# HELP ", ToAbsl(name), " ", ToAbsl(help), "\n",
                  "# TYPE ", ToAbsl(name), " ", ToAbsl(type), "\n");
}

void PrometheusWriter::Sample(std::string_view name,
                              std::initializer_list<Label> labels,
                              double value) {
  text_.append(name);
  if (labels.size() > 0) {
    text_.push_back('{');
    bool first = true;
    for (const auto& [key, label_value] : labels) {
      if (!first) text_.push_back(',');
      first = false;
      text_.append(key);
      text_.append("=\"");
      AppendEscaped(text_, label_value);
      text_.push_back('"');
    }
    text_.push_back('}');
  }
  absl::StrAppend(&text_, " ", FormatValue(value), "\n");
}

void PrometheusWriter::Histogram(std::string_view name, std::string_view help,
                                 const HistogramSnapshot& histogram) {
  Family(name, "histogram", help);
  const std::string bucket = absl::StrCat(ToAbsl(name), "_bucket");
  for (size_t i = 0; i < kLatencyBucketBoundsNs.size(); ++i) {
    const std::string le = FormatValue(kLatencyBucketBoundsNs[i] / 1e9);
    Sample(bucket, {{"le", le}}, static_cast<double>(histogram.cumulative[i]));
  }
  Sample(bucket, {{"le", "+Inf"}}, static_cast<double>(histogram.count));
  Sample(absl::StrCat(ToAbsl(name), "_sum"),
         absl::ToDoubleSeconds(histogram.sum));
  Sample(absl::StrCat(ToAbsl(name), "_count"),
         static_cast<double>(histogram.count));
}

}  // namespace contactd::server::http
