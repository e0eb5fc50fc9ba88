#include "bench/harness/load_thread.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <thread>

#include "absl/strings/str_cat.h"

namespace contactd::bench {

// One connection of the thread. Send stamps live in a ring indexed by
// seq & kRingMask; a slot is kAnswered once its reply came. A connection
// never has more than kRingSize requests in flight.
struct LoadThread::Connection {
  static constexpr uint32_t kRingSize = 1u << 14;
  static constexpr uint32_t kRingMask = kRingSize - 1;
  static constexpr int64_t kAnswered = std::numeric_limits<int64_t>::min();

  ScopedFd fd;
  std::unique_ptr<ReplyParser> parser;
  std::string out;
  size_t out_sent = 0;
  bool polling_out = false;
  std::vector<char> in = std::vector<char>(64 << 10);
  size_t in_size = 0;
  std::vector<int64_t> stamps = std::vector<int64_t>(kRingSize, kAnswered);
  uint32_t next_seq = 0;
  uint32_t oldest_seq = 0;  // the oldest request not yet answered
  uint32_t in_flight = 0;
  bool broken = false;

  bool ring_full() const { return next_seq - oldest_seq >= kRingSize; }
  bool has_output() const { return out_sent < out.size(); }
};

int64_t MonotonicNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

LoadThread::LoadThread(const LoadOptions& options, const Target& target,
                       const Workload& workload, int index, int connections)
    : options_(options),
      target_(target),
      picker_(workload, options.picker, static_cast<uint64_t>(index)),
      index_(index),
      connection_count_(connections) {}

LoadThread::~LoadThread() = default;

absl::Status LoadThread::Connect() {
  epoll_ = ScopedFd(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_.valid()) {
    return absl::InternalError(
        absl::StrCat("epoll_create1: ", std::strerror(errno)));
  }
  for (int i = 0; i < connection_count_; ++i) {
    absl::StatusOr<ScopedFd> fd = ConnectTcp(options_.host, options_.port);
    if (!fd.ok()) return fd.status();
    auto c = std::make_unique<Connection>();
    c->fd = *std::move(fd);
    c->parser = target_.NewParser();
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = c.get();
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c->fd.get(), &event) != 0) {
      return absl::InternalError(
          absl::StrCat("epoll_ctl: ", std::strerror(errno)));
    }
    connections_.push_back(std::move(c));
  }
  return absl::OkStatus();
}

bool LoadThread::SendingDone(int64_t now) const {
  if (open_loop()) {
    return next_scheduled_ >= schedule_->CountBefore(window_end_ns_);
  }
  if (options_.requests > 0) return requests_left_ == 0;
  return now >= window_end_ns_;
}

void LoadThread::Append(Connection& c, int64_t stamp_ns) {
  const uint32_t seq = c.next_seq++;
  c.stamps[seq & Connection::kRingMask] = stamp_ns;
  ++c.in_flight;
  if (options_.requests > 0 && InWindow(stamp_ns)) --requests_left_;
  target_.AppendRequest(c.out, picker_.Next(), seq);
}

void LoadThread::SendScheduled(int64_t now) {
  const uint64_t total = schedule_->CountBefore(window_end_ns_);
  while (next_scheduled_ < total) {
    const int64_t intended = schedule_->IntendedNs(next_scheduled_);
    if (intended > now) return;
    Connection& c = *connections_[next_scheduled_ % connections_.size()];
    if (c.broken) {
      if (InWindow(intended)) ++stats_.unanswered;
    } else {
      // A full ring delays this request (and the schedule behind it); its
      // latency still counts from `intended`, so nothing is hidden.
      if (c.ring_full()) return;
      Append(c, intended);
      if (InWindow(intended)) stats_.send_lag.Record(now - intended);
    }
    ++next_scheduled_;
  }
}

absl::Status LoadThread::Flush(Connection& c) {
  while (c.has_output()) {
    const ssize_t n = send(c.fd.get(), c.out.data() + c.out_sent,
                           c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!c.polling_out) {
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT;
        event.data.ptr = &c;
        epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &event);
        c.polling_out = true;
      }
      return absl::OkStatus();
    }
    if (n < 0 && errno == EINTR) continue;
    CloseBroken(c);
    return absl::OkStatus();
  }
  c.out.clear();
  c.out_sent = 0;
  if (c.polling_out) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = &c;
    epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &event);
    c.polling_out = false;
  }
  return absl::OkStatus();
}

void LoadThread::OnReply(Connection& c, const ParsedReply& reply, int64_t now) {
  const uint32_t seq = reply.has_seq ? reply.seq : c.oldest_seq;
  int64_t& slot = c.stamps[seq & Connection::kRingMask];
  if (slot == Connection::kAnswered || c.in_flight == 0) {
    ++stats_.errors;  // a reply to nothing we sent
    return;
  }
  const int64_t stamp = slot;
  slot = Connection::kAnswered;
  --c.in_flight;
  while (c.oldest_seq != c.next_seq &&
         c.stamps[c.oldest_seq & Connection::kRingMask] ==
             Connection::kAnswered) {
    ++c.oldest_seq;
  }
  if (InWindow(stamp)) {
    stats_.latency.Record(
        static_cast<uint64_t>(std::max<int64_t>(0, now - stamp)));
    switch (reply.outcome) {
      case ReplyOutcome::kHit:
        ++stats_.hits;
        break;
      case ReplyOutcome::kMiss:
        ++stats_.misses;
        break;
      case ReplyOutcome::kWritten:
        ++stats_.written;
        break;
      case ReplyOutcome::kError:
        ++stats_.errors;
        break;
    }
    if (options_.requests > 0) {  // the window ends with its last reply
      stats_.window_end_ns = std::max(stats_.window_end_ns, now);
    }
  }
  if (!open_loop() && !SendingDone(now)) Append(c, now);
}

