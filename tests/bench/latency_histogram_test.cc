#include "bench/harness/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace contactd::bench {
namespace {

TEST(LatencyHistogramTest, EmptyAnswersZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  for (uint64_t v = 0; v < 2 * LatencyHistogram::kSubBuckets; ++v) {
    EXPECT_EQ(LatencyHistogram::BucketOf(v), v);
    EXPECT_EQ(LatencyHistogram::BucketLow(v), v);
    EXPECT_EQ(LatencyHistogram::BucketWidth(v), 1u);
  }
}

TEST(LatencyHistogramTest, BucketsTileTheRangeWithoutGaps) {
  for (size_t b = 0; b + 1 < 40 * LatencyHistogram::kSubBuckets; ++b) {
    EXPECT_EQ(LatencyHistogram::BucketLow(b) + LatencyHistogram::BucketWidth(b),
              LatencyHistogram::BucketLow(b + 1))
        << b;
    EXPECT_EQ(LatencyHistogram::BucketOf(LatencyHistogram::BucketLow(b)), b);
  }
}

TEST(LatencyHistogramTest, BucketWidthIsUnderOnePercentOfItsValues) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100'000; ++i) {
    const uint64_t v = rng() >> (1 + rng() % 60);  // < 2^63
    const size_t b = LatencyHistogram::BucketOf(v);
    ASSERT_LE(LatencyHistogram::BucketLow(b), v);
    ASSERT_LT(
        v, LatencyHistogram::BucketLow(b) + LatencyHistogram::BucketWidth(b));
    if (v >= 2 * LatencyHistogram::kSubBuckets) {  // below: exact
      ASSERT_LE(static_cast<double>(LatencyHistogram::BucketWidth(b)) /
                    static_cast<double>(v),
                0.01)
          << v;
    }
  }
}

TEST(LatencyHistogramTest, PercentilesWithinOnePercentOfExact) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(std::log(50'000.0), 1.0);
  std::vector<uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 200'000; ++i) {
    const auto v = static_cast<uint64_t>(latency(rng));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999, 0.9999}) {
    const uint64_t exact =
        values[static_cast<size_t>(std::ceil(q * values.size())) - 1];
    const double error =
        std::abs(static_cast<double>(h.Percentile(q)) - exact) / exact;
    EXPECT_LE(error, 0.01) << "q=" << q;
  }
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.Percentile(1.0), values.back());
}

TEST(LatencyHistogramTest, MergeAddsCountsAndExtremes) {
  LatencyHistogram a, b;
  a.Record(1'000);
  a.Record(2'000);
  b.Record(500);
  b.RecordCount(1'000'000, 2);
  a.Merge(b);
  EXPECT_EQ(a.count(), 5u);
  EXPECT_EQ(a.min(), 500u);
  EXPECT_EQ(a.max(), 1'000'000u);
  EXPECT_NEAR(a.mean(), (1'000 + 2'000 + 500 + 2'000'000) / 5.0, 1e-6);
  EXPECT_EQ(a.Percentile(0.2), 500u);
}

TEST(LatencyHistogramTest, PercentileIsClampedToTheRecordedRange) {
  LatencyHistogram h;
  h.Record(1'000'003);  // its bucket's midpoint is above it
  EXPECT_EQ(h.Percentile(0.5), 1'000'003u);
}

TEST(LatencyHistogramTest, ClearForgetsEverything) {
  LatencyHistogram h;
  h.Record(42);
  h.Clear();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.5), 0u);
}

}  // namespace
}  // namespace contactd::bench
