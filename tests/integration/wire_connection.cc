#include "tests/integration/wire_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace contactd::testing {

using Clock = std::chrono::steady_clock;

protocol::ReplyPrefix ReceivedFrame::prefix() const {
  protocol::ReplyPrefix prefix;
  prefix.status = protocol::WireStatus::kInternal;
  protocol::DecodeReplyPrefix(bytes(), prefix).IgnoreError();
  return prefix;
}

WireConnection::WireConnection(int port, int receive_buffer) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  if (receive_buffer > 0) {
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
               sizeof(receive_buffer));
  }
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd_);
    fd_ = -1;
  }
}

WireConnection::~WireConnection() {
  if (fd_ >= 0) close(fd_);
}

bool WireConnection::SendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

size_t WireConnection::SendWithoutBlocking(std::string_view bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent,
                           MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  return sent;
}

bool WireConnection::Send(protocol::Opcode opcode, uint32_t request_id,
                          std::string_view body) {
  std::string frame;
  const size_t start = protocol::BeginFrame(frame, opcode, request_id);
  frame.append(body);
  protocol::EndFrame(frame, start);
  return SendRaw(frame);
}

bool WireConnection::Fill(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - Clock::now());
  if (left.count() <= 0) return false;
  pollfd pfd{fd_, POLLIN, 0};
  if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[64 << 10];
  const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<ReceivedFrame> WireConnection::Receive(
    std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto* data = reinterpret_cast<const uint8_t*>(buffer_.data());
    const protocol::FrameDecode d =
        protocol::DecodeFrame({data, buffer_.size()});
    if (d.result == protocol::DecodeResult::kError) return std::nullopt;
    if (d.result == protocol::DecodeResult::kFrame) {
      ReceivedFrame frame{d.header, std::string(d.body.begin(), d.body.end())};
      buffer_.erase(0, d.consumed);
      return frame;
    }
    if (!Fill(deadline)) return std::nullopt;
  }
}

std::optional<ReceivedFrame> WireConnection::Call(protocol::Opcode opcode,
                                                  uint32_t request_id,
                                                  std::string_view body) {
  if (!Send(opcode, request_id, body)) return std::nullopt;
  return Receive();
}

bool WireConnection::WaitForClose(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd pfd{fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (poll(&pfd, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <=
        0) {
      return false;
    }
    char chunk[64 << 10];
    if (recv(fd_, chunk, sizeof(chunk), 0) <= 0) return true;
  }
  return false;
}

}  // namespace contactd::testing
