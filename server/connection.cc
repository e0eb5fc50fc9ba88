#include "server/connection.h"

#include <algorithm>
#include <cstring>

#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "protocol/reply.h"
#include "server/request_handler.h"
#include "spdlog/spdlog.h"

namespace contactd::server {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kInitialInputBytes = 16 << 10;
constexpr std::chrono::seconds kMaxLinger(2);

// The watchdog ticks this often per (shorter) timeout, so a timeout fires
// at most a quarter of it late.
constexpr int kWatchdogTicksPerTimeout = 4;
constexpr absl::Duration kMinWatchdogTick = absl::Milliseconds(1);

std::chrono::nanoseconds ToChrono(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

std::chrono::nanoseconds WatchdogTick(const ConnectionLimits& limits) {
  const absl::Duration shorter =
      std::min(limits.idle_timeout, limits.write_timeout);
  return ToChrono(
      std::max(shorter / kWatchdogTicksPerTimeout, kMinWatchdogTick));
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket,
                       const ConnectionContext& context, OnClosed on_closed)
    : socket_(std::move(socket)),
      context_(context),
      on_closed_(std::move(on_closed)),
      watchdog_(socket_.get_executor()),
      linger_timer_(socket_.get_executor()),
      input_(kInitialInputBytes) {
  session_.grant = context.initial_grant;
}

Connection::~Connection() = default;

void Connection::Start() {
  error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  // Replies from the writer thread come back through the socket's
  // executor; the callback holds the connection until they are delivered.
  auto executor = socket_.get_executor();
  session_.deferred_reply = [self = shared_from_this(),
                             executor](std::string frame) {
    asio::post(executor, [self, frame = std::move(frame)]() mutable {
      self->OnDeferredReply(std::move(frame));
    });
  };
  last_activity_ = Clock::now();
  ArmWatchdog();
  Read();
}

void Connection::Shutdown() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    error_code ec;
    // Wakes a pending read with end-of-stream.
    self->socket_.shutdown(asio::ip::tcp::socket::shutdown_receive, ec);
    self->CloseWhenDrained();
  });
}

bool Connection::CanRead() const {
  const ConnectionLimits& limits = context_.limits;
  const size_t in_flight = pending_replies_ + writing_replies_ + deferred_;
  return !closing_ && in_flight < limits.max_in_flight &&
         pending_.size() + writing_.size() < limits.max_output_bytes;
}

void Connection::Read() {
  if (reading_ || !CanRead()) return;
  // Room for at least the rest of the frame at the front of the buffer.
  if (input_begin_ > 0) {
    std::memmove(input_.data(), input_.data() + input_begin_,
                 input_end_ - input_begin_);
    input_end_ -= input_begin_;
    input_begin_ = 0;
  }
  if (input_end_ == input_.size()) input_.resize(input_.size() * 2);
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(input_.data() + input_end_, input_.size() - input_end_),
      [self = shared_from_this()](const error_code& ec, size_t bytes) {
        self->OnRead(ec, bytes);
      });
}

void Connection::OnRead(const error_code& ec, size_t bytes) {
  reading_ = false;
  if (lingering_) {  // the read was pending when the connection ended
    DiscardInput();
    return;
  }
  if (ec) {  // end of stream or a reset: answer what is in flight, then close
    closing_ = true;
    CloseWhenDrained();
    return;
  }
  last_activity_ = Clock::now();
  input_end_ += bytes;
  HandleFrames();
  Flush();
  if (CanRead()) {
    Read();
  } else if (!closing_) {
    Increment(context_.metrics->read_pauses);
  }
}

void Connection::HandleFrames() {
  while (CanRead()) {
    const std::span<const uint8_t> unread(input_.data() + input_begin_,
                                          input_end_ - input_begin_);
    const protocol::FrameDecode frame =
        protocol::DecodeFrame(unread, context_.limits.max_frame_bytes);
    if (frame.result == protocol::DecodeResult::kNeedMore) {
      // A large frame needs a larger buffer; its header says how large
      // (already checked against max_frame_bytes).
      if (frame.header_valid) {
        const size_t need = protocol::kHeaderSize + frame.header.body_length;
        if (input_.size() < need) input_.resize(need);
      }
      return;
    }
    if (frame.result == protocol::DecodeResult::kError) {
      ReplyFrameError(frame);
      closing_ = true;
      return;
    }
    input_begin_ += frame.consumed;
    if (!HandleFrame(frame)) {
      closing_ = true;
      return;
    }
  }
}

