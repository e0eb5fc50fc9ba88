// Tests for snapshot::Database: writes survive restarts, checkpoints bound
// the WAL, reloads swap the dataset atomically and durably, and failures
// (fsync, full disk, damaged files) end as the design says.

#include "snapshot/database.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/epoch.h"
#include "snapshot/snapshot_format.h"
#include "snapshot/snapshot_writer.h"
#include "snapshot/wal_format.h"
#include "tests/snapshot/fault_injecting_file_system.h"

namespace contactd::snapshot {
namespace {

namespace fs = std::filesystem;
using index::Contact;
using index::ContactRecord;
using index::Uuid;
using testing::FaultInjectingFileSystem;

const Uuid kTenant = *Uuid::Parse("6f1c2a4e-0b7d-4c53-9a8e-2d4f6b8c0e13");

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat(
               "database_test_", ::getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  DatabaseOptions Options() {
    DatabaseOptions o;
    o.dir = dir_.string();
    o.checkpoint_wal_bytes = 0;  // tests checkpoint explicitly
    o.fs = &fs_;
    o.on_fatal = [this](const absl::Status& s) { fatal_.push_back(s); };
    return o;
  }
  std::unique_ptr<Database> Open(DatabaseOptions o) {
    auto db = Database::Open(std::move(o));
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }
  std::unique_ptr<Database> Open() { return Open(Options()); }

  std::vector<std::string> Files() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  size_t CountFiles(std::string_view prefix) {
    size_t n = 0;
    for (const std::string& f : Files()) n += f.starts_with(prefix);
    return n;
  }

  fs::path dir_;
  FaultInjectingFileSystem fs_;
  std::vector<absl::Status> fatal_;
};

Contact MakeContact(int i, std::string first = "v0") {
  Contact c;
  c.customer_id = kTenant;
  c.first_name = std::move(first);
  c.last_name = absl::StrCat("n", i);
  c.external_id = absl::StrCat("crm-", i);
  c.phone_numbers.push_back({.number = absl::StrCat("+1555", 2000000 + i)});
  c.tags = {"t"};
  return c;
}

// Every contact, by id.
std::map<std::string, Contact> Contents(Database& db) {
  std::map<std::string, Contact> out;
  index::EpochGuard guard;
  db.store().Freeze([] {}).ForEach([&](const ContactRecord& r) {
    out.emplace(r.id().ToString(), r.ToContact());
  });
  return out;
}

Uuid Put(Database& db, const Contact& c) {
  auto result = db.store().Upsert(c);
  EXPECT_TRUE(result.ok()) << result.status();
  db.CommitBatch();
  return result.ok() ? result->contact.id : Uuid();
}

TEST_F(DatabaseTest, WritesSurviveARestart) {
  std::map<std::string, Contact> before;
  {
    auto db = Open();
    std::vector<Uuid> ids;
    for (int i = 0; i < 50; ++i) ids.push_back(Put(*db, MakeContact(i)));
    ASSERT_TRUE(db->store().Delete(kTenant, ids[3]).ok());
    ASSERT_TRUE(db->store().AddTag(kTenant, ids[4], "vip").ok());
    ASSERT_TRUE(
        db->store().UpdateFields(kTenant, ids[5], {.company = "Acme"}).ok());
    db->CommitBatch();
    before = Contents(*db);
    EXPECT_EQ(db->stats().wal_last_sequence, 53u);
  }
  auto db = Open();
  EXPECT_EQ(db->recovery().wal_records_replayed, 53u);
  EXPECT_EQ(db->recovery().last_sequence, 53u);
  EXPECT_EQ(Contents(*db), before);
  EXPECT_EQ(before.size(), 49u);
  // And the log goes on from there.
  Put(*db, MakeContact(100));
  EXPECT_EQ(db->stats().wal_last_sequence, 54u);
}

TEST_F(DatabaseTest, CheckpointBoundsTheLogAndRecoveryUsesIt) {
  std::map<std::string, Contact> before;
  {
    DatabaseOptions o = Options();
    o.wal_segment_bytes = 4096;  // many segments
    auto db = Open(o);
    for (int i = 0; i < 200; ++i) Put(*db, MakeContact(i));
    const uint64_t segments = db->stats().wal_segments;
    EXPECT_GT(segments, 3u);
    auto done = db->Checkpoint();
    ASSERT_TRUE(done.ok()) << done.status();
    EXPECT_EQ(done->sequence, 200u);
    EXPECT_EQ(done->contacts, 200u);
    EXPECT_LT(db->stats().wal_segments, segments);
    for (int i = 200; i < 230; ++i) Put(*db, MakeContact(i));
    ASSERT_TRUE(db->Checkpoint().ok());
    for (int i = 230; i < 240; ++i) Put(*db, MakeContact(i));
    before = Contents(*db);
  }
  EXPECT_EQ(CountFiles("snapshot-"), 1u) << "older snapshots are removed";
  auto db = Open();
  EXPECT_EQ(db->recovery().snapshot_sequence, 230u);
  EXPECT_EQ(db->recovery().snapshot_contacts, 230u);
  EXPECT_EQ(db->recovery().wal_records_replayed, 10u);
  EXPECT_EQ(Contents(*db), before);
}

TEST_F(DatabaseTest, CheckpointIsConsistentWhileWritesGoOn) {
  std::map<std::string, Contact> at_close;
  {
    auto db = Open();
    std::vector<Uuid> ids;
    for (int i = 0; i < 2000; ++i) ids.push_back(Put(*db, MakeContact(i)));
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      for (int round = 1; !stop.load(); ++round) {
        for (size_t i = 0; i < ids.size(); i += 13) {
          db->store()
              .UpdateFields(kTenant, ids[i],
                            {.first_name = absl::StrCat("v", round)})
              .IgnoreError();
        }
        db->CommitBatch();
      }
    });
    for (int i = 0; i < 3; ++i) {
      auto done = db->Checkpoint();
      ASSERT_TRUE(done.ok()) << done.status();
      EXPECT_EQ(done->contacts, 2000u);
    }
    stop = true;
    writer.join();
    at_close = Contents(*db);
  }
  auto db = Open();
  EXPECT_EQ(Contents(*db), at_close);
}

