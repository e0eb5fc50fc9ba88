#include "client/client_connection.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "index/errors.h"
#include "protocol/reply.h"

namespace contactd::client {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr size_t kInitialInputBytes = 16 << 10;

std::string DurationText(absl::Duration d) { return absl::FormatDuration(d); }

}  // namespace

ClientConnection::ClientConnection(ClientOptions options, ServerAddress address)
    : options_(std::move(options)),
      address_(std::move(address)),
      work_(asio::make_work_guard(io_)),
      resolver_(io_),
      socket_(io_),
      connect_timer_(io_),
      deadline_timer_(io_),
      input_(kInitialInputBytes) {
  thread_ = std::thread([this] {
    // Callbacks must not throw; if one does anyway, the loop goes on rather
    // than letting the exception end the process.
    for (;;) {
      try {
        io_.run();
        return;
      } catch (...) {
      }
    }
  });
}

ClientConnection::~ClientConnection() {
  asio::post(io_, [this] { Shutdown(); });
  thread_.join();
}

std::optional<protocol::HelloReply> ClientConnection::hello() const {
  std::lock_guard lock(mu_);
  return hello_;
}

void ClientConnection::Submit(protocol::Opcode opcode, std::string_view body,
                              RawCallback done) {
  Submitted s{next_request_id_.fetch_add(1), opcode, std::string(),
              std::move(done)};
  const size_t start = protocol::BeginFrame(s.frame, opcode, s.request_id);
  s.frame.append(body);
  protocol::EndFrame(s.frame, start);
  std::lock_guard lock(mu_);
  submitted_.push_back(std::move(s));
  if (!drain_posted_) {
    drain_posted_ = true;
    asio::post(io_, [this] { Drain(); });
  }
}

void ClientConnection::Drain() {
  std::vector<Submitted> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(submitted_);
    drain_posted_ = false;
  }
  for (Submitted& s : batch) Enqueue(std::move(s));
  if (state_ == State::kIdle && !pending_.empty()) {
    StartConnect();
  } else {
    Write();
  }
}

void ClientConnection::Enqueue(Submitted s) {
  if (shutting_down_) {
    s.done(absl::CancelledError("the client is being destroyed"));
    return;
  }
  const size_t body_bytes = s.frame.size() - protocol::kHeaderSize;
  const std::optional<protocol::HelloReply> h = hello();
  const size_t limit =
      h && h->max_body_bytes > 0 ? h->max_body_bytes : protocol::kMaxBodyBytes;
  if (body_bytes > limit) {
    s.done(absl::ResourceExhaustedError(absl::StrCat(
        index::ToAbsl(protocol::OpcodeName(s.opcode)), " request of ",
        body_bytes, " bytes is larger than the server accepts (", limit, ")")));
    return;
  }
  pending_.emplace(s.request_id, Call{s.opcode, std::move(s.done)});
  deadlines_.emplace_back(
      std::chrono::steady_clock::now() +
          absl::ToChronoNanoseconds(options_.request_timeout),
      s.request_id);
  queued_.append(s.frame);
  ArmDeadlineTimer();
}

void ClientConnection::StartConnect() {
  state_ = State::kConnecting;
  const uint64_t gen = ++generation_;
  input_begin_ = input_end_ = 0;
  needed_ = 0;
  connect_timer_.expires_after(
      absl::ToChronoNanoseconds(options_.connect_timeout));
  connect_timer_.async_wait([this, gen](const error_code& ec) {
    if (ec || gen != generation_ || state_ != State::kConnecting) return;
    Fail(absl::UnavailableError(
        absl::StrCat("connecting to ", address_.ToString(), " timed out after ",
                     DurationText(options_.connect_timeout))));
  });
  resolver_.async_resolve(
      address_.host, std::to_string(address_.port),
      [this, gen](const error_code& ec,
                  asio::ip::tcp::resolver::results_type results) {
        if (gen != generation_) return;
        OnResolved(ec, std::move(results));
      });
}

void ClientConnection::OnResolved(
    const error_code& ec, asio::ip::tcp::resolver::results_type results) {
  if (ec) {
    Fail(absl::UnavailableError(
        absl::StrCat("cannot resolve ", address_.host, ": ", ec.message())));
    return;
  }
  const uint64_t gen = generation_;
  asio::async_connect(socket_, results,
                      [this, gen](const error_code& connect_ec,
                                  const asio::ip::tcp::endpoint&) {
                        if (gen != generation_) return;
                        OnConnected(connect_ec);
                      });
}

