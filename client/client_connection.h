#pragma once
// ClientConnection: the transport under Client (internal; use client.h).
//
// It owns one I/O thread that runs all socket work, and at most one TCP
// connection to the server. Submit() queues a request frame from any thread;
// the I/O thread connects when needed (resolve, connect, HELLO), writes the
// queued frames in batches, reads replies and hands each reply body to the
// callback of the request with the same request id. Many requests may be in
// flight at once (pipelining).
//
// Failure contract (every submitted request gets exactly one callback):
//   - connect failure or timeout: every waiting request fails UNAVAILABLE;
//   - HELLO refused: every waiting request fails with the server's status
//     (e.g. UNAUTHENTICATED) and the connection closes;
//   - connection broken (EOF, reset, malformed frame from the server):
//     every request in flight fails UNAVAILABLE; the next Submit reconnects
//     and sends HELLO again;
//   - no reply within request_timeout: that request fails DEADLINE_EXCEEDED
//     (a late reply is dropped); the connection stays open, except when
//     the HELLO itself times out;
//   - destruction: whatever is left fails CANCELLED.
//
// Thread safety: Submit(), connected() and hello() may be called from any
// thread. Callbacks run on the I/O thread, one at a time, in reply order;
// they must not block (in particular must not wait for another reply of the
// same client). REQUIRES: no Submit() races with the destructor.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "client/client_options.h"
#include "client/server_address.h"
#include "protocol/frame.h"
#include "protocol/hello_messages.h"

namespace contactd::client {

// Receives the reply body (status prefix included), valid only during the
// call, or the transport error.
using RawCallback =
    absl::AnyInvocable<void(absl::StatusOr<std::span<const uint8_t>>)>;

class ClientConnection {
 public:
  ClientConnection(ClientOptions options, ServerAddress address);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  // Queues a request with body `body` (no frame header). Never blocks on
  // the network.
  void Submit(protocol::Opcode opcode, std::string_view body, RawCallback done);

  // Whether a connection is established and its HELLO accepted.
  bool connected() const { return connected_.load(); }
  // The last accepted HELLO reply (nullopt before the first).
  std::optional<protocol::HelloReply> hello() const;
  // Whether the caller is the I/O thread (a callback).
  bool OnIoThread() const {
    return std::this_thread::get_id() == thread_.get_id();
  }

 private:
  struct Call {
    protocol::Opcode opcode;
    RawCallback done;
  };
  struct Submitted {
    uint32_t request_id;
    protocol::Opcode opcode;
    std::string frame;
    RawCallback done;
  };
  enum class State { kIdle, kConnecting, kHello, kReady };

  // ---- I/O thread only.
  void Drain();
  void Enqueue(Submitted s);
  void StartConnect();
  void OnResolved(const boost::system::error_code& ec,
                  boost::asio::ip::tcp::resolver::results_type results);
  void OnConnected(const boost::system::error_code& ec);
  void SendHello();
  void OnHelloReply(absl::StatusOr<std::span<const uint8_t>> body);
  void Write();
  void StartWrite();
  void OnWrite(const boost::system::error_code& ec);
  void Read();
  void OnRead(const boost::system::error_code& ec, size_t bytes);
  // Dispatches one reply; may fail the connection (bumps generation_).
  void HandleFrame(const protocol::FrameDecode& frame);
  void ArmDeadlineTimer();
  void ExpireCalls();
  // Closes the socket and fails every pending call with `status`.
  void Fail(const absl::Status& status);
  void Shutdown();

  const ClientOptions options_;
  const ServerAddress address_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
      work_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer deadline_timer_;

  State state_ = State::kIdle;
  uint64_t generation_ = 0;  // bumped per connection; stale handlers exit
  absl::flat_hash_map<uint32_t, Call> pending_;
  // (deadline, request id) in submission order, so deadlines never decrease.
  std::deque<std::pair<std::chrono::steady_clock::time_point, uint32_t>>
      deadlines_;
  std::string queued_;   // frames waiting for the connection or a write
  std::string writing_;  // the buffer of the write in progress
  bool write_active_ = false;
  bool read_active_ = false;
  bool deadline_armed_ = false;
  bool shutting_down_ = false;
  std::vector<uint8_t> input_;
  size_t input_begin_ = 0;
  size_t input_end_ = 0;
  size_t needed_ = 0;  // bytes of the incomplete frame at input_begin_

  // ---- Shared with submitting threads.
  std::atomic<uint32_t> next_request_id_{1};
  std::atomic<bool> connected_{false};
  mutable std::mutex mu_;  // not absl::Mutex: see client.cc
  std::vector<Submitted> submitted_ ABSL_GUARDED_BY(mu_);
  bool drain_posted_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<protocol::HelloReply> hello_ ABSL_GUARDED_BY(mu_);

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace contactd::client
