#pragma once
// Connection: one client of the binary protocol, read -> handle -> write.
//
// Reads go into a buffer that holds at least one whole frame; every
// complete frame in it is handled before the next read, and the replies of
// one read are sent with one write (pipelining: many requests in flight,
// replies matched by request id). A second write never starts before the
// first completes; replies meanwhile collect in the pending buffer.
//
// Limits (ConnectionLimits): reading pauses while max_in_flight requests are
// unanswered or max_output_bytes of replies are unsent, so a client that
// never reads cannot make the server buffer without bound; a write that does
// not complete within write_timeout, or no request for idle_timeout, closes
// the connection. A frame error (bad magic, bad version, too large) gets an
// error reply when the request id is known, then the connection closes.
//
// Both timeouts are checked by one watchdog timer that ticks a few times per
// timeout (so a timeout fires up to a quarter late), not by a timer per
// write: arming and cancelling a timer for every reply cost a timerfd update
// each time.
//
// Thread safety: every member runs on the socket's executor, an io_context
// that one thread runs (io_context_pool.h); Shutdown() and the deferred
// reply may be called from anywhere.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "protocol/frame.h"
#include "server/server_metrics.h"
#include "server/server_options.h"
#include "server/session.h"

namespace contactd::server {

class RequestHandler;

// What every connection of a listener shares.
struct ConnectionContext {
  ConnectionLimits limits;
  RequestHandler* handler = nullptr;
  ServerMetrics* metrics = nullptr;
  std::optional<Grant> initial_grant;  // no tokens file: Grant::Everything()
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using OnClosed = std::function<void(Connection*)>;

  Connection(boost::asio::ip::tcp::socket socket,
             const ConnectionContext& context, OnClosed on_closed);
  ~Connection();

  void Start();
  // Stops reading; closes once every in-flight request is answered.
  void Shutdown();

 private:
  void Read();
  void OnRead(const boost::system::error_code& ec, size_t bytes);
  // Handles the complete frames in the input, within the limits.
  void HandleFrames();
  // Returns false when the connection must close after its replies.
  bool HandleFrame(const protocol::FrameDecode& frame);
  void ReplyFrameError(const protocol::FrameDecode& frame);
  void OnDeferredReply(std::string frame);
  void Flush();
  void OnWrite(const boost::system::error_code& ec);
  bool CanRead() const;
  void ResumeReadingIfPossible();
  void ArmWatchdog();
  // Closes the connection when a limit is exceeded; true when it did.
  bool CheckTimeouts();
  void CloseWhenDrained();
  // Ends a connection whose last reply is written: shuts down sending and
  // discards input until the peer closes (or briefly), so closing with
  // unread input does not reset the connection before the peer reads the
  // reply.
  void Linger();
  void DiscardInput();
  void Close();

  boost::asio::ip::tcp::socket socket_;
  const ConnectionContext& context_;
  OnClosed on_closed_;
  Session session_;
  boost::asio::steady_timer watchdog_;
  boost::asio::steady_timer linger_timer_;

  std::vector<uint8_t> input_;
  size_t input_begin_ = 0;  // first unhandled byte
  size_t input_end_ = 0;    // end of the bytes read

  std::string pending_;  // replies not yet handed to a write
  size_t pending_replies_ = 0;
  std::string writing_;  // the buffer of the write in progress
  size_t writing_replies_ = 0;
  size_t deferred_ = 0;  // requests answered later by the writer thread

  bool reading_ = false;
  bool writing_active_ = false;
  bool closing_ = false;    // no more reads; close when drained
  bool lingering_ = false;  // final replies written, waiting for the peer
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_activity_;  // a read or a write
  std::chrono::steady_clock::time_point write_started_;
};

}  // namespace contactd::server
