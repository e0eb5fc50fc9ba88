#pragma once
// HttpListener: contactd's HTTP port (--http-listen): its own io_context
// and threads (at a lower priority than the binary I/O threads, so REST
// and admin traffic cannot delay lookups), the acceptor, and the sessions.
//
// It opens before recovery starts, so /healthz answers at once and /readyz
// says 503 until MarkReady(database); every other route answers 503
// NOT_READY until then.
//
//   auto http = HttpListener::Create(options, {&writer, &admin, &metrics,
//                                              tokens});
//   (*http)->Start();                 // threads
//   ... recover ...
//   (*http)->MarkReady(database);
//   (*http)->Stop();                  // stop accepting, answer, close
//   (*http)->Join();
//
// Thread safety: every method from any thread; Join once.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "server/http/api_context.h"
#include "server/http/http_api.h"
#include "server/http/http_session.h"
#include "server/server_options.h"

namespace contactd::server::http {

struct HttpDependencies {
  WriteExecutor* writer = nullptr;
  WriteExecutor* admin = nullptr;
  ServerMetrics* metrics = nullptr;
  const TokenTable* tokens = nullptr;  // nullptr: no auth (loopback only)
};

class HttpListener {
 public:
  // Binds options.http_listen (the caller has checked its exposure:
  // listen_socket.h).
  static absl::StatusOr<std::unique_ptr<HttpListener>> Create(
      const ServerOptions& options, const HttpDependencies& dependencies);
  ~HttpListener();  // Stop() + Join()

  unsigned short port() const { return port_; }
  std::string address() const;

  void Start();
  void MarkReady(snapshot::Database* database);
  // Stops accepting, closes idle connections, lets busy ones answer (up to
  // a deadline). Idempotent.
  void Stop();
  // Waits for the threads to finish after Stop().
  void Join();

 private:
  HttpListener(const ServerOptions& options,
               const HttpDependencies& dependencies);
  absl::Status Listen();
  void Accept();
  void OnAccepted(boost::asio::ip::tcp::socket socket);
  void RefuseConnection(boost::asio::ip::tcp::socket socket);
  void OnSessionClosed(HttpSession* session);
  void BeginStop();

  const ServerOptions options_;
  ServerMetrics& metrics_;
  boost::asio::io_context io_;
  ApiContext context_;
  HttpApi api_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer stop_deadline_;
  unsigned short port_ = 0;
  std::vector<std::thread> threads_;

  std::mutex mu_;  // not absl::Mutex: see write_executor.h
  absl::flat_hash_map<HttpSession*, std::weak_ptr<HttpSession>> sessions_
      ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace contactd::server::http
