// Normalization costs: the phone fast path (strict E.164, formatted
// international, national formats) against the full libphonenumber parse, and
// email normalization.

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

// Normalize(input, region): the formats of the lookup keys of
// bench/dataset_gen (libphonenumber's INTERNATIONAL and NATIONAL formats).
void BM_Normalize(benchmark::State& state, std::string_view input,
                  std::string_view region) {
  Run(state, [&] { return Normalizer().Normalize(input, region); });
}
// The full parse of the same input, for comparison.
void BM_NormalizeSlow(benchmark::State& state, std::string_view input,
                      std::string_view region) {
  Run(state, [&] { return Normalizer().NormalizeSlow(input, region); });
}

BENCHMARK_CAPTURE(BM_Normalize, intl_gb, "+44 7700 900123", "");
BENCHMARK_CAPTURE(BM_Normalize, intl_us, "+1 201-555-0123", "");
BENCHMARK_CAPTURE(BM_Normalize, intl_de, "+49 1512 3456789", "");
BENCHMARK_CAPTURE(BM_Normalize, intl_br, "+55 11 91234-5678", "");
BENCHMARK_CAPTURE(BM_NormalizeSlow, intl_gb, "+44 7700 900123", "");

BENCHMARK_CAPTURE(BM_Normalize, national_us, "(201) 555-0123", "US");
BENCHMARK_CAPTURE(BM_Normalize, national_gb, "07700 900123", "GB");
BENCHMARK_CAPTURE(BM_Normalize, national_de, "01512 3456789", "DE");
BENCHMARK_CAPTURE(BM_Normalize, national_fr, "06 12 34 56 78", "FR");
BENCHMARK_CAPTURE(BM_Normalize, national_in, "081234 56789", "IN");
BENCHMARK_CAPTURE(BM_Normalize, national_br, "(11) 91234-5678", "BR");
BENCHMARK_CAPTURE(BM_Normalize, national_au, "0412 345 678", "AU");
BENCHMARK_CAPTURE(BM_Normalize, national_es, "612 34 56 78", "ES");
BENCHMARK_CAPTURE(BM_NormalizeSlow, national_gb, "07700 900123", "GB");

// Dialled from the US with its international prefix.
BENCHMARK_CAPTURE(BM_Normalize, idd_from_us, "011 44 20 7946 0018", "US");

void BM_NormalizeEmail(benchmark::State& state) {
  Run(state, [] { return NormalizeEmail("  John.Smith@Example.COM "); });
}
BENCHMARK(BM_NormalizeEmail);

}  // namespace
}  // namespace contactd::index

BENCHMARK_MAIN();
