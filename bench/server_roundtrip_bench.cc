// The binary server's own cost, seen from a client: round trips over a
// loopback TCP connection to an in-process contactd, next to the same round
// trip against a minimal echo server on the same kind of socket.
//
//   BM_EchoRoundTrip            16-byte frame out, the same bytes back: the
//                               floor (loopback TCP, two thread wake-ups)
//   BM_ServerPing               PING: framing, dispatch, the batched write
//   BM_ServerLookupSummary      LOOKUP_PHONE, summary answer (hot path)
//   BM_ServerLookupFull         LOOKUP_PHONE, full contact
//   BM_ServerPipelinedLookups   64 lookups per write, replies read back:
//                               time per lookup when a client pipelines
//   BM_ServerLookupSummaryUnderHttpLoad
//                               BM_ServerLookupSummary while another thread
//                               sends HTTP lookups back to back on the HTTP
//                               port: what REST traffic costs the hot path
//
// One connection, one request at a time (except the pipelined one); each
// round trip is timed alone and p50/p99 are reported as counters (us).
// The server runs with one I/O thread; the echo server is one thread too.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "protocol/contact_messages.h"
#include "protocol/frame.h"
#include "protocol/lookup_messages.h"
#include "server/server.h"
#include "spdlog/spdlog.h"

namespace contactd::bench {
namespace {

using Clock = std::chrono::steady_clock;

const index::Uuid kTenant =
    *index::Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890ab");

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address))) {
    close(fd);
    return -1;
  }
  return fd;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Reads `frames` whole frames into `buffer`; false on EOF or error.
