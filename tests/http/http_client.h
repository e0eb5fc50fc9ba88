#pragma once
// HttpConnection: one keep-alive HTTP/1.1 connection to a test server,
// synchronous, every operation under a deadline (a hung server fails the
// test instead of hanging it). Besides well-formed requests it sends raw
// bytes, for malformed-HTTP tests, and tells when the server closed the
// connection.
//
//   HttpConnection c(server->http_port());
//   HttpResponse r = c.Send({.method = "GET", .target = "/healthz"});
//   EXPECT_EQ(r.status, 200);
//   c.SendRaw("GARBAGE\r\n\r\n");
//   EXPECT_TRUE(c.WaitForClose(5s));
//
// A transport failure (refused, reset, timeout, unparsable response) is a
// response with status 0 and the error in `transport_error`.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "boost/asio/io_context.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "nlohmann/json.hpp"

namespace contactd::testing {

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;  // nullopt: no body, no Content-Length
};

struct HttpResponse {
  unsigned status = 0;  // 0: no response (see transport_error)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = false;
  std::string transport_error;

  // The value of header `name` (case-insensitive); "" when absent.
  std::string Header(std::string_view name) const;
  // The body as JSON; a discarded value when it is not JSON.
  nlohmann::json Json() const;
  // error.reason of an error body, or "" when there is none.
  std::string ErrorReason() const;
};

// For failure messages: "404 {...body...}".
std::string Describe(const HttpResponse& response);

class HttpConnection {
 public:
  static constexpr std::chrono::seconds kDefaultTimeout{20};

  // Connects to 127.0.0.1:port; connected() says whether it worked.
  explicit HttpConnection(int port,
                          std::chrono::milliseconds timeout = kDefaultTimeout);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return connected_; }

  // Writes `request` (with Host and, for a body, Content-Length) and reads
  // the response.
  HttpResponse Send(const HttpRequest& request);
  // Writes `bytes` as they are; false when the write failed.
  bool SendRaw(std::string_view bytes);
  // Reads one response (after SendRaw).
  HttpResponse ReadResponse();
  // True when the server closes (or resets) the connection within
  // `timeout`; bytes it sends meanwhile are discarded.
  bool WaitForClose(std::chrono::milliseconds timeout);

 private:
  // Runs the queued asynchronous operation to completion.
  void Run();

  std::chrono::milliseconds timeout_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
};

}  // namespace contactd::testing