void ClientConnection::OnConnected(const error_code& ec) {
  if (ec) {
    Fail(absl::UnavailableError(absl::StrCat(
        "cannot connect to ", address_.ToString(), ": ", ec.message())));
    return;
  }
  connect_timer_.cancel();
  error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  state_ = State::kHello;
  Read();
  SendHello();
}

void ClientConnection::SendHello() {
  protocol::HelloRequest request;
  request.min_version = protocol::kProtocolVersion;
  request.max_version = protocol::kProtocolVersion;
  request.token = options_.token;
  request.client_name = options_.client_name;
  std::string body;
  protocol::EncodeHelloRequest(body, request);

  const uint32_t id = next_request_id_.fetch_add(1);
  pending_.emplace(id,
                   Call{protocol::Opcode::kHello,
                        [this](absl::StatusOr<std::span<const uint8_t>> reply) {
                          OnHelloReply(std::move(reply));
                        }});
  deadlines_.emplace_back(
      std::chrono::steady_clock::now() +
          absl::ToChronoNanoseconds(options_.request_timeout),
      id);
  ArmDeadlineTimer();
  writing_.clear();
  const size_t start =
      protocol::BeginFrame(writing_, protocol::Opcode::kHello, id);
  writing_.append(body);
  protocol::EndFrame(writing_, start);
  StartWrite();
}

void ClientConnection::OnHelloReply(
    absl::StatusOr<std::span<const uint8_t>> body) {
  if (state_ != State::kHello) return;  // already failed
  if (!body.ok()) {
    Fail(body.status());
    return;
  }
  protocol::ReplyPrefix prefix;
  protocol::HelloReply reply;
  if (absl::Status s = protocol::DecodeReplyPrefix(*body, prefix); !s.ok()) {
    Fail(absl::UnavailableError(
        absl::StrCat("malformed HELLO reply: ", s.message())));
    return;
  }
  if (absl::Status s = protocol::ReplyStatus(prefix); !s.ok()) {
    Fail(s);  // e.g. UNAUTHENTICATED: the server closes the connection
    return;
  }
  if (absl::Status s = protocol::DecodeHelloReply(prefix.payload, reply);
      !s.ok()) {
    Fail(absl::UnavailableError(
        absl::StrCat("malformed HELLO reply: ", s.message())));
    return;
  }
  {
    std::lock_guard lock(mu_);
    hello_ = std::move(reply);
  }
  state_ = State::kReady;
  connected_ = true;
  Write();
}

void ClientConnection::Write() {
  if (write_active_ || state_ != State::kReady || queued_.empty()) return;
  writing_.clear();
  writing_.swap(queued_);
  StartWrite();
}

void ClientConnection::StartWrite() {
  write_active_ = true;
  const uint64_t gen = generation_;
  asio::async_write(socket_, asio::buffer(writing_),
                    [this, gen](const error_code& ec, size_t) {
                      if (gen != generation_) return;
                      OnWrite(ec);
                    });
}

void ClientConnection::OnWrite(const error_code& ec) {
  write_active_ = false;
  if (ec) {
    Fail(absl::UnavailableError(absl::StrCat(
        "connection to ", address_.ToString(), " lost: ", ec.message())));
    return;
  }
  writing_.clear();
  Write();
}

void ClientConnection::Read() {
  if (read_active_) return;
  if (input_begin_ > 0) {
    std::memmove(input_.data(), input_.data() + input_begin_,
                 input_end_ - input_begin_);
    input_end_ -= input_begin_;
    input_begin_ = 0;
  }
  if (input_.size() < needed_) input_.resize(needed_);
  if (input_end_ == input_.size()) input_.resize(input_.size() * 2);
  read_active_ = true;
  const uint64_t gen = generation_;
  socket_.async_read_some(
      asio::buffer(input_.data() + input_end_, input_.size() - input_end_),
      [this, gen](const error_code& ec, size_t bytes) {
        if (gen != generation_) return;
        OnRead(ec, bytes);
      });
}

