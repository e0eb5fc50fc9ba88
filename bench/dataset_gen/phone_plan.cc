#include "bench/dataset_gen/phone_plan.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "absl/strings/str_cat.h"

namespace contactd::bench {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr size_t kPrefixDigits = 4;
constexpr int kSamples = 64;

struct CountryShare {
  const char* region;
  int weight;
};
constexpr CountryShare kCountries[] = {{"US", 55}, {"GB", 10}, {"DE", 8},
                                       {"FR", 7},  {"IN", 6},  {"BR", 5},
                                       {"AU", 5},  {"ES", 4}};

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

std::string Format(const PhoneNumber& number,
                   PhoneNumberUtil::PhoneNumberFormat format) {
  std::string out;
  Util().Format(number, format, &out);
  return out;
}

PhoneNumber Make(int country_code, const std::string& national) {
  PhoneNumber number;
  number.set_country_code(country_code);
  number.set_national_number(std::stoull(national));
  return number;
}

// `prefix` followed by random digits up to `length` digits.
std::string Fill(std::string prefix, size_t length, SplitMix64& rng) {
  while (prefix.size() < length) {
    prefix.push_back(static_cast<char>('0' + rng.Below(10)));
  }
  return prefix;
}

}  // namespace

absl::StatusOr<PhonePlan> PhonePlan::Create() {
  PhonePlan plan;
  SplitMix64 rng(0x9a7e'0001);
  for (const CountryShare& share : kCountries) {
    Country country;
    country.region = share.region;
    country.weight = share.weight;
    country.country_code = Util().GetCountryCodeForRegion(share.region);
    for (int mobile = 0; mobile < 2; ++mobile) {
      PhoneNumber example;
      if (!Util().GetExampleNumberForType(
              share.region,
              mobile ? PhoneNumberUtil::MOBILE : PhoneNumberUtil::FIXED_LINE,
              &example)) {
        return absl::InternalError(absl::StrCat(
            "libphonenumber: no example number for ", share.region));
      }
      const std::string digits = absl::StrCat(example.national_number());
      country.length[mobile] = digits.size();
      for (int attempt = 0;
           attempt < 100'000 && country.samples[mobile].size() < kSamples;
           ++attempt) {
        const std::string national =
            Fill(std::string(1, static_cast<char>('1' + rng.Below(9))),
                 digits.size(), rng);
        if (!Util().IsValidNumber(Make(country.country_code, national))) {
          continue;
        }
        country.samples[mobile].push_back(national);
        country.prefixes[mobile].push_back(national.substr(0, kPrefixDigits));
      }
      if (country.samples[mobile].empty()) {
        return absl::InternalError(absl::StrCat(
            "libphonenumber: no valid number found for ", share.region));
      }
    }
    plan.countries_.push_back(std::move(country));
  }
  return plan;
}

GeneratedPhone PhonePlan::Generate(SplitMix64& rng) const {
  uint64_t pick = rng.Below(100);
  const Country* country = &countries_.back();
  for (const Country& c : countries_) {
    if (pick < static_cast<uint64_t>(c.weight)) {
      country = &c;
      break;
    }
    pick -= static_cast<uint64_t>(c.weight);
  }
  const int mobile = rng.Chance(0.7) ? 1 : 0;
  const std::vector<std::string>& prefixes = country->prefixes[mobile];
  std::string national;
  PhoneNumber number;
  for (int attempt = 0;; ++attempt) {
    national = attempt < 16
                   ? Fill(prefixes[rng.Below(prefixes.size())],
                          country->length[mobile], rng)
                   : country->samples[mobile][rng.Below(kSamples) %
                                              country->samples[mobile].size()];
    number = Make(country->country_code, national);
    if (attempt >= 16 || Util().IsValidNumber(number)) break;
  }
  GeneratedPhone out;
  out.e164 = Format(number, PhoneNumberUtil::E164);
  out.national = Format(number, PhoneNumberUtil::NATIONAL);
  out.region = country->region;
  out.mobile = mobile == 1;
  const uint64_t style = rng.Below(10);
  if (country->region == "US" && style < 4) {
    out.entered = out.national;  // "(201) 555-0123": read with region US
  } else if (style < 7) {
    out.entered = Format(number, PhoneNumberUtil::INTERNATIONAL);
  } else {
    out.entered = out.e164;
  }
  return out;
}

bool PhonePlan::IsValidE164(const std::string& e164) {
  PhoneNumber number;
  if (Util().Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  return Util().IsValidNumber(number) &&
         Format(number, PhoneNumberUtil::E164) == e164;
}

bool PhonePlan::NationalFormat(const std::string& e164, std::string& national,
                               std::string& region) {
  PhoneNumber number;
  if (Util().Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  national = Format(number, PhoneNumberUtil::NATIONAL);
  Util().GetRegionCodeForNumber(number, &region);
  return !region.empty() && region != "ZZ";
}

}  // namespace contactd::bench
