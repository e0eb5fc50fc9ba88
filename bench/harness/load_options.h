#pragma once
// What a bench run does (contactd-bench flags), and what it measured.

#include <cstdint>
#include <string>

#include "bench/harness/latency_histogram.h"
#include "bench/harness/workload.h"

namespace contactd::bench {

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int connections = 1;
  // Closed loop: requests each connection keeps in flight.
  int pipeline = 1;
  int threads = 1;  // client threads; connections are split among them
  // Requests per second in total. 0: closed loop (as fast as the replies
  // come); > 0: open loop on a fixed schedule (open_loop_schedule.h).
  double rate = 0;
  double warmup_seconds = 1;
  double duration_seconds = 10;
  // > 0 (closed loop only): stop after this many requests after the warm-up
  // instead of after duration_seconds.
  uint64_t requests = 0;
  // After the last send: how long to wait for the replies still in flight
  // (those that do not come count as errors).
  double drain_seconds = 5;
  // > 0: the server's process id (same machine), whose CPU time over the
  // window is reported next to the client's.
  int server_pid = 0;
  PickerOptions picker;
};

// What one load thread (and, merged, the whole run) measured over the
// window: requests intended (open loop) or sent (closed loop) after the
// warm-up and before the end.
struct LoadStats {
  // Open loop: reply time - intended time; closed loop: reply - send.
  LatencyHistogram latency;
  // Open loop: actual send - intended send (the client's own lateness).
  LatencyHistogram send_lag;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t written = 0;
  uint64_t errors = 0;      // error replies
  uint64_t unanswered = 0;  // no reply before the drain ended
  uint64_t broken_connections = 0;
  int64_t window_start_ns = 0;
  int64_t window_end_ns =
      0;  // duration mode: the end; requests mode: last reply

  uint64_t replies() const { return hits + misses + written + errors; }
  void Merge(const LoadStats& other);
};

}  // namespace contactd::bench