bool ReadFrames(int fd, std::string& buffer, int frames) {
  buffer.clear();
  size_t offset = 0;
  char chunk[64 << 10];
  while (frames > 0) {
    const auto* data = reinterpret_cast<const uint8_t*>(buffer.data());
    const auto d =
        protocol::DecodeFrame({data + offset, buffer.size() - offset});
    if (d.result == protocol::DecodeResult::kFrame) {
      offset += d.consumed;
      --frames;
      continue;
    }
    if (d.result == protocol::DecodeResult::kError) return false;
    const ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

// A one-thread echo server: whatever arrives goes straight back.
class EchoServer {
 public:
  EchoServer() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(listener_, 1);
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~EchoServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  void Serve() {
    const int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    char buffer[64 << 10];
    for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) {
      if (!WriteAll(fd, buffer, static_cast<size_t>(n))) break;
    }
    close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// contactd in this process with one stored contact.
class InProcessServer {
 public:
  InProcessServer() {
    spdlog::set_level(spdlog::level::warn);
    server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.http_listen = "127.0.0.1:0";
    options.data_dir =
        (std::filesystem::temp_directory_path() / "contactd_bench").string();
    options.threads = 1;
    server_ = *server::Server::Create(options);
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~InProcessServer() {
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  int http_port() const { return server_->http_port(); }

 private:
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
};

std::string Frame(protocol::Opcode opcode, uint32_t id,
                  const std::string& body) {
  std::string frame;
  const size_t start = protocol::BeginFrame(frame, opcode, id);
  frame += body;
  protocol::EndFrame(frame, start);
  return frame;
}

std::string LookupFrame(uint8_t flags, uint32_t id) {
  std::string body;
  protocol::EncodeLookupRequest(body, {flags, kTenant, "+15551234567", ""});
  return Frame(protocol::Opcode::kLookupPhone, id, body);
}

void StoreOneContact(int fd) {
  index::Contact contact;
  contact.customer_id = kTenant;
  contact.first_name = "Ada";
  contact.last_name = "Lovelace";
  contact.display_name = "Ada Lovelace";
  contact.company = "Analytical Engines Ltd";
  contact.tags = {"vip", "emea"};
  contact.phone_numbers = {{.number = "+15551234567", .is_primary = true},
                           {.number = "+15557654321"}};
  contact.emails = {{.address = "ada@example.com"}};
  std::string body;
  protocol::EncodeUpsertRequest(body, {.contact = contact});
  const std::string frame = Frame(protocol::Opcode::kUpsert, 1, body);
  std::string reply;
  WriteAll(fd, frame.data(), frame.size());
  ReadFrames(fd, reply, 1);
}

// Times `frames_per_write` frames out and their replies back, per iteration.
void RoundTrips(benchmark::State& state, int fd, const std::string& frame,
                int frames_per_write) {
  std::string batch;
  for (int i = 0; i < frames_per_write; ++i) batch += frame;
  std::string reply;
  std::vector<double> us;
  for (auto _ : state) {
    const auto start = Clock::now();
    if (!WriteAll(fd, batch.data(), batch.size()) ||
        !ReadFrames(fd, reply, frames_per_write)) {
      state.SkipWithError("connection lost");
      break;
    }
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start)
                     .count());
  }
  if (us.empty()) return;
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
  state.counters["us_per_request"] =
      us[us.size() / 2] / static_cast<double>(frames_per_write);
  state.SetItemsProcessed(state.iterations() * frames_per_write);
}

void BM_EchoRoundTrip(benchmark::State& state) {
  EchoServer echo;
  const int fd = Connect(echo.port());
  RoundTrips(state, fd, Frame(protocol::Opcode::kPing, 1, ""), 1);
  close(fd);
}
BENCHMARK(BM_EchoRoundTrip)->UseRealTime();

void ServerRoundTrips(benchmark::State& state, const std::string& frame,
                      int frames_per_write) {
  InProcessServer server;
  const int fd = Connect(server.port());
  StoreOneContact(fd);
  RoundTrips(state, fd, frame, frames_per_write);
  close(fd);
}

void BM_ServerPing(benchmark::State& state) {
  ServerRoundTrips(state, Frame(protocol::Opcode::kPing, 1, ""), 1);
}
BENCHMARK(BM_ServerPing)->UseRealTime();

void BM_ServerLookupSummary(benchmark::State& state) {
  ServerRoundTrips(state, LookupFrame(protocol::kLookupSummary, 2), 1);
}
BENCHMARK(BM_ServerLookupSummary)->UseRealTime();

void BM_ServerLookupFull(benchmark::State& state) {
  ServerRoundTrips(state, LookupFrame(0, 3), 1);
}
BENCHMARK(BM_ServerLookupFull)->UseRealTime();

// Sends HTTP lookups of the stored contact back to back on a keep-alive
// connection (a new one when the server closes it at its keep-alive cap)
// until destroyed; counts the responses.
class HttpLoad {
 public:
  explicit HttpLoad(int http_port) : port_(http_port) {
    thread_ = std::thread([this] {
      while (!stop_) {
        const int fd = Connect(port_);
        if (fd < 0) return;
        SendUntilClosed(fd);
        close(fd);
      }
    });
  }
  ~HttpLoad() {
    stop_ = true;
    thread_.join();
  }
  uint64_t responses() const { return responses_; }

 private:
  void SendUntilClosed(int fd) {
    const std::string request =
        "GET /v1/contacts/lookup?phone=%2B15551234567 HTTP/1.1\r\n"
        "Host: bench\r\nX-Customer-Id: " +
        kTenant.ToString() + "\r\n\r\n";
    std::string buffer;
    char chunk[16 << 10];
    while (!stop_) {
      if (!WriteAll(fd, request.data(), request.size())) return;
      // One response: headers, then Content-Length bytes of body.
      size_t end = std::string::npos, length = 0;
      while (end == std::string::npos || buffer.size() < end + 4 + length) {
        const ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
        if (end == std::string::npos &&
            (end = buffer.find("\r\n\r\n")) != std::string::npos) {
          const size_t at = buffer.find("Content-Length: ");
          length = std::stoul(buffer.substr(at + 16));
        }
      }
      buffer.erase(0, end + 4 + length);
      ++responses_;
    }
  }

  const int port_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> responses_{0};
  std::thread thread_;
};

void BM_ServerLookupSummaryUnderHttpLoad(benchmark::State& state) {
  InProcessServer server;
  const int fd = Connect(server.port());
  StoreOneContact(fd);
  {
    HttpLoad load(server.http_port());
    RoundTrips(state, fd, LookupFrame(protocol::kLookupSummary, 2), 1);
    state.counters["http_lookups"] = static_cast<double>(load.responses());
  }
  close(fd);
}
BENCHMARK(BM_ServerLookupSummaryUnderHttpLoad)->UseRealTime();

void BM_ServerPipelinedLookups(benchmark::State& state) {
  ServerRoundTrips(state, LookupFrame(protocol::kLookupSummary, 4), 64);
}
BENCHMARK(BM_ServerPipelinedLookups)->UseRealTime();

}  // namespace
}  // namespace contactd::bench

BENCHMARK_MAIN();
