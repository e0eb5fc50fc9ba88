#pragma once
// Reading the Prometheus text format of GET /metrics in tests: every sample
// by its series ("name" or "name{label=\"v\",...}", as the server writes
// it).
//
//   Samples before = ParseSamples(text);
//   EXPECT_EQ(after["contactd_lookups_total{kind=\"phone\",result=\"hit\"}"],
//             before["..."] + 1);

#include <map>
#include <string>
#include <vector>

namespace contactd::testing {

using Samples = std::map<std::string, double>;

// The samples of `text`; a line that is neither a comment nor
// "SERIES VALUE" is reported by MalformedLines.
Samples ParseSamples(const std::string& text);
std::vector<std::string> MalformedLines(const std::string& text);

// The names of the "# TYPE" lines of `text`.
std::vector<std::string> Families(const std::string& text);

// Whether histogram `name`'s buckets are cumulative (never decrease) and
// its +Inf bucket equals its _count.
bool IsConsistentHistogram(const std::string& text, const std::string& name);

}  // namespace contactd::testing