absl::Status LoadThread::OnReadable(Connection& c) {
  while (!c.broken) {
    if (c.in.size() - c.in_size < 4096) c.in.resize(c.in.size() * 2);
    const size_t space = c.in.size() - c.in_size;
    const ssize_t n = recv(c.fd.get(), c.in.data() + c.in_size, space, 0);
    if (n == 0 ||
        (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      CloseBroken(c);
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    c.in_size += static_cast<size_t>(n);
    const int64_t now = MonotonicNowNs();
    replies_.clear();
    absl::StatusOr<size_t> used =
        c.parser->Parse(std::string_view(c.in.data(), c.in_size), replies_);
    if (!used.ok()) {
      CloseBroken(c);
      return used.status();
    }
    std::memmove(c.in.data(), c.in.data() + *used, c.in_size - *used);
    c.in_size -= *used;
    for (const ParsedReply& reply : replies_) OnReply(c, reply, now);
    // A short read drained the socket: epoll says when there is more.
    if (static_cast<size_t>(n) < space) break;
  }
  if (!c.broken && c.has_output()) return Flush(c);
  return absl::OkStatus();
}

void LoadThread::CloseBroken(Connection& c) {
  if (c.broken) return;
  c.broken = true;
  ++stats_.broken_connections;
  for (uint32_t seq = c.oldest_seq; seq != c.next_seq; ++seq) {
    const int64_t stamp = c.stamps[seq & Connection::kRingMask];
    if (stamp != Connection::kAnswered && InWindow(stamp)) ++stats_.unanswered;
    c.stamps[seq & Connection::kRingMask] = Connection::kAnswered;
  }
  c.in_flight = 0;
  c.oldest_seq = c.next_seq;
  epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, c.fd.get(), nullptr);
  c.fd.Reset();
}

size_t LoadThread::InFlight() const {
  size_t total = 0;
  for (const auto& c : connections_) total += c->in_flight;
  return total;
}

void LoadThread::CountUnanswered() {
  for (const auto& c : connections_) {
    for (uint32_t seq = c->oldest_seq; seq != c->next_seq; ++seq) {
      const int64_t stamp = c->stamps[seq & Connection::kRingMask];
      if (stamp != Connection::kAnswered && InWindow(stamp)) {
        ++stats_.unanswered;
      }
    }
  }
}

int64_t LoadThread::NextWakeNs(int64_t now) const {
  if (SendingDone(now)) return now + 1'000'000;  // draining: recheck often
  if (open_loop()) return schedule_->IntendedNs(next_scheduled_);
  if (options_.requests == 0) return window_end_ns_;
  return now + 100'000'000;
}

absl::Status LoadThread::Run(int64_t start_ns) {
  window_start_ns_ =
      start_ns + static_cast<int64_t>(options_.warmup_seconds * 1e9);
  window_end_ns_ =
      options_.requests > 0
          ? std::numeric_limits<int64_t>::max()
          : window_start_ns_ +
                static_cast<int64_t>(options_.duration_seconds * 1e9);
  stats_.window_start_ns = window_start_ns_;
  stats_.window_end_ns =
      options_.requests > 0 ? window_start_ns_ : window_end_ns_;
  // The run's requests, split over the threads.
  const uint64_t threads = static_cast<uint64_t>(options_.threads);
  requests_left_ =
      options_.requests / threads +
      (static_cast<uint64_t>(index_) < options_.requests % threads);
  if (open_loop()) {
    schedule_ = std::make_unique<OpenLoopSchedule>(
        options_.rate, options_.threads, index_, start_ns);
  }
  std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
      std::chrono::nanoseconds(start_ns)));
  if (!open_loop()) {
    const int64_t now = MonotonicNowNs();
    for (auto& c : connections_) {
      for (int p = 0; p < options_.pipeline && !SendingDone(now); ++p) {
        Append(*c, now);
      }
    }
  }
  int64_t drain_deadline = 0;
  epoll_event events[64];
  while (true) {
    int64_t now = MonotonicNowNs();
    if (open_loop()) SendScheduled(now);
    bool alive = false;
    for (auto& c : connections_) {
      if (!c->broken && c->has_output()) {
        if (absl::Status s = Flush(*c); !s.ok()) return s;
      }
      alive = alive || !c->broken;
    }
    if (!alive) {
      return absl::UnavailableError(
          "every connection was closed by the server");
    }
    if (SendingDone(now)) {
      if (InFlight() == 0) break;
      if (drain_deadline == 0) {
        drain_deadline =
            now + static_cast<int64_t>(options_.drain_seconds * 1e9);
      }
      if (now >= drain_deadline) break;
    }
    const int64_t wait = std::max<int64_t>(0, NextWakeNs(now) - now);
    const timespec timeout = {static_cast<time_t>(wait / 1'000'000'000),
                              static_cast<long>(wait % 1'000'000'000)};
    const int n = epoll_pwait2(epoll_.get(), events, 64, &timeout, nullptr);
    if (n < 0 && errno != EINTR) {
      return absl::InternalError(
          absl::StrCat("epoll_pwait2: ", std::strerror(errno)));
    }
    for (int i = 0; i < n; ++i) {
      auto& c = *static_cast<Connection*>(events[i].data.ptr);
      if (c.broken) continue;
      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        if (absl::Status s = OnReadable(c); !s.ok()) return s;
      }
      if (!c.broken && (events[i].events & EPOLLOUT)) {
        if (absl::Status s = Flush(c); !s.ok()) return s;
      }
    }
  }
  CountUnanswered();
  return absl::OkStatus();
}

}  // namespace contactd::bench
