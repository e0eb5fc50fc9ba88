#include "bench/harness/process_cpu.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

namespace contactd::bench {
namespace {

// Spins for `duration` of wall time (the test's own CPU use).
void Spin(std::chrono::milliseconds duration) {
  const auto end = std::chrono::steady_clock::now() + duration;
  volatile uint64_t sink = 0;
  while (std::chrono::steady_clock::now() < end) sink = sink + 1;
}

TEST(ProcessCpuTest, ProcReadingOfThisProcessMatchesGetrusage) {
  Spin(std::chrono::milliseconds(100));
  const absl::StatusOr<double> self = ProcessCpuSeconds(0);
  const absl::StatusOr<double> by_pid = ProcessCpuSeconds(getpid());
  ASSERT_TRUE(self.ok()) << self.status();
  ASSERT_TRUE(by_pid.ok()) << by_pid.status();
  EXPECT_GE(*self, 0.05);
  // /proc counts in clock ticks (10 ms): allow a few.
  EXPECT_NEAR(*by_pid, *self, 0.05);
}

TEST(ProcessCpuTest, ProcessThatIsGoneIsNotFound) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);  // reaped: no /proc entry
  const absl::StatusOr<double> cpu = ProcessCpuSeconds(child);
  EXPECT_EQ(cpu.status().code(), absl::StatusCode::kNotFound) << cpu.status();
}

}  // namespace
}  // namespace contactd::bench
