#pragma once
// The route table of the HTTP API and the matching of a request against it.
//
// A pattern is a path whose "{}" segments match any one non-empty segment;
// the router percent-decodes what they capture into Call::params. When
// several patterns match a path, the ones with the most literal segments
// win ("/v1/contacts/lookup" over "/v1/contacts/{}"); among those the
// route with the request's method. A path that such routes have but not
// with this method is 405 (with Allow); a path no route has is 404.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/http/api_context.h"
#include "server/http/http_call.h"

namespace contactd::server::http {

using RouteHandler = void (*)(const ApiContext& context, Call& call);

struct Route {
  beast_http::verb method;
  std::string_view pattern;
  uint8_t scope = 0;          // protocol::kScope*; 0: no token needed
  bool tenant = false;        // acts on one tenant (token or X-Customer-Id)
  bool before_ready = false;  // answers while recovery runs
  RouteHandler handle = nullptr;
};

struct RouteMatch {
  const Route* route = nullptr;  // nullptr: no route for method and path
  std::vector<std::string> params;
  std::string allow;  // when only the method differs: "GET, POST"
};

// Errors: a captured segment with a bad percent escape (InvalidArgument).
absl::StatusOr<RouteMatch> MatchRoute(std::span<const Route> routes,
                                      beast_http::verb method,
                                      std::string_view path);

}  // namespace contactd::server::http
