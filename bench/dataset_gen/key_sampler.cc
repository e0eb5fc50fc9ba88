#include "bench/dataset_gen/key_sampler.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "bench/harness/redis_keys.h"

namespace contactd::bench {
namespace {

// Every (tenant, e164) and (tenant, address) the dataset holds, as the
// Redis key naming them (which is what a miss must not be).
absl::flat_hash_set<std::string> StoredKeys(
    const std::vector<index::ContactRecord::Ptr>& stored) {
  absl::flat_hash_set<std::string> keys;
  keys.reserve(stored.size() * 3);
  for (const index::ContactRecord::Ptr& r : stored) {
    const index::Contact c = r->ToContact();
    for (const index::PhoneNumber& p : c.phone_numbers) {
      keys.insert(RedisPhoneKey(c.customer_id, p.number_e164));
    }
    for (const index::Email& e : c.emails) {
      keys.insert(RedisEmailKey(c.customer_id, e.address));
    }
  }
  return keys;
}

std::string Capitalize(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') {
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
  }
  return s;
}

absl::StatusOr<LookupKey> PhoneHit(const index::Contact& c, SplitMix64& rng) {
  const index::PhoneNumber& p =
      c.phone_numbers[rng.Below(c.phone_numbers.size())];
  LookupKey key{.kind = KeyKind::kPhone,
                .hit = true,
                .tenant = c.customer_id,
                .input = p.number_e164,
                .redis_key = RedisPhoneKey(c.customer_id, p.number_e164)};
  const uint64_t style = rng.Below(10);
  if (style < 2) {
    key.input = p.number;  // as entered (the import's region, US)
    key.region = "US";
  } else if (style < 5) {
    if (!PhonePlan::NationalFormat(p.number_e164, key.input, key.region)) {
      return absl::InternalError(
          absl::StrCat("stored number does not parse: ", p.number_e164));
    }
  }
  return key;
}

LookupKey EmailHit(const index::Contact& c, SplitMix64& rng) {
  const index::Email& e = c.emails[rng.Below(c.emails.size())];
  return {.kind = KeyKind::kEmail,
          .hit = true,
          .tenant = c.customer_id,
          .input = rng.Chance(0.4) ? Capitalize(e.address) : e.address,
          .redis_key = RedisEmailKey(c.customer_id, e.address)};
}

LookupKey PhoneMiss(const index::Uuid& tenant, const PhonePlan& plan,
                    const absl::flat_hash_set<std::string>& stored,
                    SplitMix64& rng) {
  while (true) {
    GeneratedPhone g = plan.Generate(rng);
    LookupKey key{.kind = KeyKind::kPhone,
                  .hit = false,
                  .tenant = tenant,
                  .input = g.e164,
                  .redis_key = RedisPhoneKey(tenant, g.e164)};
    if (stored.contains(key.redis_key)) continue;
    if (rng.Chance(0.3)) {
      key.input = g.national;
      key.region = g.region;
    }
    return key;
  }
}

LookupKey EmailMiss(const index::Uuid& tenant,
                    const absl::flat_hash_set<std::string>& stored,
                    SplitMix64& rng) {
  while (true) {
    const std::string address = absl::StrCat(
        "unknown.caller.", rng.Below(1'000'000'000), "@example.net");
    LookupKey key{.kind = KeyKind::kEmail,
                  .hit = false,
                  .tenant = tenant,
                  .input = address,
                  .redis_key = RedisEmailKey(tenant, address)};
    if (!stored.contains(key.redis_key)) return key;
  }
}

}  // namespace

absl::StatusOr<std::vector<LookupKey>> SampleKeys(
    const std::vector<index::ContactRecord::Ptr>& stored, const PhonePlan& plan,
    const KeySampleOptions& options) {
  if (stored.empty()) return absl::InvalidArgumentError("no contacts");
  const absl::flat_hash_set<std::string> stored_keys = StoredKeys(stored);
  SplitMix64 rng(options.seed);
  std::vector<LookupKey> keys;
  keys.reserve(options.keys);
  for (size_t k = 0; k < options.keys; ++k) {
    const index::Contact c = stored[rng.Below(stored.size())]->ToContact();
    const uint64_t kind = rng.Below(100);
    if (kind < 60) {
      absl::StatusOr<LookupKey> key = PhoneHit(c, rng);
      if (!key.ok()) return key.status();
      keys.push_back(*std::move(key));
    } else if (kind < 80) {
      keys.push_back(EmailHit(c, rng));
    } else if (kind < 95) {
      keys.push_back(PhoneMiss(c.customer_id, plan, stored_keys, rng));
    } else {
      keys.push_back(EmailMiss(c.customer_id, stored_keys, rng));
    }
  }
  return keys;
}

}  // namespace contactd::bench
