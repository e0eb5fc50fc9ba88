#include "tests/http/prometheus_text.h"

#include <cstdlib>
#include <sstream>

namespace contactd::testing {
namespace {

// Splits "SERIES VALUE"; false for anything else.
bool SplitSample(const std::string& line, std::string& series, double& value) {
  const size_t space = line.rfind(' ');
  if (space == std::string::npos || space == 0) return false;
  const std::string text = line.substr(space + 1);
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) return false;
  series = line.substr(0, space);
  return true;
}

template <typename Visit>
void ForEachLine(const std::string& text, Visit visit) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) visit(line);
}

}  // namespace

Samples ParseSamples(const std::string& text) {
  Samples samples;
  ForEachLine(text, [&](const std::string& line) {
    std::string series;
    double value = 0;
    if (!line.empty() && line[0] != '#' && SplitSample(line, series, value)) {
      samples[series] = value;
    }
  });
  return samples;
}

std::vector<std::string> MalformedLines(const std::string& text) {
  std::vector<std::string> bad;
  ForEachLine(text, [&](const std::string& line) {
    std::string series;
    double value = 0;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) return;
    if (!SplitSample(line, series, value)) bad.push_back(line);
  });
  return bad;
}

std::vector<std::string> Families(const std::string& text) {
  std::vector<std::string> names;
  ForEachLine(text, [&](const std::string& line) {
    if (line.rfind("# TYPE ", 0) != 0) return;
    const size_t end = line.find(' ', 7);
    names.push_back(line.substr(7, end - 7));
  });
  return names;
}

bool IsConsistentHistogram(const std::string& text, const std::string& name) {
  const std::string prefix = name + "_bucket{le=\"";
  double last = 0, inf = -1;
  size_t buckets = 0;
  bool cumulative = true;
  ForEachLine(text, [&](const std::string& line) {
    std::string series;
    double value = 0;
    if (line.rfind(prefix, 0) != 0 || !SplitSample(line, series, value)) return;
    ++buckets;
    cumulative = cumulative && value >= last;
    last = value;
    if (series == prefix + "+Inf\"}") inf = value;
  });
  const Samples samples = ParseSamples(text);
  const auto count = samples.find(name + "_count");
  return buckets > 1 && cumulative && count != samples.end() &&
         count->second == inf;
}

}  // namespace contactd::testing
