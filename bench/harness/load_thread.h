#pragma once
// LoadThread: one client thread of contactd-bench — its share of the
// connections, one epoll loop, no locks and no allocation per request.
//
// Closed loop: every connection keeps `pipeline` requests in flight; a reply
// is answered by the next request at once (appended, then one send per
// connection per wake-up). Latency = reply time - send time.
//
// Open loop: requests go out on the thread's OpenLoopSchedule, round robin
// over its connections, whether or not earlier ones were answered (a
// connection may have many in flight); latency = reply time - *intended*
// send time, so a stalled server (or client) is charged for the whole delay.
// The thread sleeps in epoll_pwait2 until the next intended time (timer
// slack 1 ns) and reports how late it actually sent (send_lag).
//
//   LoadThread t(options, target, workload, /*index=*/0, /*connections=*/50);
//   RETURN_IF_ERROR(t.Connect());          // before the run starts
//   RETURN_IF_ERROR(t.Run(start_ns));      // on its own thread
//   stats.Merge(t.stats());

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/harness/load_options.h"
#include "bench/harness/open_loop_schedule.h"
#include "bench/harness/target.h"
#include "bench/harness/tcp_socket.h"

namespace contactd::bench {

int64_t MonotonicNowNs();

class LoadThread {
 public:
  // `target` and `workload` must outlive the thread.
  LoadThread(const LoadOptions& options, const Target& target,
             const Workload& workload, int index, int connections);
  ~LoadThread();
  LoadThread(const LoadThread&) = delete;
  LoadThread& operator=(const LoadThread&) = delete;

  absl::Status Connect();
  // Runs until the window ends and the replies are drained. The warm-up
  // starts at start_ns (MonotonicNowNs clock).
  absl::Status Run(int64_t start_ns);
  const LoadStats& stats() const { return stats_; }

 private:
  struct Connection;

  bool open_loop() const { return options_.rate > 0; }
  bool InWindow(int64_t stamp) const {
    return stamp >= window_start_ns_ && stamp < window_end_ns_;
  }
  bool SendingDone(int64_t now) const;
  void Append(Connection& c, int64_t stamp_ns);
  void SendScheduled(int64_t now);
  absl::Status Flush(Connection& c);
  absl::Status OnReadable(Connection& c);
  void OnReply(Connection& c, const ParsedReply& reply, int64_t now);
  void CloseBroken(Connection& c);
  size_t InFlight() const;
  void CountUnanswered();
  int64_t NextWakeNs(int64_t now) const;

  const LoadOptions options_;
  const Target& target_;
  RequestPicker picker_;
  const int index_;
  const int connection_count_;
  std::vector<std::unique_ptr<Connection>> connections_;
  ScopedFd epoll_;
  std::unique_ptr<OpenLoopSchedule> schedule_;
  uint64_t next_scheduled_ = 0;  // open loop: this thread's next request
  uint64_t requests_left_ = 0;   // requests mode: sends left in the window
  int64_t window_start_ns_ = 0;
  int64_t window_end_ns_ = 0;
  std::vector<ParsedReply> replies_;  // reused by every read
  LoadStats stats_;
};

}  // namespace contactd::bench
