#pragma once
// LatencyHistogram: a log-linear histogram of latencies in nanoseconds, in
// the manner of HdrHistogram, with a bounded relative error.
//
//   LatencyHistogram h;
//   h.Record(reply_ns - intended_ns);
//   h.Percentile(0.99);   // ns, within kMaxRelativeError of the true value
//   h.Merge(other_thread_histogram);
//
// Layout: values below 2 * kSubBuckets (256 ns) have a bucket each (exact).
// Above, every power of two [2^k, 2^(k+1)) is split into kSubBuckets (128)
// equal buckets, so a bucket is at most 1/128 of its lower bound wide.
// Percentile() answers the bucket's midpoint (clamped to the exact min and
// max), so its error is at most half a bucket: < 0.4 %, under the 1 % the
// bench promises (kMaxRelativeError). 57 octaves × 128 buckets × 8 bytes:
// ~58 KiB per histogram, allocated once.
//
// Thread safety: none; give each thread its own and Merge them afterwards.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace contactd::bench {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;
  static constexpr double kMaxRelativeError = 0.5 / kSubBuckets;

  LatencyHistogram();

  void Record(uint64_t value_ns) { RecordCount(value_ns, 1); }
  void RecordCount(uint64_t value_ns, uint64_t count);
  void Merge(const LatencyHistogram& other);
  void Clear();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double mean() const;
  // The value at quantile q in [0, 1] (0.5: the median): the midpoint of the
  // bucket holding the ceil(q * count)-th smallest value, clamped to
  // [min, max]. 0 when empty. q >= 1 is max().
  uint64_t Percentile(double q) const;

  // Bucket arithmetic (public for tests).
  static size_t BucketOf(uint64_t value);
  static uint64_t BucketLow(size_t bucket);
  static uint64_t BucketWidth(size_t bucket);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace contactd::bench
