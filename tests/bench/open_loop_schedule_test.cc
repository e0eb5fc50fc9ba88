#include "bench/harness/open_loop_schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace contactd::bench {
namespace {

TEST(OpenLoopScheduleTest, OneThreadIsEvenlySpacedFromTheStart) {
  const OpenLoopSchedule s(20'000, 1, 0, 1'000'000);
  EXPECT_EQ(s.IntendedNs(0), 1'000'000);
  EXPECT_EQ(s.IntendedNs(1), 1'050'000);
  EXPECT_EQ(s.IntendedNs(20'000), 1'000'000 + 1'000'000'000);
}

TEST(OpenLoopScheduleTest, ThreadsInterleaveIntoOneUniformSchedule) {
  const int threads = 3;
  std::vector<int64_t> all;
  for (int t = 0; t < threads; ++t) {
    const OpenLoopSchedule s(50'000, threads, t, 0);
    for (uint64_t k = 0; k < 1'000; ++k) all.push_back(s.IntendedNs(k));
  }
  std::sort(all.begin(), all.end());
  for (size_t n = 0; n < all.size(); ++n) {
    EXPECT_EQ(all[n], static_cast<int64_t>(n * 20'000)) << n;
  }
}

TEST(OpenLoopScheduleTest, TheScheduleDoesNotDependOnReplies) {
  // Intended times are a pure function of the index: a late reply cannot
  // move the requests behind it (no coordinated omission).
  const OpenLoopSchedule s(1'000, 2, 1, 5);
  EXPECT_EQ(s.IntendedNs(10), s.IntendedNs(10));
  EXPECT_EQ(s.IntendedNs(10) - s.IntendedNs(9), 2'000'000);
}

TEST(OpenLoopScheduleTest, CountBeforeMatchesTheIntendedTimes) {
  for (int threads : {1, 2, 3}) {
    for (int t = 0; t < threads; ++t) {
      const OpenLoopSchedule s(33'333, threads, t, 123);
      for (int64_t end :
           {int64_t{0}, int64_t{123}, int64_t{124}, int64_t{30'123},
            int64_t{1'000'000}, int64_t{777'777}}) {
        uint64_t expected = 0;
        while (s.IntendedNs(expected) < end) ++expected;
        EXPECT_EQ(s.CountBefore(end), expected)
            << "threads " << threads << " t " << t << " end " << end;
      }
    }
  }
}

}  // namespace
}  // namespace contactd::bench
