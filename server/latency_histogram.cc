#include "server/latency_histogram.h"

#include <algorithm>
#include <functional>
#include <thread>

namespace contactd::server {
namespace {

size_t BucketOf(int64_t ns) {
  const auto* end = kLatencyBucketBoundsNs.end();
  return static_cast<size_t>(
      std::lower_bound(kLatencyBucketBoundsNs.begin(), end, ns) -
      kLatencyBucketBoundsNs.begin());
}

// A thread keeps its stripe for life; threads spread by their id's hash.
size_t StripeOfThisThread(size_t stripes) {
  static thread_local const size_t stripe =
      std::hash<std::thread::id>()(std::this_thread::get_id());
  return stripe % stripes;
}

}  // namespace

void LatencyHistogram::Record(absl::Duration latency) {
  const int64_t ns = std::max<int64_t>(0, absl::ToInt64Nanoseconds(latency));
  Stripe& stripe = stripes_[StripeOfThisThread(kStripes)];
  stripe.buckets[BucketOf(ns)].fetch_add(1, std::memory_order_relaxed);
  stripe.sum_ns.fetch_add(ns, std::memory_order_relaxed);
}

HistogramSnapshot LatencyHistogram::Snapshot() const {
  HistogramSnapshot s;
  int64_t sum_ns = 0;
  for (const Stripe& stripe : stripes_) {
    for (size_t i = 0; i < kLatencyBuckets; ++i) {
      s.cumulative[i] += stripe.buckets[i].load(std::memory_order_relaxed);
    }
    sum_ns += stripe.sum_ns.load(std::memory_order_relaxed);
  }
  for (size_t i = 1; i < kLatencyBuckets; ++i) {
    s.cumulative[i] += s.cumulative[i - 1];
  }
  s.count = s.cumulative.back();
  s.sum = absl::Nanoseconds(sum_ns);
  return s;
}

}  // namespace contactd::server
