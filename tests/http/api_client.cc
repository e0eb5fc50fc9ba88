#include "tests/http/api_client.h"

#include "gtest/gtest.h"

namespace contactd::testing {

ApiClient::ApiClient(int port, std::string tenant, std::string token)
    : port_(port), tenant_(std::move(tenant)), token_(std::move(token)) {}

HttpResponse ApiClient::Call(const std::string& method,
                             const std::string& target,
                             std::optional<std::string> body) {
  HttpRequest request{.method = method, .target = target, .body = body};
  if (!tenant_.empty()) request.headers.emplace_back("X-Customer-Id", tenant_);
  if (!token_.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + token_);
  }
  if (connection_ == nullptr) {
    connection_ = std::make_unique<HttpConnection>(port_);
  }
  HttpResponse response = connection_->Send(request);
  if (response.status == 0 || !response.keep_alive) connection_.reset();
  return response;
}

HttpResponse ApiClient::Get(const std::string& target) {
  return Call("GET", target);
}

HttpResponse ApiClient::Delete(const std::string& target) {
  return Call("DELETE", target);
}

HttpResponse ApiClient::Post(const std::string& target,
                             const nlohmann::json& body) {
  return Call("POST", target, body.dump());
}

HttpResponse ApiClient::Put(const std::string& target,
                            const nlohmann::json& body) {
  return Call("PUT", target, body.dump());
}

nlohmann::json ApiClient::CreateContact(const nlohmann::json& body) {
  const HttpResponse response = Post("/v1/contacts", body);
  EXPECT_EQ(response.status, 201u) << Describe(response);
  return response.status == 201 ? response.Json() : nlohmann::json();
}

std::string ContactPath(const nlohmann::json& id, const std::string& rest) {
  std::string path =
      "/v1/contacts/" + (id.is_string() ? id.get<std::string>() : id.dump());
  return rest.empty() ? path : path + "/" + rest;
}

}  // namespace contactd::testing
