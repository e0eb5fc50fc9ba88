// Snapshot files end to end: write, load, round trips, the write protocol
// under injected faults, SetSnapshotSequence, ReadSnapshotInfo.
// Corruption: snapshot_corruption_test.cc. Bytes: snapshot_format_test.cc.

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "snapshot/snapshot_reader.h"
#include "snapshot/snapshot_writer.h"
#include "tests/protocol/test_contacts.h"
#include "tests/snapshot/fault_injecting_file_system.h"
#include "tests/snapshot/snapshot_test_util.h"

namespace contactd::snapshot::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class SnapshotRoundTripTest : public SnapshotTest,
                              public ::testing::WithParamInterface<int> {
 protected:
  // Writes `records`, loads them back with GetParam() threads, and checks
  // that every record and the info survived.
  void RoundTrip(const std::vector<index::ContactRecord::Ptr>& records) {
    const std::string path = PathOf(SnapshotFileName(99));
    auto info = WriteSnapshot(path, records, 99);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->contact_count, records.size());
    EXPECT_EQ(info->last_sequence, 99u);
    EXPECT_EQ(info->bytes, std::filesystem::file_size(path));
    EXPECT_FALSE(FileExists(path + ".tmp"));

    auto loaded = LoadSnapshot(path, {.threads = GetParam()});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->info.last_sequence, 99u);
    EXPECT_EQ(loaded->info.contact_count, records.size());
    EXPECT_EQ(loaded->info.bytes, info->bytes);
    EXPECT_EQ(loaded->info.created, info->created);
    EXPECT_THAT(loaded->salvaged, IsEmpty());
    ASSERT_EQ(loaded->records.size(), records.size());
    EXPECT_EQ(Contacts(loaded->records), Contacts(records));
  }
};

TEST_P(SnapshotRoundTripTest, NoContacts) { RoundTrip({}); }

TEST_P(SnapshotRoundTripTest, OneContact) { RoundTrip(StoredRecords(1)); }

TEST_P(SnapshotRoundTripTest, ManyContactsAcrossSeveralBlocks) {
  const auto records = StoredRecords(12000);
  RoundTrip(records);
  const std::string bytes = ReadFileBytes(PathOf(SnapshotFileName(99)));
  EXPECT_GE(LayoutOf(bytes).block_starts.size(), 3u);
}

TEST_P(SnapshotRoundTripTest, LargeContactsFewPerBlock) {
  RoundTrip(StoredRecords(1000, /*notes_bytes=*/4000));
}

INSTANTIATE_TEST_SUITE_P(Threads, SnapshotRoundTripTest,
                         ::testing::Values(1, 2, 5));

class SnapshotWriterTest : public SnapshotTest {};

TEST_F(SnapshotWriterTest, BlocksAreAboutOneMebibyte) {
  const std::string path = PathOf("s.snap");
  ASSERT_TRUE(WriteSnapshot(path, StoredRecords(12000), 1).ok());
  const std::string bytes = ReadFileBytes(path);
  const FileLayout layout = LayoutOf(bytes);
  ASSERT_GE(layout.block_starts.size(), 3u);
  for (size_t i = 0; i + 1 < layout.block_starts.size(); ++i) {
    const size_t size = layout.block_starts[i + 1] - layout.block_starts[i];
    EXPECT_GE(size, kTargetBlockBytes);
    EXPECT_LT(size, kTargetBlockBytes + 4096);
  }
}

