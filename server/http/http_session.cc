#include "server/http/http_session.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/string.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "spdlog/spdlog.h"

namespace contactd::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using beast::error_code;
using tcp = asio::ip::tcp;

namespace {

// How long a final response waits for the client to close its side.
constexpr std::chrono::seconds kLinger(2);

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

bool IsHttpSyntaxError(const error_code& ec) {
  return ec.category() ==
         beast_http::make_error_code(beast_http::error::bad_method).category();
}

}  // namespace

HttpSession::HttpSession(tcp::socket socket, const HttpLimits& limits,
                         const HttpApi& api, ServerMetrics& metrics,
                         OnClosed on_closed)
    : stream_(std::move(socket)),
      limits_(limits),
      api_(api),
      metrics_(metrics),
      on_closed_(std::move(on_closed)) {}

void HttpSession::Start() {
  asio::post(stream_.get_executor(),
             [self = shared_from_this()] { self->ReadRequest(); });
}

void HttpSession::Shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (!self->busy_) self->Close();
  });
}

void HttpSession::ReadRequest() {
  parser_.emplace();
  parser_->header_limit(limits_.max_header_bytes);
  parser_->body_limit(limits_.max_body_bytes);
  stream_.expires_after(ToChrono(limits_.request_timeout));
  beast_http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->OnReadHeader(ec);
      });
}

void HttpSession::OnReadHeader(const error_code& ec) {
  if (closed_) return;
  if (ec) return OnRead(ec);  // a Content-Length over the limit ends here
  const auto expect = parser_->get()[beast_http::field::expect];
  if (!beast::iequals(expect, "100-continue")) return ReadBody();
  // The client (curl, for bodies over 1 KiB) waits for this before it
  // sends the body.
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  asio::async_write(
      stream_, asio::buffer(kContinue.data(), kContinue.size()),
      [self = shared_from_this()](const error_code& write_error, size_t) {
        if (write_error) return self->Close();
        self->ReadBody();
      });
}

void HttpSession::ReadBody() {
  beast_http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->OnRead(ec);
      });
}

void HttpSession::OnRead(const error_code& ec) {
  if (closed_) return;
  if (!ec) return Dispatch();
  if (ec == beast::error::timeout) {
    // tcp_stream has closed the socket: nothing can be answered.
    Increment(metrics_.http_timeouts);
    return Close();
  }
  if (ec == beast_http::error::body_limit) {
    return SendFinal(
        MakeApiError(413, kReasonBodyTooLarge,
                     absl::StrCat("the body is larger than ",
                                  limits_.max_body_bytes, " bytes")));
  }
  if (ec == beast_http::error::header_limit) {
    return SendFinal(MakeApiError(
        413, kReasonHeadersTooLarge,
        absl::StrCat("the request line and headers are larger than ",
                     limits_.max_header_bytes, " bytes")));
  }
  if (IsHttpSyntaxError(ec) && ec != beast_http::error::end_of_stream &&
      ec != beast_http::error::partial_message) {
    return SendFinal(
        MakeApiError(400, kReasonMalformedRequest,
                     absl::StrCat("not HTTP/1.1: ", ec.message())));
  }
  Close();  // the client closed or reset the connection
}

void HttpSession::Dispatch() {
  ++requests_;
  Increment(metrics_.http_requests);
  Request request = parser_->release();
  request_version_ = request.version();
  request_keep_alive_ = request.keep_alive();
  busy_ = true;
  awaiting_answer_.emplace(stream_.get_executor());
  api_.Handle(std::move(request),
              [self = shared_from_this()](Response response) mutable {
                asio::post(self->stream_.get_executor(),
                           [self, response = std::move(response)]() mutable {
                             self->Send(std::move(response));
                           });
              });
}

void HttpSession::SendFinal(const ApiError& error) {
  busy_ = true;
  close_after_write_ = true;
  if (parser_ && parser_->is_header_done()) {
    request_version_ = parser_->get().version();
  }
  Send(ErrorResponse(error));
}

void HttpSession::Send(Response response) {
  awaiting_answer_.reset();
  if (closed_) return;
  close_after_write_ = close_after_write_ || stopping_ ||
                       !request_keep_alive_ ||
                       requests_ >= limits_.max_requests_per_connection;
  metrics_.CountHttpResponse(response.result_int());
  response_ = std::move(response);
  response_.version(request_version_);
  response_.keep_alive(!close_after_write_);
  response_.prepare_payload();
  stream_.expires_after(ToChrono(limits_.request_timeout));
  beast_http::async_write(
      stream_, response_,
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->OnWrite(ec);
      });
}

void HttpSession::OnWrite(const error_code& ec) {
  busy_ = false;
  response_ = {};
  if (ec) return Close();
  if (close_after_write_) return Linger();
  if (stopping_) return Close();
  ReadRequest();
}

void HttpSession::Linger() {
  error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kLinger);
  DiscardInput();
}

void HttpSession::DiscardInput() {
  stream_.async_read_some(
      asio::buffer(discard_),
      [self = shared_from_this()](const error_code& ec, size_t) {
        if (ec || self->closed_) return self->Close();
        self->DiscardInput();
      });
}

void HttpSession::Close() {
  if (closed_) return;
  closed_ = true;
  awaiting_answer_.reset();
  error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  if (on_closed_) on_closed_(this);
}

}  // namespace contactd::server::http
