#pragma once
// RequestTarget: the path and query of an HTTP request target, percent-
// decoded ("/v1/contacts/abc/tags/vip%20gold?page_size=10&tag=a+b").
//
//   absl::StatusOr<RequestTarget> t = ParseRequestTarget(request.target());
//   t->path                 // "/v1/contacts/abc/tags/vip%20gold" (raw)
//   t->Query("tag")         // "a b" (decoded; '+' is a space)
//
// The path stays raw so that an encoded '/' inside a segment cannot split
// it; the router decodes each segment it captures (DecodePathSegment).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace contactd::server::http {

struct RequestTarget {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;

  // The first value of `name`, or nullopt when the query lacks it.
  std::optional<std::string_view> Query(std::string_view name) const;
};

// Errors (InvalidArgument): a target that is not origin-form ("/..."), a
// bad percent escape.
absl::StatusOr<RequestTarget> ParseRequestTarget(std::string_view target);

// Percent-decodes one path segment ('+' stays '+').
absl::StatusOr<std::string> DecodePathSegment(std::string_view segment);

}  // namespace contactd::server::http
