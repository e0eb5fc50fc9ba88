#pragma once
// HttpSession: one connection of the HTTP port (HTTP/1.1 with keep-alive,
// Boost.Beast): read a request -> HttpApi -> write the response -> next.
//
// Limits (HttpLimits): headers and body are capped while they are parsed
// (413, then close); reading a request and writing a response each have a
// deadline (the connection closes); after max_requests_per_connection the
// response says Connection: close. A request that does not parse as HTTP
// gets 400 and the connection closes. A final response is followed by a
// half-close and a short drain of the input, so the client reads the
// response instead of a reset.
//
// Thread safety: every member runs on the connection's strand; Shutdown()
// and the Respond handed to HttpApi may be called from any thread.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <array>
#include <functional>
#include <memory>
#include <optional>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/parser.hpp"
#include "server/http/api_error.h"
#include "server/http/http_api.h"
#include "server/server_metrics.h"
#include "server/server_options.h"

namespace contactd::server::http {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  using OnClosed = std::function<void(HttpSession*)>;

  HttpSession(boost::asio::ip::tcp::socket socket, const HttpLimits& limits,
              const HttpApi& api, ServerMetrics& metrics, OnClosed on_closed);

  void Start();
  // Closes an idle connection now; a busy one after its response.
  void Shutdown();

 private:
  using WorkGuard =
      boost::asio::executor_work_guard<boost::asio::any_io_executor>;

  void ReadRequest();
  // Answers "Expect: 100-continue" before the body is read.
  void OnReadHeader(const boost::beast::error_code& ec);
  void ReadBody();
  void OnRead(const boost::beast::error_code& ec);
  void Dispatch();
  // Answers with `error` and closes (a request that cannot be served).
  void SendFinal(const ApiError& error);
  void Send(Response response);
  void OnWrite(const boost::beast::error_code& ec);
  void Linger();
  void DiscardInput();
  void Close();

  boost::beast::tcp_stream stream_;
  const HttpLimits& limits_;
  const HttpApi& api_;
  ServerMetrics& metrics_;
  OnClosed on_closed_;

  boost::beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  Response response_;  // the one being written
  // While a route computes the answer on another thread, nothing else
  // keeps the HTTP threads' io_context running.
  std::optional<WorkGuard> awaiting_answer_;
  std::array<char, 4096> discard_{};

  unsigned request_version_ = 11;
  bool request_keep_alive_ = false;
  size_t requests_ = 0;
  bool busy_ = false;  // from a request read until its response is written
  bool close_after_write_ = false;
  bool stopping_ = false;
  bool closed_ = false;
};

}  // namespace contactd::server::http