TEST_F(SnapshotWriterTest, OnlyTheTemporaryFileExistsBeforeFinish) {
  const std::string path = PathOf(SnapshotFileName(5));
  auto writer = SnapshotWriter::Create(path, 5);
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (const auto& r : StoredRecords(6000))
    ASSERT_TRUE((*writer)->Add(*r).ok());
  EXPECT_TRUE(FileExists(path + ".tmp"));
  EXPECT_FALSE(FileExists(path));
  ASSERT_TRUE((*writer)->Finish().ok());
  EXPECT_TRUE(FileExists(path));
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, DestroyedWithoutFinishLeavesNothing) {
  const std::string path = PathOf(SnapshotFileName(5));
  {
    auto writer = SnapshotWriter::Create(path, 5);
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (const auto& r : StoredRecords(6000)) {
      ASSERT_TRUE((*writer)->Add(*r).ok());
    }
  }
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, ReplacesAStaleTemporaryFile) {
  const std::string path = PathOf(SnapshotFileName(5));
  WriteFileBytes(path + ".tmp", "left over by a crash");
  ASSERT_TRUE(WriteSnapshot(path, StoredRecords(3), 5).ok());
  EXPECT_TRUE(LoadSnapshot(path).ok());
}

TEST_F(SnapshotWriterTest, FileSyncFailureLeavesNoFile) {
  FaultInjectingFileSystem fs;
  fs.FailSyncsAfter(0);
  const std::string path = PathOf(SnapshotFileName(5));
  auto info = WriteSnapshot(path, StoredRecords(100), 5, fs);
  EXPECT_TRUE(absl::IsUnavailable(info.status())) << info.status();
  EXPECT_THAT(std::string(info.status().message()), HasSubstr("fsync"));
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, DirectorySyncFailureLeavesNoFile) {
  FaultInjectingFileSystem fs;
  fs.FailSyncsAfter(1);  // the file's sync succeeds, the directory's fails
  const std::string path = PathOf(SnapshotFileName(5));
  auto info = WriteSnapshot(path, StoredRecords(100), 5, fs);
  EXPECT_TRUE(absl::IsUnavailable(info.status())) << info.status();
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, FullDiskFailsAndLeavesNoFile) {
  FaultInjectingFileSystem fs;
  fs.SetFreeBytes(1 << 20);  // less than the 12000 contacts need
  const std::string path = PathOf(SnapshotFileName(5));
  {
    auto writer = SnapshotWriter::Create(path, 5, fs);
    ASSERT_TRUE(writer.ok()) << writer.status();
    absl::Status status;
    for (const auto& r : StoredRecords(12000)) {
      status = (*writer)->Add(*r);
      if (!status.ok()) break;
    }
    EXPECT_TRUE(absl::IsResourceExhausted(status)) << status;
    // The writer stays failed.
    EXPECT_EQ((*writer)->Add(*StoredRecords(1)[0]), status);
    EXPECT_EQ((*writer)->Finish().status(), status);
    EXPECT_FALSE(FileExists(path));
  }
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, FullDiskAtTheHeaderRewriteFailsFinish) {
  // Room for every appended byte, not for the final header.
  const std::string probe = PathOf("probe.snap");
  const auto records = StoredRecords(10);
  auto size = WriteSnapshot(probe, records, 5);
  ASSERT_TRUE(size.ok());
  FaultInjectingFileSystem fs;
  fs.SetFreeBytes(size->bytes);
  const std::string path = PathOf(SnapshotFileName(5));
  auto info = WriteSnapshot(path, records, 5, fs);
  EXPECT_TRUE(absl::IsResourceExhausted(info.status())) << info.status();
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, FullDiskAtCreate) {
  FaultInjectingFileSystem fs;
  fs.SetFreeBytes(10);  // not even the header
  const std::string path = PathOf(SnapshotFileName(5));
  auto writer = SnapshotWriter::Create(path, 5, fs);
  EXPECT_TRUE(absl::IsResourceExhausted(writer.status())) << writer.status();
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, CreateInMissingDirectoryFails) {
  auto writer = SnapshotWriter::Create(PathOf("no/such/dir/s.snap"), 5);
  EXPECT_TRUE(absl::IsNotFound(writer.status())) << writer.status();
}