// Writes a snapshot file of `contacts` (resolved through a scratch store).
std::string WriteExternalSnapshot(const fs::path& path, int first, int count,
                                  std::string name) {
  auto store = *index::ContactStore::Create("US");
  for (int i = first; i < first + count; ++i) {
    EXPECT_TRUE(store->Upsert(MakeContact(i, name)).ok());
  }
  auto writer = SnapshotWriter::Create(path.string(), 0);
  EXPECT_TRUE(writer.ok()) << writer.status();
  index::EpochGuard guard;
  store->Freeze([] {}).ForEach(
      [&](const ContactRecord& r) { EXPECT_TRUE((*writer)->Add(r).ok()); });
  EXPECT_TRUE((*writer)->Finish().ok());
  return path.string();
}

TEST_F(DatabaseTest, ReloadSwapsTheDatasetDurably) {
  const fs::path external =
      fs::path(::testing::TempDir()) / absl::StrCat("reload_", ::getpid());
  const std::string file = WriteExternalSnapshot(external, 1000, 300, "crm");
  std::map<std::string, Contact> before;
  {
    auto db = Open();
    for (int i = 0; i < 20; ++i) Put(*db, MakeContact(i));
    auto reloaded = db->Reload(file);
    ASSERT_TRUE(reloaded.ok()) << reloaded.status();
    EXPECT_EQ(reloaded->contacts, 300u);
    EXPECT_EQ(reloaded->sequence, 20u);
    auto contents = Contents(*db);
    ASSERT_EQ(contents.size(), 300u);
    for (const auto& [id, c] : contents) EXPECT_EQ(c.first_name, "crm");
    Put(*db, MakeContact(5000, "after"));  // writes go on, logged
    before = Contents(*db);
  }
  fs::remove(external);
  EXPECT_EQ(CountFiles("snapshot-"), 1u);
  EXPECT_EQ(CountFiles(kReloadPendingFile), 0u);
  auto db = Open();
  EXPECT_EQ(db->recovery().snapshot_sequence, 20u);
  EXPECT_EQ(db->recovery().wal_records_replayed, 1u);
  EXPECT_EQ(Contents(*db), before);
}

