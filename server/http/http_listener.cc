#include "server/http/http_listener.h"

#include <sstream>
#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"

#include "boost/asio/write.hpp"
#include "boost/beast/http/write.hpp"
#include "server/listen_socket.h"
#include "server/thread_priority.h"
#include "spdlog/spdlog.h"

namespace contactd::server::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// How long a stop waits for HTTP clients to take their last responses.
constexpr std::chrono::seconds kStopDeadline(10);

std::string TooManyConnectionsResponse() {
  Response response = ErrorResponse(MakeApiError(503, kReasonTooManyConnections,
                                                 "too many HTTP connections"));
  response.keep_alive(false);
  response.prepare_payload();
  std::ostringstream text;
  text << response;
  return text.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpListener>> HttpListener::Create(
    const ServerOptions& options, const HttpDependencies& dependencies) {
  std::unique_ptr<HttpListener> listener(
      new HttpListener(options, dependencies));
  if (absl::Status s = listener->Listen(); !s.ok()) return s;
  return listener;
}

HttpListener::HttpListener(const ServerOptions& options,
                           const HttpDependencies& dependencies)
    : options_(options),
      metrics_(*dependencies.metrics),
      api_(context_),
      acceptor_(asio::make_strand(io_)),
      stop_deadline_(io_) {
  context_.writer = dependencies.writer;
  context_.admin = dependencies.admin;
  context_.metrics = dependencies.metrics;
  context_.tokens = dependencies.tokens;
  context_.executor = io_.get_executor();
}

HttpListener::~HttpListener() {
  Stop();
  Join();
}

absl::Status HttpListener::Listen() {
  if (absl::Status s = OpenListener(acceptor_, options_.http_listen); !s.ok()) {
    return s;
  }
  port_ = acceptor_.local_endpoint().port();
  return absl::OkStatus();
}

std::string HttpListener::address() const {
  return absl::StrCat(acceptor_.local_endpoint().address().to_string(), ":",
                      port_);
}

void HttpListener::Start() {
  asio::post(acceptor_.get_executor(), [this] { Accept(); });
  for (int i = 0; i < options_.http_threads; ++i) {
    threads_.emplace_back([this] {
      SetThisThreadNice(kHttpNice);
      io_.run();
    });
  }
}

void HttpListener::MarkReady(snapshot::Database* database) {
  context_.database.store(database);
}

void HttpListener::Accept() {
  acceptor_.async_accept(asio::make_strand(io_),
                         [this](const error_code& ec, tcp::socket socket) {
                           if (ec == asio::error::operation_aborted) return;
                           if (!ec) OnAccepted(std::move(socket));
                           if (acceptor_.is_open()) Accept();
                         });
}

void HttpListener::OnAccepted(tcp::socket socket) {
  Increment(metrics_.http_connections_accepted);
  std::lock_guard lock(mu_);
  if (stopping_) return;
  if (sessions_.size() >= options_.http_limits.max_connections) {
    Increment(metrics_.http_connections_rejected);
    return RefuseConnection(std::move(socket));
  }
  auto session = std::make_shared<HttpSession>(
      std::move(socket), options_.http_limits, api_, metrics_,
      [this](HttpSession* closed) { OnSessionClosed(closed); });
  sessions_.emplace(session.get(), session);
  metrics_.http_connections_active.store(sessions_.size(),
                                         std::memory_order_relaxed);
  session->Start();
}

void HttpListener::RefuseConnection(tcp::socket socket) {
  static const std::string kResponse = TooManyConnectionsResponse();
  auto shared = std::make_shared<tcp::socket>(std::move(socket));
  asio::async_write(*shared, asio::buffer(kResponse),
                    [shared](const error_code&, size_t) {
                      error_code ignored;
                      shared->shutdown(tcp::socket::shutdown_both, ignored);
                    });
}

void HttpListener::OnSessionClosed(HttpSession* session) {
  std::lock_guard lock(mu_);
  sessions_.erase(session);
  metrics_.http_connections_active.store(sessions_.size(),
                                         std::memory_order_relaxed);
  if (stopping_ && sessions_.empty()) stop_deadline_.cancel();
}

void HttpListener::Stop() {
  asio::post(acceptor_.get_executor(), [this] { BeginStop(); });
}

void HttpListener::BeginStop() {
  error_code ignored;
  acceptor_.close(ignored);
  std::vector<std::shared_ptr<HttpSession>> open;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) open.push_back(session);
    }
    if (sessions_.empty()) return;
    stop_deadline_.expires_after(kStopDeadline);
    stop_deadline_.async_wait([this](const error_code& ec) {
      if (ec) return;  // every session finished in time
      spdlog::warn(
          "HTTP stop deadline passed; closing the remaining "
          "connections");
      io_.stop();
    });
  }
  for (auto& session : open) session->Shutdown();
}

void HttpListener::Join() {
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace contactd::server::http
