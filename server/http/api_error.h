#pragma once
// ApiError: how the HTTP API says no. Every error answer has the right HTTP
// status and the same JSON body:
//
//   {"error": {"status": "INVALID_ARGUMENT", "reason": "INVALID_PHONE",
//              "message": "'anonymous' is not a phone number"}}
//
// `status` is the gRPC-style code name of the failure, `reason` the rule
// that failed: an index::Reason (INVALID_PHONE, CONTACT_NOT_FOUND, ...) or
// one of the HTTP layer's own below. docs/http_api.md lists them all.
//
//   call.Fail(ErrorFromStatus(store_status, kReasonInvalidJsonBody));
//   call.Fail(MakeApiError(400, kReasonMissingCustomerId, "send ..."));

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "server/http/http_types.h"

namespace contactd::server::http {

// Reasons only the HTTP layer gives (the others are index::Reason names).
inline constexpr std::string_view kReasonInvalidJsonBody = "INVALID_JSON_BODY";
inline constexpr std::string_view kReasonBodyTooLarge = "BODY_TOO_LARGE";
inline constexpr std::string_view kReasonHeadersTooLarge = "HEADERS_TOO_LARGE";
inline constexpr std::string_view kReasonMalformedRequest = "MALFORMED_REQUEST";
inline constexpr std::string_view kReasonUnauthenticated = "UNAUTHENTICATED";
inline constexpr std::string_view kReasonPermissionDenied = "PERMISSION_DENIED";
inline constexpr std::string_view kReasonMissingCustomerId =
    "MISSING_CUSTOMER_ID";
inline constexpr std::string_view kReasonInvalidQuery = "INVALID_QUERY";
inline constexpr std::string_view kReasonMissingLookupKey =
    "MISSING_LOOKUP_KEY";
inline constexpr std::string_view kReasonRouteNotFound = "ROUTE_NOT_FOUND";
inline constexpr std::string_view kReasonMethodNotAllowed =
    "METHOD_NOT_ALLOWED";
inline constexpr std::string_view kReasonNotReady = "NOT_READY";
inline constexpr std::string_view kReasonBusy = "BUSY";
inline constexpr std::string_view kReasonTooManyConnections =
    "TOO_MANY_CONNECTIONS";

struct ApiError {
  unsigned http_status = 500;
  std::string status;  // "INVALID_ARGUMENT"
  std::string reason;  // "INVALID_PHONE"
  std::string message;
};

// The HTTP status for an absl::Status code: INVALID_ARGUMENT and
// FAILED_PRECONDITION 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403,
// NOT_FOUND 404, ALREADY_EXISTS 409, DATA_LOSS 422 (a damaged file to
// reload), RESOURCE_EXHAUSTED and UNAVAILABLE 503, others 500.
unsigned HttpStatusOf(absl::StatusCode code);

// From a failed status of the store or the database. Its index::Reason
// when it has one, else `default_reason`, else the status name.
ApiError ErrorFromStatus(const absl::Status& status,
                         std::string_view default_reason = {});

// An error of the HTTP layer; `status` is derived from `http_status`.
ApiError MakeApiError(unsigned http_status, std::string_view reason,
                      std::string message);

Response ErrorResponse(const ApiError& error);

}  // namespace contactd::server::http
