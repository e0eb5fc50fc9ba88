#include <gtest/gtest.h>

#include "bench/harness/workload.h"

namespace contactd::bench {
namespace {

Workload MakeWorkload() {
  Workload w;
  for (int i = 0; i < 40; ++i) {
    LookupKey key;
    key.kind = i % 4 < 2 ? KeyKind::kEmail : KeyKind::kPhone;
    key.hit = i % 2 == 0;
    key.input = std::to_string(i);
    key.redis_key = key.input;
    w.keys.push_back(key);
  }
  w.writes.resize(3);
  return w;
}

TEST(RequestPickerTest, FollowsTheRatios) {
  const Workload w = MakeWorkload();
  RequestPicker picker(
      w, {.hit_ratio = 0.8, .email_ratio = 0.25, .write_ratio = 0.1}, 0);
  int writes = 0, hits = 0, emails = 0, lookups = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    const Op op = picker.Next();
    if (op.kind == OpKind::kWrite) {
      ++writes;
      ASSERT_LT(op.index, w.writes.size());
      continue;
    }
    ++lookups;
    const LookupKey& key = w.keys.at(op.index);
    hits += key.hit;
    emails += key.kind == KeyKind::kEmail;
  }
  EXPECT_NEAR(writes / double(n), 0.1, 0.01);
  EXPECT_NEAR(hits / double(lookups), 0.8, 0.01);
  EXPECT_NEAR(emails / double(lookups), 0.25, 0.01);
}

TEST(RequestPickerTest, SameSeedAndStreamSameRequests) {
  const Workload w = MakeWorkload();
  RequestPicker a(w, {.seed = 3}, 1), b(w, {.seed = 3}, 1),
      c(w, {.seed = 3}, 2);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const Op x = a.Next(), y = b.Next(), z = c.Next();
    EXPECT_EQ(x.index, y.index);
    differs = differs || x.index != z.index;
  }
  EXPECT_TRUE(differs);
}

TEST(RequestPickerTest, AnEmptyClassFallsBackToAnother) {
  Workload w;
  w.keys.push_back(
      {.kind = KeyKind::kPhone, .hit = true, .input = "1", .redis_key = "1"});
  RequestPicker picker(w, {.hit_ratio = 0.0, .email_ratio = 1.0}, 0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(picker.Next().index, 0u);
}

}  // namespace
}  // namespace contactd::bench
