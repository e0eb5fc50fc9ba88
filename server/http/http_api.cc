#include "server/http/http_api.h"

#include <exception>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "server/http/admin_routes.h"
#include "server/http/contact_write_routes.h"
#include "server/http/item_routes.h"
#include "server/http/read_routes.h"
#include "server/http/router.h"
#include "spdlog/spdlog.h"

namespace contactd::server::http {
namespace {

using beast_http::verb;
using protocol::kScopeAdmin, protocol::kScopeLookup, protocol::kScopeWrite;

// Lookup before "/v1/contacts/{}" (see router.h).
constexpr Route kRoutes[] = {
    {verb::get, "/healthz", 0, false, true, &Healthz},
    {verb::get, "/readyz", 0, false, true, &Readyz},
    {verb::get, "/metrics", kScopeAdmin, false, false, &Metrics},
    {verb::get, "/admin/stats", kScopeAdmin, false, false, &Stats},
    {verb::post, "/admin/reload", kScopeAdmin, false, false, &ReloadSnapshot},
    {verb::post, "/admin/checkpoint", kScopeAdmin, false, false, &Checkpoint},
    {verb::get, "/v1/contacts/lookup", kScopeLookup, true, false,
     &LookupContact},
    {verb::get, "/v1/contacts", kScopeLookup, true, false, &ListContacts},
    {verb::post, "/v1/contacts", kScopeWrite, true, false, &CreateContact},
    {verb::get, "/v1/contacts/{}", kScopeLookup, true, false, &GetContact},
    {verb::put, "/v1/contacts/{}", kScopeWrite, true, false, &UpdateContact},
    {verb::delete_, "/v1/contacts/{}", kScopeWrite, true, false,
     &DeleteContact},
    {verb::post, "/v1/contacts/{}/phone-numbers", kScopeWrite, true, false,
     &AddPhone},
    {verb::put, "/v1/contacts/{}/phone-numbers/{}", kScopeWrite, true, false,
     &UpdatePhone},
    {verb::delete_, "/v1/contacts/{}/phone-numbers/{}", kScopeWrite, true,
     false, &RemovePhone},
    {verb::post, "/v1/contacts/{}/emails", kScopeWrite, true, false, &AddEmail},
    {verb::put, "/v1/contacts/{}/emails/{}", kScopeWrite, true, false,
     &UpdateEmail},
    {verb::delete_, "/v1/contacts/{}/emails/{}", kScopeWrite, true, false,
     &RemoveEmail},
    {verb::post, "/v1/contacts/{}/tags", kScopeWrite, true, false, &AddTag},
    {verb::delete_, "/v1/contacts/{}/tags/{}", kScopeWrite, true, false,
     &RemoveTag},
};

// A header's value ("" when absent); `key` is a field or a name.
template <typename Key>
std::string_view Header(const Request& request, const Key& key) {
  const auto value = request[key];
  return {value.data(), value.size()};
}

// The grant of the request's bearer token; an error answers the call.
std::optional<ApiError> Authenticate(const ApiContext& context,
                                     const Request& request, Grant& grant) {
  if (context.tokens == nullptr) {
    grant = Grant::Everything();
    return std::nullopt;
  }
  const std::string_view authorization =
      Header(request, beast_http::field::authorization);
  constexpr std::string_view kBearer = "Bearer ";
  std::optional<Grant> found;
  if (authorization.size() > kBearer.size() &&
      absl::EqualsIgnoreCase(
          index::ToAbsl(authorization.substr(0, kBearer.size())),
          index::ToAbsl(kBearer))) {
    found = context.tokens->Authenticate(authorization.substr(kBearer.size()));
  }
  if (!found) {
    return MakeApiError(401, kReasonUnauthenticated,
                        authorization.empty()
                            ? "send Authorization: Bearer <token>"
                            : "unknown token");
  }
  grant = *found;
  return std::nullopt;
}

// The tenant the request acts on: the token's, or X-Customer-Id.
std::optional<ApiError> ResolveTenant(const Request& request, Call& call) {
  const std::string_view header = Header(request, "X-Customer-Id");
  std::optional<index::Uuid> named;
  if (!header.empty()) {
    absl::StatusOr<index::Uuid> id = index::Uuid::Parse(header);
    if (!id.ok()) {
      return MakeApiError(
          400, "INVALID_ID",
          absl::StrCat("X-Customer-Id ", index::QuoteInput(header, 64),
                       " is not a UUID"));
    }
    named = *id;
  }
  if (!call.grant.tenant.is_nil()) {
    if (named && *named != call.grant.tenant) {
      return MakeApiError(403, kReasonPermissionDenied,
                          "this token may not act on that X-Customer-Id");
    }
    call.tenant = call.grant.tenant;
    return std::nullopt;
  }
  if (!named) {
    return MakeApiError(400, kReasonMissingCustomerId,
                        "name the tenant in X-Customer-Id (or use a token "
                        "bound to one)");
  }
  call.tenant = *named;
  return std::nullopt;
}

// Everything between the route match and the route itself; an error
// answers the call.
std::optional<ApiError> Admit(const ApiContext& context, const Route& route,
                              Call& call) {
  if (!route.before_ready && context.database.load() == nullptr) {
    return MakeApiError(503, kReasonNotReady,
                        "recovering the data directory; retry soon");
  }
  if (route.scope == 0) return std::nullopt;
  if (auto error = Authenticate(context, call.request(), call.grant)) {
    return error;
  }
  if (!call.grant.Has(route.scope)) {
    return MakeApiError(403, kReasonPermissionDenied,
                        "this token lacks the scope this route needs");
  }
  if (route.tenant) return ResolveTenant(call.request(), call);
  return std::nullopt;
}

}  // namespace

void HttpApi::Handle(Request request, Respond respond) const {
  absl::StatusOr<RequestTarget> target = ParseRequestTarget(
      std::string_view(request.target().data(), request.target().size()));
  const verb method = request.method();
  Call call(std::move(request),
            target.ok() ? *std::move(target) : RequestTarget(),
            std::move(respond));
  if (!target.ok()) {
    return call.Fail(ErrorFromStatus(target.status(), kReasonMalformedRequest));
  }
  absl::StatusOr<RouteMatch> match =
      MatchRoute(kRoutes, method, call.target().path);
  if (!match.ok()) {
    return call.Fail(ErrorFromStatus(match.status(), kReasonMalformedRequest));
  }
  if (match->route == nullptr) {
    if (match->allow.empty()) {
      return call.Fail(
          MakeApiError(404, kReasonRouteNotFound,
                       absl::StrCat("no route ", call.target().path)));
    }
    Response response = ErrorResponse(MakeApiError(
        405, kReasonMethodNotAllowed,
        absl::StrCat(call.target().path, " allows ", match->allow)));
    response.set(beast_http::field::allow, match->allow);
    return call.Reply(std::move(response));
  }
  call.params = std::move(match->params);
  if (std::optional<ApiError> refused = Admit(context_, *match->route, call)) {
    Response response = ErrorResponse(*refused);
    if (refused->http_status == 401) {
      response.set(beast_http::field::www_authenticate, "Bearer");
    }
    return call.Reply(std::move(response));
  }
  try {
    match->route->handle(context_, call);
  } catch (const std::exception& e) {
    // Routes report errors as values; this is the last line against a
    // library throwing (nlohmann on a misuse, std::bad_alloc).
    const auto name = beast_http::to_string(method);
    spdlog::error("HTTP {} {}: {}", std::string_view(name.data(), name.size()),
                  call.target().path, e.what());
    call.Fail(MakeApiError(500, "INTERNAL", "internal error"));
  }
}

}  // namespace contactd::server::http
