// The dataset generator end to end, in a temporary directory: the snapshot
// comes out of the import path, and every key of the key list is what it
// says (a hit names a stored number or address, a miss does not).

#include "bench/dataset_gen/dataset_builder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "absl/container/flat_hash_set.h"
#include "bench/dataset_gen/phone_plan.h"
#include "bench/harness/key_list.h"
#include "bench/harness/redis_keys.h"
#include "bench/harness/workload.h"
#include "index/email_normalizer.h"
#include "index/phone_normalizer.h"
#include "snapshot/snapshot_reader.h"

namespace contactd::bench {
namespace {

class DatasetBuilderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new std::string((std::filesystem::temp_directory_path() /
                         ("dataset_builder_test_" + std::to_string(::getpid())))
                            .string());
    summary_ = new absl::StatusOr<nlohmann::json>(
        GenerateDataset({.out_dir = *dir_,
                         .contacts = 3'000,
                         .tenants = 7,
                         .keys = 4'000,
                         .writes = 50,
                         .progress = false}));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete summary_;
    delete dir_;
  }
  static std::string* dir_;
  static absl::StatusOr<nlohmann::json>* summary_;
};
std::string* DatasetBuilderTest::dir_ = nullptr;
absl::StatusOr<nlohmann::json>* DatasetBuilderTest::summary_ = nullptr;

TEST_F(DatasetBuilderTest, SnapshotHoldsEveryContactWithValidNumbers) {
  ASSERT_TRUE(summary_->ok()) << summary_->status();
  absl::StatusOr<snapshot::LoadedSnapshot> loaded =
      snapshot::LoadSnapshot(DatasetSnapshotPath(*dir_));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->records.size(), 3'000u);
  absl::flat_hash_set<index::Uuid> tenants;
  for (const auto& r : loaded->records) {
    const index::Contact c = r->ToContact();
    tenants.insert(c.customer_id);
    ASSERT_GE(c.phone_numbers.size(), 1u);
    ASSERT_GE(c.emails.size(), 1u);
    EXPECT_FALSE(c.external_id.empty());
    for (const auto& p : c.phone_numbers) {
      EXPECT_TRUE(PhonePlan::IsValidE164(p.number_e164)) << p.number_e164;
    }
  }
  EXPECT_EQ(tenants.size(), 7u);
  EXPECT_EQ((**summary_)["contacts"], 3'000);
}

TEST_F(DatasetBuilderTest, KeysAreHitsAndMissesAsLabelled) {
  ASSERT_TRUE(summary_->ok()) << summary_->status();
  absl::StatusOr<snapshot::LoadedSnapshot> loaded =
      snapshot::LoadSnapshot(DatasetSnapshotPath(*dir_));
  ASSERT_TRUE(loaded.ok());
  absl::flat_hash_set<std::string> stored;
  for (const auto& r : loaded->records) {
    const index::Contact c = r->ToContact();
    for (const auto& p : c.phone_numbers) {
      stored.insert(RedisPhoneKey(c.customer_id, p.number_e164));
    }
    for (const auto& e : c.emails) {
      stored.insert(RedisEmailKey(c.customer_id, e.address));
    }
  }
  absl::StatusOr<std::vector<LookupKey>> keys =
      ReadKeyList(*dir_ + "/keys.tsv");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 4'000u);
  absl::StatusOr<index::PhoneNormalizer> phones =
      index::PhoneNormalizer::Create("US");
  ASSERT_TRUE(phones.ok());
  int kinds[2][2] = {};
  int national = 0;
  for (const LookupKey& key : *keys) {
    EXPECT_EQ(stored.contains(key.redis_key), key.hit) << key.redis_key;
    ++kinds[key.kind == KeyKind::kEmail][key.hit];
    // The input, normalized as the server does, is the Redis key's.
    std::string normalized;
    if (key.kind == KeyKind::kPhone) {
      absl::StatusOr<index::E164Number> n =
          phones->Normalize(key.input, key.region);
      ASSERT_TRUE(n.ok()) << key.input << " " << key.region;
      EXPECT_EQ(RedisPhoneKey(key.tenant, n->ToString()), key.redis_key);
      national += key.input[0] != '+';
    } else {
      absl::StatusOr<index::NormalizedEmail> e =
          index::NormalizeEmail(key.input);
      ASSERT_TRUE(e.ok()) << key.input;
      EXPECT_EQ(RedisEmailKey(key.tenant, e->view()), key.redis_key);
    }
  }
  for (auto& by_kind : kinds) {
    for (int count : by_kind) EXPECT_GT(count, 0);
  }
  EXPECT_GT(national, 0);
}

TEST_F(DatasetBuilderTest, WritesParseWithTheirRedisKeys) {
  ASSERT_TRUE(summary_->ok()) << summary_->status();
  absl::StatusOr<std::vector<WriteOp>> writes =
      ReadWrites(*dir_ + "/writes.jsonl");
  ASSERT_TRUE(writes.ok()) << writes.status();
  ASSERT_EQ(writes->size(), 50u);
  for (const WriteOp& w : *writes) {
    EXPECT_FALSE(w.contact.id.is_nil());
    EXPECT_EQ(w.redis_keys.size(),
              w.contact.phone_numbers.size() + w.contact.emails.size());
  }
}

}  // namespace
}  // namespace contactd::bench
