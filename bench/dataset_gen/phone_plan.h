#pragma once
// PhonePlan: realistic phone numbers from several countries, each valid for
// libphonenumber (PhoneNumberUtil::IsValidNumber: an assigned range of the
// right length, not just a possible one), as a CRM would hold them.
//
//   PhonePlan plan = PhonePlan::Create();
//   SplitMix64 rng(42);
//   GeneratedPhone p = plan.Generate(rng);
//   p.e164       "+447400123456"
//   p.entered    "+44 7400 123456"  (E.164, international or, for US numbers,
//                                    national format: the import reads it
//                                    with region US)
//   p.national   "07400 123456", p.region "GB": how a local caller ID shows it
//
// Countries (share of numbers): US 55 %, GB 10 %, DE 8 %, FR 7 %, IN 6 %,
// BR 5 %, AU 5 %, ES 4 %; 70 % mobile, 30 % fixed line. How: Create() finds,
// for each (country, type), 64 valid numbers by drawing random digits (as
// many as libphonenumber's example number of that type has), and keeps their
// first four digits as prefixes; Generate() draws a prefix and the remaining
// digits, and redraws until libphonenumber says the number is valid.
//
// Thread safety: Generate is const; give each thread its own SplitMix64.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace contactd::bench {

// A small deterministic random generator (SplitMix64).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // True with probability p.
  bool Chance(double p) {
    return static_cast<double>(Next() >> 11) * 0x1p-53 < p;
  }

 private:
  uint64_t state_;
};

struct GeneratedPhone {
  std::string e164;
  std::string entered;
  std::string national;
  std::string region;  // ISO 3166 of the number's country
  bool mobile = true;
};

class PhonePlan {
 public:
  // Errors: Internal when libphonenumber has no valid numbers for a country
  // (its metadata changed).
  static absl::StatusOr<PhonePlan> Create();

  GeneratedPhone Generate(SplitMix64& rng) const;

  // libphonenumber's verdict on an E.164 string (for tests and checks).
  static bool IsValidE164(const std::string& e164);
  // The national format and the region of a valid E.164 number; false if
  // it does not parse.
  static bool NationalFormat(const std::string& e164, std::string& national,
                             std::string& region);

 private:
  struct Country {
    std::string region;
    int weight = 0;  // share in percent
    int country_code = 0;
    // [0]: fixed line, [1]: mobile.
    std::vector<std::string> prefixes[2];
    std::vector<std::string> samples[2];  // whole valid national numbers
    size_t length[2] = {0, 0};
  };
  PhonePlan() = default;

  std::vector<Country> countries_;
};

}  // namespace contactd::bench
