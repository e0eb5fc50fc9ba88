#include "bench/harness/echo_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace contactd::bench {
namespace {
// epoll data of the Stop() eventfd (the listener's is null, a connection's
// its address).
constexpr uint64_t kWakeMarker = 1;
}  // namespace

struct EchoServer::Connection {
  ScopedFd fd;
  std::vector<char> buffer = std::vector<char>(64 << 10);
  size_t pending = 0;  // bytes read and not yet written back
  size_t written = 0;
  bool polling_out = false;
};

absl::StatusOr<std::unique_ptr<EchoServer>> EchoServer::Create(
    const std::string& host, uint16_t port) {
  absl::StatusOr<ScopedFd> listener = ListenTcp(host, port);
  if (!listener.ok()) return listener.status();
  absl::StatusOr<uint16_t> bound = LocalPort(listener->get());
  if (!bound.ok()) return bound.status();
  ScopedFd epoll(epoll_create1(EPOLL_CLOEXEC));
  ScopedFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!epoll.valid() || !wake.valid()) {
    return absl::InternalError(
        absl::StrCat("epoll/eventfd: ", std::strerror(errno)));
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the listener
  epoll_ctl(epoll.get(), EPOLL_CTL_ADD, listener->get(), &event);
  event.data.u64 = kWakeMarker;
  epoll_ctl(epoll.get(), EPOLL_CTL_ADD, wake.get(), &event);
  return std::unique_ptr<EchoServer>(new EchoServer(
      *std::move(listener), std::move(epoll), std::move(wake), *bound));
}

EchoServer::EchoServer(ScopedFd listener, ScopedFd epoll, ScopedFd wake,
                       uint16_t port)
    : listener_(std::move(listener)),
      epoll_(std::move(epoll)),
      wake_(std::move(wake)),
      port_(port) {}

EchoServer::~EchoServer() = default;

void EchoServer::Stop() {
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_.get(), &one, sizeof(one));
}

void EchoServer::Accept() {
  while (true) {
    const int fd = accept4(listener_.get(), nullptr, nullptr,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto c = std::make_unique<Connection>();
    c->fd = ScopedFd(fd);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = c.get();
    epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event);
    connections_.emplace(c.get(), std::move(c));
  }
}

bool EchoServer::Echo(Connection& c) {
  while (true) {
    if (c.pending > c.written) {
      const ssize_t n = send(c.fd.get(), c.buffer.data() + c.written,
                             c.pending - c.written, MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!c.polling_out) {
          epoll_event event{};
          event.events = EPOLLOUT;  // stop reading until this is sent
          event.data.ptr = &c;
          epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &event);
          c.polling_out = true;
        }
        return true;
      }
      if (n <= 0) return errno == EINTR;
      c.written += static_cast<size_t>(n);
      continue;
    }
    c.pending = c.written = 0;
    if (c.polling_out) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.ptr = &c;
      epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &event);
      c.polling_out = false;
    }
    const ssize_t n = recv(c.fd.get(), c.buffer.data(), c.buffer.size(), 0);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    c.pending = static_cast<size_t>(n);
  }
}

absl::Status EchoServer::Run() {
  epoll_event events[64];
  while (true) {
    const int n = epoll_wait(epoll_.get(), events, 64, -1);
    if (n < 0 && errno != EINTR) {
      return absl::InternalError(
          absl::StrCat("epoll_wait: ", std::strerror(errno)));
    }
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == kWakeMarker) {  // Stop()
        connections_.clear();
        return absl::OkStatus();
      }
      if (events[i].data.ptr == nullptr) {
        Accept();
        continue;
      }
      auto* c = static_cast<Connection*>(events[i].data.ptr);
      if (!Echo(*c)) {
        epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, c->fd.get(), nullptr);
        connections_.erase(c);
      }
    }
  }
}

}  // namespace contactd::bench
