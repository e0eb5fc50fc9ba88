#pragma once
// LatencyHistogram: durations counted into fixed buckets, cheaply enough to
// time every lookup, and read out as a Prometheus histogram (/metrics).
//
// The bucket bounds follow a 1-2-5 series from 1 µs to 10 s (a telephony
// lookup takes microseconds, an fsync milliseconds, a reload seconds), so
// one layout serves every latency contactd reports.
//
//   LatencyHistogram lookups;
//   lookups.Record(absl::Now() - start);
//   HistogramSnapshot s = lookups.Snapshot();  // cumulative, for /metrics
//
// Thread safety: Record from any number of threads; each thread counts into
// one of a few cache-line-aligned stripes, so two I/O threads recording at
// once do not bounce one cache line. Snapshot sums the stripes: each count
// is exact, the snapshot as a whole is not atomic.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"

namespace contactd::server {

// Upper bounds of the buckets (Prometheus "le"), in nanoseconds; a last,
// implicit bucket counts everything slower (+Inf).
inline constexpr std::array<int64_t, 22> kLatencyBucketBoundsNs = {
    1'000,         2'000,         5'000,       10'000,        20'000,
    50'000,        100'000,       200'000,     500'000,       1'000'000,
    2'000'000,     5'000'000,     10'000'000,  20'000'000,    50'000'000,
    100'000'000,   200'000'000,   500'000'000, 1'000'000'000, 2'000'000'000,
    5'000'000'000, 10'000'000'000};
inline constexpr size_t kLatencyBuckets = kLatencyBucketBoundsNs.size() + 1;

struct HistogramSnapshot {
  // cumulative[i]: observations <= kLatencyBucketBoundsNs[i]; the last
  // entry is the total count (+Inf).
  std::array<uint64_t, kLatencyBuckets> cumulative{};
  uint64_t count = 0;
  absl::Duration sum;
};

class LatencyHistogram {
 public:
  void Record(absl::Duration latency);
  HistogramSnapshot Snapshot() const;

 private:
  static constexpr size_t kStripes = 4;
  struct alignas(64) Stripe {
    std::array<std::atomic<uint64_t>, kLatencyBuckets> buckets{};
    std::atomic<int64_t> sum_ns{0};
  };
  std::array<Stripe, kStripes> stripes_;
};

}  // namespace contactd::server