TEST_F(SnapshotWriterTest, AddOrFinishAfterFinishIsAnError) {
  const std::string path = PathOf(SnapshotFileName(5));
  auto writer = SnapshotWriter::Create(path, 5);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  const auto records = StoredRecords(1);
  EXPECT_TRUE(absl::IsFailedPrecondition((*writer)->Add(*records[0])));
  EXPECT_TRUE(absl::IsFailedPrecondition((*writer)->Finish().status()));
  EXPECT_TRUE(FileExists(path));  // the finished file stays
}

TEST_F(SnapshotWriterTest, WritesTheFileBackAsItGrows) {
  // So that Finish's sync has little left, and the WAL's syncs never queue
  // behind a whole checkpoint's file.
  FaultInjectingFileSystem fs;
  const std::string path = PathOf(SnapshotFileName(5));
  auto writer = SnapshotWriter::Create(path, 5, fs);
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (const auto& r : StoredRecords(24000))
    ASSERT_TRUE((*writer)->Add(*r).ok());
  const uint64_t written = std::filesystem::file_size(path + ".tmp");
  ASSERT_GE(written, 5u << 20);
  // Everything but the last window (1 MiB) and a block's worth not yet
  // appended.
  EXPECT_GE(fs.writeback_end(), written - (2u << 20));
  EXPECT_LE(fs.writeback_end(), written);
  ASSERT_TRUE((*writer)->Finish().ok());
}

TEST_F(SnapshotWriterTest, WritebackFailureFailsAndLeavesNoFile) {
  FaultInjectingFileSystem fs;
  fs.FailWritebacks();
  const std::string path = PathOf(SnapshotFileName(5));
  auto info = WriteSnapshot(path, StoredRecords(12000), 5, fs);
  EXPECT_TRUE(absl::IsUnavailable(info.status())) << info.status();
  EXPECT_THAT(std::string(info.status().message()), HasSubstr("writeback"));
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST_F(SnapshotWriterTest, SyncsFileAndDirectory) {
  FaultInjectingFileSystem fs;
  ASSERT_TRUE(WriteSnapshot(PathOf("s.snap"), StoredRecords(10), 5, fs).ok());
  EXPECT_EQ(fs.syncs(), 2u);
}

class SnapshotInfoTest : public SnapshotTest {};

TEST_F(SnapshotInfoTest, ReadSnapshotInfoReadsTheHeader) {
  const std::string path = PathOf(SnapshotFileName(42));
  auto written = WriteSnapshot(path, StoredRecords(20), 42);
  ASSERT_TRUE(written.ok());
  auto info = ReadSnapshotInfo(path);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->last_sequence, 42u);
  EXPECT_EQ(info->contact_count, 20u);
  EXPECT_EQ(info->bytes, written->bytes);
  EXPECT_EQ(info->created, absl::FromUnixMicros(1700000000000000));
}

TEST_F(SnapshotInfoTest, MissingFileIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(ReadSnapshotInfo(PathOf("none")).status()));
  EXPECT_TRUE(absl::IsNotFound(LoadSnapshot(PathOf("none")).status()));
}

TEST_F(SnapshotInfoTest, EmptyFileIsDataLoss) {
  const std::string path = PathOf("empty.snap");
  WriteFileBytes(path, "");
  auto info = ReadSnapshotInfo(path);
  EXPECT_TRUE(absl::IsDataLoss(info.status())) << info.status();
  auto loaded = LoadSnapshot(path);
  EXPECT_TRUE(absl::IsDataLoss(loaded.status())) << loaded.status();
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr(path + ": offset 0: header: truncated"));
}

class SetSnapshotSequenceTest : public SnapshotTest {};

