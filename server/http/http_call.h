#pragma once
// Call: one HTTP request on its way through a route — the request, what the
// router captured from the path, who is asking (grant, tenant), and the one
// way to answer it.
//
//   void GetContact(const ApiContext& context, Call& call) {
//     absl::StatusOr<index::Uuid> id = call.PathId(0);
//     if (!id.ok()) return call.Fail(ErrorFromStatus(id.status()));
//     ...
//     call.Reply(200, ContactToJson(contact));
//   }
//
// A route answers exactly once: at once (Reply/Fail), or later from
// another thread with the Respond it takes (TakeRespond).

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "index/uuid.h"
#include "server/access_token.h"
#include "server/http/api_error.h"
#include "server/http/http_types.h"
#include "server/http/request_target.h"

namespace contactd::server::http {

class Call {
 public:
  Call(Request request, RequestTarget target, Respond respond)
      : request_(std::move(request)),
        target_(std::move(target)),
        respond_(std::move(respond)) {}

  const Request& request() const { return request_; }
  const RequestTarget& target() const { return target_; }
  std::optional<std::string_view> Query(std::string_view name) const {
    return target_.Query(name);
  }

  // The decoded path segments the route's "{}" captured, in order.
  std::vector<std::string> params;
  Grant grant;
  index::Uuid tenant;  // set for routes that act on one tenant

  std::string_view Param(size_t i) const { return params.at(i); }
  // Param(i) as a UUID; INVALID_ID otherwise.
  absl::StatusOr<index::Uuid> ParamId(size_t i) const;
  // The body as one JSON object; INVALID_JSON_BODY (with the parser's
  // position) otherwise.
  absl::StatusOr<Json> JsonBody() const;

  void Reply(Response response);
  void Reply(unsigned status, const Json& body) {
    Reply(JsonResponse(status, body));
  }
  void Fail(const ApiError& error) { Reply(ErrorResponse(error)); }
  // For an answer given later, from another thread.
  Respond TakeRespond() { return std::move(respond_); }

 private:
  Request request_;
  RequestTarget target_;
  Respond respond_;
};

}  // namespace contactd::server::http
