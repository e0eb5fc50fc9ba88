// Helpers shared by the durability benchmarks (bench/durability/): the clock
// and the process's CPU usage, loopback sockets, temporary directories that
// remove themselves, page cache residency, and Die for a setup step that
// failed.

#pragma once

#include <sys/resource.h>
#include <sys/time.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace contactd::bench {

using Clock = std::chrono::steady_clock;

// For picking a random index with a multiply-shift: (x * n) >> 64.
__extension__ using Uint128 = unsigned __int128;

inline double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Process-wide CPU time and minor page faults (getrusage RUSAGE_SELF).
struct ProcessUsage {
  double user_s = 0;
  double sys_s = 0;
  long minor_faults = 0;

  static ProcessUsage Now() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto secs = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) +
             static_cast<double>(t.tv_usec) / 1e6;
    };
    return {secs(usage.ru_utime), secs(usage.ru_stime), usage.ru_minflt};
  }
  ProcessUsage operator-(const ProcessUsage& o) const {
    return {user_s - o.user_s, sys_s - o.sys_s, minor_faults - o.minor_faults};
  }
  double cpu_s() const { return user_s + sys_s; }
};

// Prints "[durability_bench] what: status" and aborts.
[[noreturn]] void Die(const std::string& what, const absl::Status& status);

// ---- Sockets

// A TCP_NODELAY connection to 127.0.0.1:port, or -1.
int Connect(int port);

// Writes all of data[0, size) to fd; false on an error.
bool WriteAll(int fd, const char* data, size_t size);

// ---- Temporary directories

// A fresh directory under $CONTACTD_BENCH_DIR (or the temporary directory),
// removed with everything in it when destroyed.
class TempDir {
 public:
  explicit TempDir(std::string_view name);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(std::string_view name) const;

 private:
  std::string path_;
};

// Percentage of `path`'s pages in the page cache (mincore).
double CachedPercent(const std::string& path);

}  // namespace contactd::bench
