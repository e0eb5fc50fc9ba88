#include "server/http/api_error.h"

#include "gtest/gtest.h"
#include "index/errors.h"

namespace contactd::server::http {
namespace {

TEST(ApiErrorTest, StatusWithAReasonKeepsIt) {
  const ApiError e = ErrorFromStatus(
      index::InvalidArgument(index::Reason::kInvalidPhone, "'x' is not"),
      kReasonInvalidJsonBody);
  EXPECT_EQ(e.http_status, 400u);
  EXPECT_EQ(e.status, "INVALID_ARGUMENT");
  EXPECT_EQ(e.reason, "INVALID_PHONE");
  EXPECT_EQ(e.message, "'x' is not");
}

TEST(ApiErrorTest, StatusWithoutAReasonTakesTheDefaultOrItsName) {
  EXPECT_EQ(ErrorFromStatus(absl::InvalidArgumentError("bad type"),
                            kReasonInvalidJsonBody)
                .reason,
            "INVALID_JSON_BODY");
  EXPECT_EQ(ErrorFromStatus(absl::DataLossError("checksum")).reason,
            "DATA_LOSS");
}

TEST(ApiErrorTest, HttpStatusPerCode) {
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kNotFound), 404u);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kAlreadyExists), 409u);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kPermissionDenied), 403u);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnauthenticated), 401u);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kResourceExhausted), 503u);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kDataLoss), 422u);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInternal), 500u);
}

TEST(ApiErrorTest, ResponseIsTheErrorJson) {
  const Response r =
      ErrorResponse(MakeApiError(413, kReasonBodyTooLarge, "too big"));
  EXPECT_EQ(r.result_int(), 413u);
  EXPECT_EQ(r[beast_http::field::content_type], "application/json");
  EXPECT_EQ(r.body(),
            "{\"error\":{\"status\":\"RESOURCE_EXHAUSTED\",\"reason\":"
            "\"BODY_TOO_LARGE\",\"message\":\"too big\"}}\n");
}

}  // namespace
}  // namespace contactd::server::http
