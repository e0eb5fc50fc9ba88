// Normalization costs: the E.164 fast path against the full libphonenumber
// parse, national formats, and email normalization.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string_view>

#include "index/email_normalizer.h"
#include "index/phone_normalizer.h"

namespace contactd::index {
namespace {

const PhoneNormalizer& Normalizer() {
  static const auto* const normalizer = [] {
    absl::StatusOr<PhoneNormalizer> created = PhoneNormalizer::Create("US");
    if (!created.ok()) std::abort();
    return new PhoneNormalizer(*std::move(created));
  }();
  return *normalizer;
}

// Normalizes `input` with `normalize` in a loop; fails the benchmark when
// the input does not normalize.
template <typename Normalize>
void Run(benchmark::State& state, Normalize normalize) {
  for (auto _ : state) {
    auto result = normalize();
    if (!result.ok()) {
      state.SkipWithError("normalization failed");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
}

void BM_NormalizeFastPath(benchmark::State& state) {
  Run(state, [] { return Normalizer().Normalize("+15551234567"); });
}
BENCHMARK(BM_NormalizeFastPath);

void BM_NormalizeFullParseE164(benchmark::State& state) {
  Run(state, [] { return Normalizer().NormalizeSlow("+15551234567"); });
}
BENCHMARK(BM_NormalizeFullParseE164);

void BM_NormalizeNationalFormat(benchmark::State& state) {
  Run(state, [] { return Normalizer().Normalize("(555) 123-4567"); });
}
BENCHMARK(BM_NormalizeNationalFormat);

void BM_NormalizeGbNational(benchmark::State& state) {
  Run(state, [] { return Normalizer().Normalize("020 7946 0018", "GB"); });
}
BENCHMARK(BM_NormalizeGbNational);

void BM_NormalizeEmail(benchmark::State& state) {
  Run(state, [] { return NormalizeEmail("  John.Smith@Example.COM "); });
}
BENCHMARK(BM_NormalizeEmail);

}  // namespace
}  // namespace contactd::index

BENCHMARK_MAIN();
