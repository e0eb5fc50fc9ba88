#pragma once
// Server: owns the contact store and the binary listener and runs the I/O
// threads until Stop() (or SIGTERM/SIGINT in main).
//
// At this stage the binary port accepts connections and closes them: the
// wire protocol arrives with the protocol issue (docs/architecture.md).

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <memory>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "index/contact_store.h"
#include "server/server_options.h"

namespace contactd::server {

class Server {
 public:
  // Prepares the data directory, the store and the listening socket.
  static absl::StatusOr<std::unique_ptr<Server>> Create(
      const ServerOptions& options);

  // The bound binary port (useful with --listen HOST:0).
  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  // Runs the I/O threads; returns after Stop().
  void Run();
  // Stops accepting and lets Run() return. Safe from any thread.
  void Stop();

 private:
  Server(const ServerOptions& options,
         std::unique_ptr<index::ContactStore> store);
  void Accept();

  ServerOptions options_;
  std::unique_ptr<index::ContactStore> store_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace contactd::server
