#include "server/http/http_call.h"

#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::server::http {

absl::StatusOr<index::Uuid> Call::ParamId(size_t i) const {
  absl::StatusOr<index::Uuid> id = index::Uuid::Parse(Param(i));
  if (!id.ok()) {
    return index::InvalidArgument(
        index::Reason::kInvalidId,
        absl::StrCat(index::QuoteInput(Param(i), 64), " is not a UUID"));
  }
  return id;
}

absl::StatusOr<Json> Call::JsonBody() const {
  auto invalid = [](absl::string_view message) {
    return absl::InvalidArgumentError(absl::StrCat("request body: ", message));
  };
  absl::StatusOr<Json> json = protocol::ParseJson(request_.body());
  if (!json.ok()) return invalid(json.status().message());
  if (!json->is_object()) {
    return invalid(
        absl::StrCat("expected a JSON object, got ", json->type_name()));
  }
  return json;
}

void Call::Reply(Response response) {
  if (respond_) std::move(respond_)(std::move(response));
}

}  // namespace contactd::server::http
