#include "bench/dataset_gen/phone_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "index/phone_normalizer.h"

namespace contactd::bench {
namespace {

TEST(PhonePlanTest, EveryNumberIsValidForLibphonenumber) {
  absl::StatusOr<PhonePlan> plan = PhonePlan::Create();
  ASSERT_TRUE(plan.ok()) << plan.status();
  absl::StatusOr<index::PhoneNormalizer> us =
      index::PhoneNormalizer::Create("US");
  ASSERT_TRUE(us.ok());
  SplitMix64 rng(1);
  std::set<std::string> regions;
  int national_us = 0;
  for (int i = 0; i < 20'000; ++i) {
    const GeneratedPhone p = plan->Generate(rng);
    ASSERT_TRUE(PhonePlan::IsValidE164(p.e164)) << p.e164;
    // As entered, read with the import's region (US), it is the same number.
    absl::StatusOr<index::E164Number> entered = us->Normalize(p.entered);
    ASSERT_TRUE(entered.ok()) << p.entered << ": " << entered.status();
    EXPECT_EQ(entered->ToString(), p.e164) << p.entered;
    // In national format with its region, too.
    absl::StatusOr<index::E164Number> national =
        us->Normalize(p.national, p.region);
    ASSERT_TRUE(national.ok()) << p.national << " " << p.region;
    EXPECT_EQ(national->ToString(), p.e164);
    regions.insert(p.region);
    national_us += p.entered == p.national;
  }
  EXPECT_EQ(regions.size(), 8u);
  EXPECT_GT(national_us, 0);
}

TEST(PhonePlanTest, SameSeedSameNumbers) {
  absl::StatusOr<PhonePlan> plan = PhonePlan::Create();
  ASSERT_TRUE(plan.ok());
  SplitMix64 a(9), b(9);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(plan->Generate(a).e164, plan->Generate(b).e164);
  }
}

TEST(PhonePlanTest, InvalidNumbersAreRejected) {
  EXPECT_FALSE(PhonePlan::IsValidE164("+1555"));
  EXPECT_FALSE(PhonePlan::IsValidE164("+10000000000"));
  EXPECT_FALSE(PhonePlan::IsValidE164("not a number"));
}

}  // namespace
}  // namespace contactd::bench