bool Connection::HandleFrame(const protocol::FrameDecode& frame) {
  Increment(context_.metrics->requests);
  const size_t reply_start = pending_.size();
  const Disposition disposition =
      context_.handler->Handle(session_, frame.header, frame.body, pending_);
  if (disposition == Disposition::kDeferred) {
    ++deferred_;
    return true;
  }
  context_.metrics->CountReply(std::string_view(pending_).substr(reply_start));
  ++pending_replies_;
  return disposition == Disposition::kReplied;
}

void Connection::ReplyFrameError(const protocol::FrameDecode& frame) {
  ServerMetrics& metrics = *context_.metrics;
  switch (frame.error) {
    case protocol::WireStatus::kFrameTooLarge:
      Increment(metrics.oversized_frames);
      break;
    case protocol::WireStatus::kUnsupportedVersion:
      Increment(metrics.unsupported_versions);
      break;
    default:
      Increment(metrics.malformed_frames);
  }
  spdlog::debug("closing a connection: {}", frame.message);
  if (!frame.header_valid) return;  // no request id to answer: just close
  Increment(metrics.error_replies);
  const size_t start =
      protocol::BeginFrame(pending_, frame.header.opcode,
                           frame.header.request_id, protocol::kFlagResponse);
  protocol::EncodeErrorReply(pending_, frame.error, index::Reason::kNone,
                             frame.message);
  protocol::EndFrame(pending_, start);
  metrics.CountReply(std::string_view(pending_).substr(start));
  ++pending_replies_;
}

void Connection::OnDeferredReply(std::string frame) {
  --deferred_;
  if (closed_) return;
  context_.metrics->CountReply(frame);
  pending_.append(frame);
  ++pending_replies_;
  Flush();
  ResumeReadingIfPossible();
}

void Connection::Flush() {
  if (writing_active_ || closed_) return;
  if (pending_.empty()) {
    CloseWhenDrained();
    return;
  }
  writing_.swap(pending_);
  writing_replies_ = pending_replies_;
  pending_replies_ = 0;
  writing_active_ = true;
  write_started_ = Clock::now();
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      self->OnWrite(ec);
                    });
}

void Connection::OnWrite(const error_code& ec) {
  writing_active_ = false;
  if (ec) {
    Close();
    return;
  }
  writing_.clear();
  writing_replies_ = 0;
  last_activity_ = Clock::now();
  Flush();
  ResumeReadingIfPossible();
}

void Connection::ResumeReadingIfPossible() {
  if (closed_ || reading_ || !CanRead()) return;
  // Frames that arrived while paused are still in the buffer.
  HandleFrames();
  Flush();
  Read();
}

void Connection::ArmWatchdog() {
  watchdog_.expires_after(WatchdogTick(context_.limits));
  watchdog_.async_wait([self = shared_from_this()](const error_code& ec) {
    // A lingering connection has its own deadline (Linger).
    if (ec || self->closed_ || self->lingering_) return;
    if (!self->CheckTimeouts()) self->ArmWatchdog();
  });
}

bool Connection::CheckTimeouts() {
  const ConnectionLimits& limits = context_.limits;
  const Clock::time_point now = Clock::now();
  if (writing_active_ &&
      now - write_started_ >= ToChrono(limits.write_timeout)) {
    Increment(context_.metrics->write_timeouts);
    spdlog::debug("closing a connection whose client does not read");
    Close();
    return true;
  }
  // Waiting for the writer thread or for a write is not being idle.
  const bool busy = deferred_ > 0 || writing_active_;
  if (!busy && now - last_activity_ >= ToChrono(limits.idle_timeout)) {
    Increment(context_.metrics->idle_timeouts);
    spdlog::debug("closing an idle connection");
    Close();
    return true;
  }
  return false;
}

void Connection::CloseWhenDrained() {
  if (closing_ && !closed_ && !lingering_ && deferred_ == 0 &&
      !writing_active_ && pending_.empty()) {
    Linger();
  }
}

void Connection::Linger() {
  lingering_ = true;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  linger_timer_.expires_after(kMaxLinger);
  linger_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->Close();
  });
  if (!reading_) DiscardInput();
}

void Connection::DiscardInput() {
  if (closed_) return;
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(input_),
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->reading_ = false;
        if (ec) {
          self->Close();
        } else {
          self->DiscardInput();
        }
      });
}

void Connection::Close() {
  if (closed_) return;
  closed_ = true;
  error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  watchdog_.cancel();
  linger_timer_.cancel();
  // Breaks the cycle connection -> deferred_reply -> connection.
  session_.deferred_reply = nullptr;
  if (on_closed_) on_closed_(this);
}

}  // namespace contactd::server
