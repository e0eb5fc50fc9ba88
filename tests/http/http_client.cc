#include "tests/http/http_client.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"

namespace contactd::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using beast::error_code;

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key,
                               absl::string_view(name.data(), name.size()))) {
      return value;
    }
  }
  return "";
}

nlohmann::json HttpResponse::Json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

std::string HttpResponse::ErrorReason() const {
  const nlohmann::json json = Json();
  if (!json.is_object() || !json.contains("error") ||
      !json["error"].is_object() || !json["error"].contains("reason") ||
      !json["error"]["reason"].is_string()) {
    return "";
  }
  return json["error"]["reason"].get<std::string>();
}

std::string Describe(const HttpResponse& response) {
  if (response.status == 0) {
    return absl::StrCat("no response: ", response.transport_error);
  }
  return absl::StrCat(response.status, " ", response.body);
}

HttpConnection::HttpConnection(int port, std::chrono::milliseconds timeout)
    : timeout_(timeout), stream_(io_) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(port));
  error_code result = asio::error::would_block;
  stream_.expires_after(timeout_);
  stream_.async_connect(endpoint, [&](const error_code& ec) { result = ec; });
  Run();
  connected_ = !result;
}

void HttpConnection::Run() {
  io_.restart();
  io_.run();
}

HttpResponse HttpConnection::Send(const HttpRequest& request) {
  http::request<http::string_body> message;
  message.version(11);
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    message.method_string(request.method);
  } else {
    message.method(verb);
  }
  message.target(request.target);
  message.set(http::field::host, "127.0.0.1");
  if (request.body) {
    message.body() = *request.body;
    message.prepare_payload();
  }
  for (const auto& [name, value] : request.headers) message.set(name, value);

  error_code result = asio::error::would_block;
  stream_.expires_after(timeout_);
  http::async_write(stream_, message,
                    [&](const error_code& ec, size_t) { result = ec; });
  Run();
  if (result) {
    HttpResponse failed;
    failed.transport_error = "write: " + result.message();
    return failed;
  }
  return ReadResponse();
}

bool HttpConnection::SendRaw(std::string_view bytes) {
  error_code result = asio::error::would_block;
  stream_.expires_after(timeout_);
  asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()),
                    [&](const error_code& ec, size_t) { result = ec; });
  Run();
  return !result;
}

HttpResponse HttpConnection::ReadResponse() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  error_code result = asio::error::would_block;
  stream_.expires_after(timeout_);
  http::async_read(stream_, buffer_, parser,
                   [&](const error_code& ec, size_t) { result = ec; });
  Run();
  HttpResponse response;
  if (result) {
    response.transport_error = "read: " + result.message();
    return response;
  }
  const auto& message = parser.get();
  response.status = message.result_int();
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()),
                                  std::string(field.value()));
  }
  response.body = message.body();
  response.keep_alive = message.keep_alive();
  return response;
}

bool HttpConnection::WaitForClose(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  buffer_.clear();
  std::array<char, 4096> discard;
  while (true) {
    error_code result = asio::error::would_block;
    stream_.expires_at(deadline);
    stream_.async_read_some(asio::buffer(discard),
                            [&](const error_code& ec, size_t) { result = ec; });
    Run();
    if (result == beast::error::timeout) return false;
    if (result) return true;  // end of stream, or a reset
  }
}

}  // namespace contactd::testing
