#pragma once
// HttpApi: answers one HTTP request of contactd's HTTP port — the contact
// REST API, the admin routes, metrics and health (docs/http_api.md).
//
// For each request it matches the route (404 / 405), refuses everything
// but /healthz and /readyz until recovery is done (503 NOT_READY),
// authenticates the bearer token (401) and checks the route's scope (403),
// resolves the tenant from the token or X-Customer-Id (400 / 403), and runs
// the route. Reads answer on the calling HTTP thread; writes go to the
// writer thread and answer after their WAL commit.
//
// Thread safety: Handle may be called from any number of HTTP threads.

#include "server/http/api_context.h"
#include "server/http/http_types.h"

namespace contactd::server::http {

class HttpApi {
 public:
  explicit HttpApi(ApiContext& context) : context_(context) {}

  // Answers `request` through `respond`, now or later.
  void Handle(Request request, Respond respond) const;

 private:
  ApiContext& context_;
};

}  // namespace contactd::server::http
