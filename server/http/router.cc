#include "server/http/router.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "index/errors.h"

namespace contactd::server::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  for (absl::string_view s : absl::StrSplit(index::ToAbsl(path), '/')) {
    out.emplace_back(s.data(), s.size());
  }
  return out;
}

// The raw segments `path` gives the pattern's "{}", or false.
bool Matches(const std::vector<std::string_view>& pattern,
             const std::vector<std::string_view>& path,
             std::vector<std::string_view>& captured) {
  if (pattern.size() != path.size()) return false;
  captured.clear();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "{}") {
      if (path[i].empty()) return false;
      captured.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<RouteMatch> MatchRoute(std::span<const Route> routes,
                                      beast_http::verb method,
                                      std::string_view path) {
  const std::vector<std::string_view> segments = Segments(path);
  std::vector<std::string_view> captured;
  // Of the patterns that match the path, only the most literal ones count:
  // "/v1/contacts/lookup" is not also "/v1/contacts/{}".
  size_t most_literal = 0;
  for (const Route& route : routes) {
    if (Matches(Segments(route.pattern), segments, captured)) {
      most_literal = std::max(most_literal, segments.size() - captured.size());
    }
  }
  std::vector<std::string> allowed;
  RouteMatch match;
  for (const Route& route : routes) {
    if (!Matches(Segments(route.pattern), segments, captured) ||
        segments.size() - captured.size() != most_literal) {
      continue;
    }
    if (route.method != method) {
      const auto name = beast_http::to_string(route.method);
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        allowed.emplace_back(name.data(), name.size());
      }
      continue;
    }
    match.route = &route;
    for (std::string_view raw : captured) {
      absl::StatusOr<std::string> decoded = DecodePathSegment(raw);
      if (!decoded.ok()) return decoded.status();
      match.params.push_back(*std::move(decoded));
    }
    return match;
  }
  match.allow = absl::StrJoin(allowed, ", ");
  return match;
}

}  // namespace contactd::server::http
