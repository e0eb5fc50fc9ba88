#pragma once
// Server: owns the database (store + WAL + snapshots), the writer and admin
// threads, the binary listener and the HTTP port, and runs the binary I/O
// threads until Stop() (SIGTERM/SIGINT in main).
//
// Start-up order: the HTTP port opens first, so /healthz answers and
// /readyz says 503 while recovery runs; then the data directory is
// recovered; then the binary listener opens and /readyz turns 200. So the
// binary port answers only once the data directory is fully loaded.
//
// Start-up refuses a listener on a non-loopback address without a tokens
// file unless --insecure. Stop() is graceful: stop accepting, let every
// connection answer what it has read, drain the writer, then return from
// Run() (or after a deadline, if a client never lets its replies drain).

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "server/connection.h"
#include "server/http/http_listener.h"
#include "server/io_context_pool.h"
#include "server/request_handler.h"
#include "server/server_metrics.h"
#include "server/server_options.h"
#include "server/write_executor.h"
#include "snapshot/database.h"

namespace contactd::server {

class Server {
 public:
  // Recovers the data directory, loads the tokens, opens the socket.
  static absl::StatusOr<std::unique_ptr<Server>> Create(
      const ServerOptions& options);
  ~Server();

  // The bound ports (useful with HOST:0).
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  unsigned short http_port() const { return http_->port(); }
  const ServerMetrics& metrics() const { return metrics_; }
  snapshot::Database& database() { return *database_; }

  // Runs the I/O threads; returns after Stop() has drained.
  void Run();
  // Graceful stop. Safe from any thread, also before Run().
  void Stop();

 private:
  Server(const ServerOptions& options, std::optional<TokenTable> tokens);
  absl::Status StartHttp();
  absl::Status Recover();
  absl::Status Listen();
  void Accept();
  void OnAccepted(boost::asio::ip::tcp::socket socket);
  void OnConnectionClosed(Connection* connection);
  void BeginStop();
  void FinishStopIfDrained();

  ServerOptions options_;
  std::unique_ptr<snapshot::Database> database_;
  std::optional<TokenTable> tokens_;
  ServerMetrics metrics_;
  WriteExecutor writer_;
  WriteExecutor admin_;  // checkpoints and reloads, one at a time
  std::unique_ptr<http::HttpListener> http_;
  std::unique_ptr<RequestHandler> handler_;  // once recovered
  ConnectionContext connection_context_;

  IoContextPool io_;  // the binary I/O threads
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer stop_deadline_;

  std::mutex mu_;  // not absl::Mutex: see write_executor.h
  absl::flat_hash_map<Connection*, std::weak_ptr<Connection>> connections_
      ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace contactd::server
