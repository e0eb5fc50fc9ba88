#include "server/http/api_error.h"

#include "index/errors.h"

namespace contactd::server::http {
namespace {

absl::StatusCode CodeOfHttpStatus(unsigned http_status) {
  switch (http_status) {
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 408:
      return absl::StatusCode::kDeadlineExceeded;
    case 409:
      return absl::StatusCode::kAlreadyExists;
    case 413:
      return absl::StatusCode::kResourceExhausted;
    case 405:
      return absl::StatusCode::kUnimplemented;
    case 503:
      return absl::StatusCode::kUnavailable;
    default:
      return http_status < 500 ? absl::StatusCode::kInvalidArgument
                               : absl::StatusCode::kInternal;
  }
}

}  // namespace

unsigned HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kDataLoss:
      return 422;
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

ApiError ErrorFromStatus(const absl::Status& status,
                         std::string_view default_reason) {
  ApiError error;
  error.http_status = HttpStatusOf(status.code());
  error.status = absl::StatusCodeToString(status.code());
  const index::Reason reason = index::ReasonOf(status);
  if (reason != index::Reason::kNone) {
    error.reason = index::ReasonName(reason);
  } else {
    error.reason = default_reason.empty() ? error.status : default_reason;
  }
  error.message = std::string(status.message());
  return error;
}

ApiError MakeApiError(unsigned http_status, std::string_view reason,
                      std::string message) {
  return ApiError{
      .http_status = http_status,
      .status = absl::StatusCodeToString(CodeOfHttpStatus(http_status)),
      .reason = std::string(reason),
      .message = std::move(message),
  };
}

Response ErrorResponse(const ApiError& error) {
  Json body = Json::object();
  body["error"] = Json::object();
  body["error"]["status"] = error.status;
  body["error"]["reason"] = error.reason;
  body["error"]["message"] = error.message;
  return JsonResponse(error.http_status, body);
}

Response JsonResponse(unsigned status, const Json& body) {
  Response response(static_cast<beast_http::status>(status), 11);
  response.set(beast_http::field::content_type, "application/json");
  response.body() = protocol::DumpJson(body);
  response.body().push_back('\n');
  return response;
}

}  // namespace contactd::server::http
