#pragma once
// ApiClient: the contact REST API of one contactd as one tenant sees it —
// JSON in, HttpResponse out, X-Customer-Id and the bearer token added to
// every request. It reconnects when the server closed the last connection.
//
//   ApiClient api(server->http_port(), RandomTenant());
//   HttpResponse created = api.Post("/v1/contacts", {{"first_name", "Ada"}});
//   EXPECT_EQ(created.status, 201) << Describe(created);
//   HttpResponse got = api.Get(ContactPath(created.Json()["id"]));

#include <memory>
#include <optional>
#include <string>

#include "nlohmann/json.hpp"
#include "tests/http/http_client.h"

namespace contactd::testing {

class ApiClient {
 public:
  // An empty tenant sends no X-Customer-Id, an empty token no
  // Authorization.
  explicit ApiClient(int port, std::string tenant = "", std::string token = "");

  const std::string& tenant() const { return tenant_; }

  HttpResponse Get(const std::string& target);
  HttpResponse Delete(const std::string& target);
  HttpResponse Post(const std::string& target, const nlohmann::json& body);
  HttpResponse Put(const std::string& target, const nlohmann::json& body);
  // Any method with a body given as text (malformed JSON, say).
  HttpResponse Call(const std::string& method, const std::string& target,
                    std::optional<std::string> body = std::nullopt);

  // POSTs a contact, expecting 201; the created contact (null on failure,
  // after a test failure naming the response).
  nlohmann::json CreateContact(const nlohmann::json& body);

 private:
  int port_;
  std::string tenant_;
  std::string token_;
  std::unique_ptr<HttpConnection> connection_;
};

// "/v1/contacts/<id>" and "/v1/contacts/<id>/<rest>".
std::string ContactPath(const nlohmann::json& id, const std::string& rest = "");

}  // namespace contactd::testing
