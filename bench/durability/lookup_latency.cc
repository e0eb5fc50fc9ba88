#include "bench/durability/lookup_latency.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "index/contact_store.h"
#include "index/epoch.h"

namespace contactd::bench {

double LatencyHistogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  const uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(count_));
  uint64_t seen = 0;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen > rank) return static_cast<double>(b * kBucketNs + kBucketNs);
  }
  std::vector<uint64_t> slow = slow_;
  std::sort(slow.begin(), slow.end());
  const uint64_t i = rank - seen;
  return static_cast<double>(
      slow.empty() ? max_ : slow[std::min<uint64_t>(i, slow.size() - 1)]);
}

void LookupThread::Run() {
  const char* rt = std::getenv("CONTACTD_BENCH_READER_RT");
  if (rt != nullptr && std::string_view(rt) == "1") {
    sched_param param{};
    param.sched_priority = 1;
    realtime_ = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
  }
  uint64_t state = 0x9e3779b97f4a7c15;
  const uint64_t n = keys_.size();
  int phase = kBaseline;
  Usage begin = Now();
  while (phase != kStop) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const PhoneLookupKey& key =
        keys_[static_cast<uint64_t>((static_cast<Uint128>(state) * n) >> 64)];
    const Clock::time_point start = Clock::now();
    {
      index::EpochGuard guard;
      const auto hit = db_.store().index().FindByPhone(key.tenant, key.number);
      if (hit.first == nullptr) {
        ++misses_;
      } else {
        benchmark::DoNotOptimize(hit.first->record().display_name().size());
      }
    }
    const Clock::time_point end = Clock::now();
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - start)
            .count();
    hist_[phase].Add(static_cast<uint64_t>(ns));
    if (trace_slow_ && ns >= 1'000'000) {
      std::fprintf(stderr,
                   "[durability_bench] phase %d: a %.2f ms lookup ended "
                   "%.3f s into the phase\n",
                   phase, static_cast<double>(ns) / 1e6,
                   Seconds(end - begin.wall));
    }
    if (paced_) std::this_thread::sleep_for(kPace);
    const int now = phase_.load(std::memory_order_acquire);
    if (now != phase) {
      const Usage at = Now();
      preempted_[phase] = at.nivcsw - begin.nivcsw;
      // Minus the sleeps of a paced reader.
      blocked_[phase] = at.nvcsw - begin.nvcsw;
      faults_[phase] = at.minflt - begin.minflt;
      cpu_s_[phase] = at.cpu_s - begin.cpu_s;
      wall_s_[phase] = Seconds(at.wall - begin.wall);
      begin = at;
      phase = now;
    }
  }
}

LookupThread::Usage LookupThread::Now() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return {usage.ru_nivcsw, usage.ru_nvcsw, usage.ru_minflt,
          secs(usage.ru_utime) + secs(usage.ru_stime), Clock::now()};
}

void ReportLookups(benchmark::State& state, const LookupThread& reader) {
  const char* kPrefix[] = {"baseline_", ""};
  for (int phase : {LookupThread::kBaseline, LookupThread::kDuring}) {
    const LatencyHistogram& h = reader.histogram(phase);
    const std::string p = kPrefix[phase];
    state.counters[p + "lookups"] = static_cast<double>(h.count());
    state.counters[p + "p50_us"] = h.Quantile(0.5) / 1e3;
    state.counters[p + "p999_us"] = h.Quantile(0.999) / 1e3;
    state.counters[p + "max_us"] = static_cast<double>(h.max()) / 1e3;
    state.counters[p + "over_1ms"] = static_cast<double>(h.over_1ms());
    state.counters[p + "preempted"] =
        static_cast<double>(reader.preempted(phase));
    state.counters[p + "cpu_share"] = reader.cpu_share(phase);
    state.counters[p + "faults"] = static_cast<double>(reader.faults(phase));
    if (!reader.paced()) {
      state.counters[p + "blocked"] =
          static_cast<double>(reader.blocked(phase));
    }
  }
  state.counters["reader_rt"] = reader.realtime() ? 1 : 0;
  if (reader.misses() != 0) state.SkipWithError("lookups missed");
}

}  // namespace contactd::bench
