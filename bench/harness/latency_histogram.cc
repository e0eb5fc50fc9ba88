#include "bench/harness/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace contactd::bench {
namespace {

// Buckets 0 .. 2*kSubBuckets-1 hold values exactly; then kSubBuckets per
// octave up to 2^64.
constexpr size_t kBucketCount =
    (64 - LatencyHistogram::kSubBucketBits + 1) * LatencyHistogram::kSubBuckets;

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(kBucketCount, 0) {}

size_t LatencyHistogram::BucketOf(uint64_t value) {
  if (value < 2 * kSubBuckets) return static_cast<size_t>(value);
  const int msb = std::bit_width(value) - 1;  // >= kSubBucketBits + 1
  const int shift = msb - kSubBucketBits;     // >= 1
  const uint64_t mantissa = value >> shift;   // in [kSubBuckets, 2*kSubBuckets)
  return static_cast<size_t>((shift + 1) * kSubBuckets +
                             (mantissa - kSubBuckets));
}

uint64_t LatencyHistogram::BucketLow(size_t bucket) {
  if (bucket < 2 * kSubBuckets) return bucket;
  const size_t shift = bucket / kSubBuckets - 1;
  const uint64_t mantissa = kSubBuckets + bucket % kSubBuckets;
  return mantissa << shift;
}

uint64_t LatencyHistogram::BucketWidth(size_t bucket) {
  if (bucket < 2 * kSubBuckets) return 1;
  return uint64_t{1} << (bucket / kSubBuckets - 1);
}

void LatencyHistogram::RecordCount(uint64_t value_ns, uint64_t count) {
  if (count == 0) return;
  counts_[BucketOf(value_ns)] += count;
  count_ += count;
  min_ = std::min(min_, value_ns);
  max_ = std::max(max_, value_ns);
  sum_ += static_cast<long double>(value_ns) * count;
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

void LatencyHistogram::Clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
  sum_ = 0;
}

double LatencyHistogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / count_);
}

uint64_t LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  const uint64_t rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const uint64_t mid = BucketLow(b) + (BucketWidth(b) - 1) / 2;
      return std::clamp(mid, min(), max_);
    }
  }
  return max_;
}

}  // namespace contactd::bench
