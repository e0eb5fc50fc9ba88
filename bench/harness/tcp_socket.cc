#include "bench/harness/tcp_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace contactd::bench {
namespace {

absl::Status Errno(std::string_view what, const std::string& host,
                   uint16_t port) {
  return absl::UnavailableError(
      absl::StrCat(absl::string_view(what.data(), what.size()), " ", host, ":",
                   port, ": ", std::strerror(errno)));
}

absl::StatusOr<sockaddr_in> Resolve(const std::string& host, uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  const std::string ip = host == "localhost" ? "127.0.0.1" : host;
  if (inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an IPv4 address: '", host, "'"));
  }
  return address;
}

}  // namespace

void ScopedFd::Reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

absl::StatusOr<std::pair<std::string, uint16_t>> ParseHostPort(
    const std::string& address) {
  const size_t colon = address.rfind(':');
  unsigned port = 0;
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected HOST:PORT, got '", address, "'"));
  }
  const char* begin = address.data() + colon + 1;
  const char* end = address.data() + address.size();
  const auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad port in '", address, "'"));
  }
  return std::make_pair(address.substr(0, colon), static_cast<uint16_t>(port));
}

absl::Status SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return absl::InternalError(
        absl::StrCat("fcntl(O_NONBLOCK): ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ScopedFd> ConnectTcp(const std::string& host, uint16_t port) {
  absl::StatusOr<sockaddr_in> address = Resolve(host, port);
  if (!address.ok()) return address.status();
  ScopedFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket for", host, port);
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&*address),
              sizeof(*address)) != 0) {
    return Errno("connect to", host, port);
  }
  const int one = 1;
  setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (absl::Status s = SetNonBlocking(fd.get()); !s.ok()) return s;
  return fd;
}

absl::StatusOr<ScopedFd> ListenTcp(const std::string& host, uint16_t port) {
  absl::StatusOr<sockaddr_in> address = Resolve(host, port);
  if (!address.ok()) return address.status();
  ScopedFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket for", host, port);
  const int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&*address),
           sizeof(*address)) != 0) {
    return Errno("bind", host, port);
  }
  if (listen(fd.get(), 1024) != 0) return Errno("listen on", host, port);
  if (absl::Status s = SetNonBlocking(fd.get()); !s.ok()) return s;
  return fd;
}

absl::StatusOr<uint16_t> LocalPort(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return absl::InternalError(
        absl::StrCat("getsockname: ", std::strerror(errno)));
  }
  return ntohs(address.sin_port);
}

}  // namespace contactd::bench