TEST_F(SetSnapshotSequenceTest, RewritesTheSequenceOnly) {
  const std::string path = PathOf("reload.snap");
  const auto records = StoredRecords(5000);
  ASSERT_TRUE(WriteSnapshot(path, records, 7).ok());
  const std::string before = ReadFileBytes(path);

  FaultInjectingFileSystem fs;
  ASSERT_TRUE(SetSnapshotSequence(path, 123456, fs).ok());
  EXPECT_EQ(fs.syncs(), 1u);
  const std::string after = ReadFileBytes(path);
  ASSERT_EQ(after.size(), before.size());
  // Only last_sequence (bytes 24..31) and the checksum (56..63) changed.
  for (size_t i = 0; i < after.size(); ++i) {
    if ((i >= 24 && i < 32) || (i >= 56 && i < 64)) continue;
    ASSERT_EQ(after[i], before[i]) << "byte " << i;
  }
  auto info = ReadSnapshotInfo(path);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->last_sequence, 123456u);
  auto loaded = LoadSnapshot(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->info.last_sequence, 123456u);
  EXPECT_EQ(Contacts(loaded->records), Contacts(records));
}

TEST_F(SetSnapshotSequenceTest, RefusesADamagedHeader) {
  const std::string path = PathOf("reload.snap");
  ASSERT_TRUE(WriteSnapshot(path, StoredRecords(3), 7).ok());
  std::string bytes = ReadFileBytes(path);
  bytes[20] ^= 1;
  WriteFileBytes(path, bytes);
  const absl::Status status = SetSnapshotSequence(path, 8);
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(path));
  EXPECT_EQ(ReadFileBytes(path), bytes);  // untouched
}

TEST_F(SetSnapshotSequenceTest, MissingFileIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(SetSnapshotSequence(PathOf("none"), 8)));
}

TEST_F(SetSnapshotSequenceTest, SyncFailureIsReported) {
  const std::string path = PathOf("reload.snap");
  ASSERT_TRUE(WriteSnapshot(path, StoredRecords(3), 7).ok());
  FaultInjectingFileSystem fs;
  fs.FailSyncsAfter(0);
  EXPECT_TRUE(absl::IsUnavailable(SetSnapshotSequence(path, 8, fs)));
}

// A store's contacts, snapshotted and bulk-loaded into a new store, read
// back the same.
TEST_F(SnapshotWriterTest, StoreContactsSurviveASnapshot) {
  auto store = index::ContactStore::Create("US");
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<index::Uuid> ids;
  for (int i = 0; i < 50; ++i) {
    index::Contact c;
    c.customer_id = protocol::testing::TestTenant();
    c.first_name = "Caller " + std::to_string(i);
    c.phone_numbers.push_back({{},
                               "(555) 010-" + std::to_string(1000 + i),
                               "",
                               index::PhoneType::kMobile,
                               true,
                               absl::InfinitePast()});
    c.emails.push_back({{},
                        "Caller" + std::to_string(i) + "@Example.com",
                        index::EmailType::kWork,
                        false,
                        absl::InfinitePast()});
    auto stored = (*store)->Upsert(c);
    ASSERT_TRUE(stored.ok()) << stored.status();
    ids.push_back(stored->contact.id);
  }
  const std::string path = PathOf(SnapshotFileName(50));
  std::vector<index::Contact> originals;
  {
    index::EpochGuard guard;
    auto writer = SnapshotWriter::Create(path, 50);
    ASSERT_TRUE(writer.ok());
    for (const index::Uuid& id : ids) {
      const index::ContactRecord* record =
          (*store)->index().FindById(protocol::testing::TestTenant(), id);
      ASSERT_NE(record, nullptr);
      originals.push_back(record->ToContact());
      ASSERT_TRUE((*writer)->Add(*record).ok());
    }
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  auto loaded = LoadSnapshot(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  auto copy = index::ContactStore::Create("US");
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE((*copy)->BulkLoad(std::move(loaded->records)).ok());
  index::EpochGuard guard;
  for (size_t i = 0; i < ids.size(); ++i) {
    const index::ContactRecord* record =
        (*copy)->index().FindById(protocol::testing::TestTenant(), ids[i]);
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->ToContact(), originals[i]);
  }
}

}  // namespace
}  // namespace contactd::snapshot::testing