void ClientConnection::OnRead(const error_code& ec, size_t bytes) {
  read_active_ = false;
  if (ec) {
    const std::string why =
        ec == asio::error::eof ? "closed by the server" : ec.message();
    Fail(absl::UnavailableError(
        absl::StrCat("connection to ", address_.ToString(), " lost: ", why)));
    return;
  }
  input_end_ += bytes;
  const uint64_t gen = generation_;
  while (input_begin_ < input_end_) {
    const std::span<const uint8_t> data(input_.data() + input_begin_,
                                        input_end_ - input_begin_);
    const protocol::FrameDecode frame = protocol::DecodeFrame(data);
    if (frame.result == protocol::DecodeResult::kNeedMore) {
      if (data.size() >= protocol::kHeaderSize) {
        needed_ = protocol::kHeaderSize + frame.header.body_length;
      }
      break;
    }
    if (frame.result == protocol::DecodeResult::kError) {
      Fail(absl::UnavailableError(absl::StrCat("malformed frame from ",
                                               address_.ToString(), ": ",
                                               index::ToAbsl(frame.message))));
      return;
    }
    needed_ = 0;
    HandleFrame(frame);
    if (gen != generation_) return;  // the connection failed meanwhile
    input_begin_ += frame.consumed;
  }
  if (input_begin_ == input_end_) input_begin_ = input_end_ = 0;
  Read();
}

void ClientConnection::HandleFrame(const protocol::FrameDecode& frame) {
  if (!frame.header.is_response()) {
    Fail(absl::UnavailableError(absl::StrCat(
        "malformed frame from ", address_.ToString(), ": not a response")));
    return;
  }
  auto it = pending_.find(frame.header.request_id);
  if (it == pending_.end()) return;  // a reply after its deadline: dropped
  Call call = std::move(it->second);
  pending_.erase(it);
  if (frame.header.opcode != call.opcode) {
    const std::string what = absl::StrCat(
        "reply to ", index::ToAbsl(protocol::OpcodeName(call.opcode)),
        " request ", frame.header.request_id, " has opcode ",
        static_cast<int>(frame.header.opcode));
    call.done(absl::DataLossError(what));
    Fail(absl::UnavailableError(absl::StrCat("protocol error: ", what)));
    return;
  }
  call.done(frame.body);
}

void ClientConnection::ArmDeadlineTimer() {
  if (deadline_armed_ || deadlines_.empty()) return;
  deadline_armed_ = true;
  deadline_timer_.expires_at(deadlines_.front().first);
  deadline_timer_.async_wait([this](const error_code&) {
    deadline_armed_ = false;
    if (shutting_down_) return;
    ExpireCalls();
    ArmDeadlineTimer();
  });
}

void ClientConnection::ExpireCalls() {
  const auto now = std::chrono::steady_clock::now();
  while (!deadlines_.empty() && deadlines_.front().first <= now) {
    const uint32_t id = deadlines_.front().second;
    deadlines_.pop_front();
    auto it = pending_.find(id);
    if (it == pending_.end()) continue;  // answered in time
    Call call = std::move(it->second);
    pending_.erase(it);
    const std::string what = absl::StrCat(
        "no reply to ", index::ToAbsl(protocol::OpcodeName(call.opcode)),
        " from ", address_.ToString(), " within ",
        DurationText(options_.request_timeout));
    if (call.opcode == protocol::Opcode::kHello) {
      Fail(absl::DeadlineExceededError(what));
    } else {
      call.done(absl::DeadlineExceededError(what));
    }
  }
}

void ClientConnection::Fail(const absl::Status& status) {
  ++generation_;
  state_ = State::kIdle;
  connected_ = false;
  error_code ignored;
  socket_.close(ignored);
  resolver_.cancel();
  connect_timer_.cancel();
  queued_.clear();
  writing_.clear();
  write_active_ = false;
  read_active_ = false;
  input_begin_ = input_end_ = 0;
  // Fail in request order, so callbacks see the order of submission.
  std::vector<std::pair<uint32_t, Call>> calls(
      std::make_move_iterator(pending_.begin()),
      std::make_move_iterator(pending_.end()));
  pending_.clear();
  std::sort(calls.begin(), calls.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [id, call] : calls) call.done(status);
}

void ClientConnection::Shutdown() {
  shutting_down_ = true;
  Fail(absl::CancelledError("the client is being destroyed"));
  std::vector<Submitted> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(submitted_);
  }
  for (Submitted& s : batch) {
    s.done(absl::CancelledError("the client is being destroyed"));
  }
  deadline_timer_.cancel();
  deadlines_.clear();
  work_.reset();
}

}  // namespace contactd::client
