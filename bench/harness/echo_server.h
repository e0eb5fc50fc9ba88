#pragma once
// EchoServer: the floor of a loopback round trip. One thread, one epoll
// loop, non-blocking sockets: whatever a connection sends is written back.
// No parsing and no work, so a client's round trip through it is the
// kernel's loopback TCP and two wake-ups — what no server can beat.
//
//   ASSIGN_OR_RETURN(auto server, EchoServer::Create("127.0.0.1", 0));
//   server->port();    // the bound port
//   server->Run();     // until Stop() (from another thread or a signal)

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "bench/harness/tcp_socket.h"

namespace contactd::bench {

class EchoServer {
 public:
  static absl::StatusOr<std::unique_ptr<EchoServer>> Create(
      const std::string& host, uint16_t port);

  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  uint16_t port() const { return port_; }
  // Serves until Stop(); then closes every connection.
  absl::Status Run();
  // Thread-safe (an eventfd write): Run returns soon after.
  void Stop();

 private:
  struct Connection;
  EchoServer(ScopedFd listener, ScopedFd epoll, ScopedFd wake, uint16_t port);
  void Accept();
  // False when the connection is done (closed by the peer or broken).
  bool Echo(Connection& c);

  ScopedFd listener_;
  ScopedFd epoll_;
  ScopedFd wake_;
  uint16_t port_;
  absl::flat_hash_map<Connection*, std::unique_ptr<Connection>> connections_;
};

}  // namespace contactd::bench
