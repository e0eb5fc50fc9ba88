#pragma once
// Small TCP helpers of the bench harness: an owning file descriptor, a
// non-blocking loopback connection with Nagle off, a listening socket.

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace contactd::bench {

// Owns a file descriptor; closes it on destruction.
class ScopedFd {
 public:
  ScopedFd() = default;
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() { Reset(); }
  ScopedFd(ScopedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ScopedFd& operator=(ScopedFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset();

 private:
  int fd_ = -1;
};

// "HOST:PORT" (IPv4 literal or "localhost") -> host, port.
absl::StatusOr<std::pair<std::string, uint16_t>> ParseHostPort(
    const std::string& address);

// Connects (blocking), then makes the socket non-blocking with TCP_NODELAY.
// Errors: Unavailable naming the address and errno.
absl::StatusOr<ScopedFd> ConnectTcp(const std::string& host, uint16_t port);

// A non-blocking listening socket; `port` 0: the kernel picks one (read it
// with LocalPort).
absl::StatusOr<ScopedFd> ListenTcp(const std::string& host, uint16_t port);
absl::StatusOr<uint16_t> LocalPort(int fd);

absl::Status SetNonBlocking(int fd);

}  // namespace contactd::bench