TEST_F(DatabaseTest, ABadReloadFileChangesNothing) {
  const fs::path external =
      fs::path(::testing::TempDir()) / absl::StrCat("bad_reload_", ::getpid());
  const std::string file = WriteExternalSnapshot(external, 0, 50, "crm");
  {  // flip a byte in the middle
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    f.put('\x5a');
  }
  auto db = Open();
  for (int i = 0; i < 10; ++i) Put(*db, MakeContact(i));
  const auto before = Contents(*db);
  auto refused = db->Reload(file);
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(absl::StrContains(refused.status().message(), file))
      << refused.status();
  EXPECT_EQ(db->Reload((dir_ / "missing.snap").string()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Contents(*db), before);
  EXPECT_EQ(CountFiles(kReloadPendingFile), 0u);
  fs::remove(external);
}

TEST_F(DatabaseTest, LookupsNeverFailDuringAReload) {
  const fs::path external =
      fs::path(::testing::TempDir()) / absl::StrCat("reload_live_", ::getpid());
  // Both datasets hold contact 7's phone.
  const std::string file = WriteExternalSnapshot(external, 0, 2000, "new");
  auto db = Open();
  for (int i = 0; i < 2000; ++i) Put(*db, MakeContact(i, "old"));
  const auto number = *index::E164Number::FromStrict("+15552000007");
  std::atomic<bool> stop{false};
  std::atomic<int> misses{0}, lookups{0};
  std::thread reader([&] {
    while (!stop.load()) {
      index::EpochGuard guard;
      if (!db->store().index().FindByPhone(kTenant, number).first) ++misses;
      ++lookups;
    }
  });
  while (lookups.load() == 0) std::this_thread::yield();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(db->Reload(file).ok());
  stop = true;
  reader.join();
  EXPECT_EQ(misses.load(), 0);
  EXPECT_GT(lookups.load(), 0);
  fs::remove(external);
}

TEST_F(DatabaseTest, AFailedFsyncIsFatal) {
  auto db = Open();
  Put(*db, MakeContact(1));
  EXPECT_TRUE(fatal_.empty());
  fs_.FailSyncsAfter(0);
  ASSERT_TRUE(db->store().Upsert(MakeContact(2)).ok());
  db->CommitBatch();
  ASSERT_EQ(fatal_.size(), 1u);
  EXPECT_TRUE(absl::StrContains(fatal_[0].message(), "fsync")) << fatal_[0];
  fs_.Heal();
}

TEST_F(DatabaseTest, AFailedFsyncWhileRotatingIsFatalToo) {
  DatabaseOptions o = Options();
  o.wal_segment_bytes = 4096;
  auto db = Open(o);
  Put(*db, MakeContact(1));
  fs_.FailSyncsAfter(0);
  // A snapshot that cannot be synced only fails its checkpoint ...
  EXPECT_FALSE(db->Checkpoint().ok());
  EXPECT_TRUE(fatal_.empty());
  // ... but an append to a full segment syncs the WAL to rotate it: the
  // write fails, fatally.
  absl::Status failed;
  for (int i = 2; i < 100 && failed.ok(); ++i) {
    failed = db->store().Upsert(MakeContact(i)).status();
  }
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(fatal_.empty());
  fs_.Heal();
}

TEST_F(DatabaseTest, AFullDiskFailsWritesWithoutLosingAny) {
  std::map<std::string, Contact> before;
  {
    auto db = Open();
    for (int i = 0; i < 10; ++i) Put(*db, MakeContact(i));
    before = Contents(*db);
    fs_.SetFreeBytes(30);  // less than one record
    auto refused = db->store().Upsert(MakeContact(10));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted)
        << refused.status();
    EXPECT_EQ(Contents(*db), before) << "a refused write is not applied";
    fs_.Heal();
    Put(*db, MakeContact(11));
    before = Contents(*db);
  }
  auto db = Open();
  EXPECT_EQ(Contents(*db), before);
  EXPECT_TRUE(fatal_.empty());
}

TEST_F(DatabaseTest, CheckpointsHappenAutomatically) {
  DatabaseOptions o = Options();
  o.checkpoint_wal_bytes = 8192;
  auto db = Open(o);
  for (int i = 0; i < 200; ++i) Put(*db, MakeContact(i));
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (db->stats().checkpoints == 0 && absl::Now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_GE(db->stats().checkpoints, 1u);
}

TEST_F(DatabaseTest, RecoveryRemovesUnfinishedFiles) {
  {
    auto db = Open();
    Put(*db, MakeContact(1));
  }
  std::ofstream(dir_ / "snapshot-00000000000000000009.snap.tmp") << "partial";
  std::ofstream(dir_ / kReloadPendingFile) << "partial";
  auto db = Open();
  EXPECT_EQ(CountFiles("snapshot-"), 0u);
  EXPECT_EQ(CountFiles(kReloadPendingFile), 0u);
  EXPECT_EQ(db->recovery().warnings.size(), 2u);
  EXPECT_EQ(Contents(*db).size(), 1u);
}

TEST_F(DatabaseTest, ADamagedSnapshotStopsStartUpUnlessSalvaged) {
  {
    auto db = Open();
    for (int i = 0; i < 100; ++i) Put(*db, MakeContact(i));
    ASSERT_TRUE(db->Checkpoint().ok());
    Put(*db, MakeContact(100));
  }
  const fs::path snapshot = dir_ / SnapshotFileName(100);
  ASSERT_TRUE(fs::exists(snapshot));
  {
    std::fstream f(snapshot, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(snapshot) - 40));
    f.put('\x01');
  }
  auto refused = Database::Open(Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(refused.status().message(),
                                snapshot.filename().string()))
      << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "offset"))
      << refused.status();

  DatabaseOptions salvage = Options();
  salvage.salvage = true;
  auto db = Open(salvage);
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->recovery().salvaged);
  EXPECT_FALSE(db->recovery().warnings.empty());
  // The salvaged state is checkpointed: the next start needs no salvage.
  db.reset();
  EXPECT_NE(Open(), nullptr);
}

}  // namespace
}  // namespace contactd::snapshot
