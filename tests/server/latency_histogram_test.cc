#include "server/latency_histogram.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace contactd::server {
namespace {

TEST(LatencyHistogramTest, CountsIntoCumulativeBuckets) {
  LatencyHistogram histogram;
  histogram.Record(absl::Nanoseconds(500));  // <= 1 µs
  histogram.Record(absl::Microseconds(1));   // <= 1 µs (bounds inclusive)
  histogram.Record(absl::Microseconds(3));   // <= 5 µs
  histogram.Record(absl::Milliseconds(7));   // <= 10 ms
  histogram.Record(absl::Seconds(60));       // +Inf only
  const HistogramSnapshot s = histogram.Snapshot();
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.cumulative[0], 2u);                    // le 1e-06
  EXPECT_EQ(s.cumulative[1], 2u);                    // le 2e-06
  EXPECT_EQ(s.cumulative[2], 3u);                    // le 5e-06
  EXPECT_EQ(s.cumulative[11], 3u);                   // le 5 ms
  EXPECT_EQ(s.cumulative[12], 4u);                   // le 10 ms
  EXPECT_EQ(s.cumulative[kLatencyBuckets - 2], 4u);  // le 10 s
  EXPECT_EQ(s.cumulative[kLatencyBuckets - 1], 5u);  // +Inf
  EXPECT_EQ(s.sum, absl::Nanoseconds(500) + absl::Microseconds(4) +
                       absl::Milliseconds(7) + absl::Seconds(60));
}

TEST(LatencyHistogramTest, NegativeDurationsCountAsZero) {
  LatencyHistogram histogram;
  histogram.Record(absl::Microseconds(-5));
  EXPECT_EQ(histogram.Snapshot().cumulative[0], 1u);
  EXPECT_EQ(histogram.Snapshot().sum, absl::ZeroDuration());
}

TEST(LatencyHistogramTest, ConcurrentRecordsAreAllCounted) {
  LatencyHistogram histogram;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) histogram.Record(absl::Microseconds(2));
    });
  }
  for (auto& thread : threads) thread.join();
  const HistogramSnapshot s = histogram.Snapshot();
  EXPECT_EQ(s.count, 40000u);
  EXPECT_EQ(s.cumulative[1], 40000u);
  EXPECT_EQ(s.sum, absl::Microseconds(80000));
}

}  // namespace
}  // namespace contactd::server
