// WalWriter's thread-safety contract (wal_writer.h): Sync from another
// thread (the interval flusher) and RemoveSegmentsThrough from a third (the
// checkpointer) while the writer appends and rotates. Run under TSan too
// (label "concurrency").

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "snapshot/wal_replay.h"
#include "snapshot/wal_writer.h"
#include "tests/snapshot/fault_injecting_file_system.h"
#include "tests/snapshot/wal_test_util.h"

namespace contactd::snapshot {
namespace {

using testing::FaultInjectingFileSystem;
using testing::ScopedTempDir;
using testing::TestPayload;

constexpr uint64_t kRecords = 3000;

// Appends kRecords records, rotating now and then, and waits (without
// sleeping) until `syncs` shows the other thread got to work.
void WriteAll(WalWriter& wal, const std::atomic<uint64_t>& syncs) {
  for (uint64_t seq = 1; seq <= kRecords; ++seq) {
    auto appended = wal.Append(WalRecordType::kPut, TestPayload(seq));
    ASSERT_TRUE(appended.ok()) << appended.status();
    ASSERT_EQ(*appended, seq);
    if (seq % 250 == 0) {
      ASSERT_TRUE(wal.Rotate().ok());
    }
    if (seq == kRecords / 2) {
      while (syncs.load() == 0) std::this_thread::yield();
    }
  }
}

// Replays the log after `after` and checks it holds after+1..kRecords.
void ExpectLog(const std::string& dir, uint64_t after) {
  uint64_t expected = after + 1;
  auto replay =
      ReplayWal(dir, after, {}, [&](const WalRecord& r) -> absl::Status {
        EXPECT_EQ(r.sequence, expected);
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.payload.data()),
                              r.payload.size()),
                  TestPayload(r.sequence));
        ++expected;
        return absl::OkStatus();
      });
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->last_sequence, kRecords);
  EXPECT_EQ(expected, kRecords + 1);
  EXPECT_TRUE(replay->torn_tail.empty()) << replay->torn_tail;
}

TEST(WalConcurrencyTest, SyncRunsConcurrentlyWithAppendsAndRotations) {
  ScopedTempDir dir;
  FaultInjectingFileSystem fs;
  auto opened =
      WalWriter::Open({.dir = dir.path(), .segment_bytes = 2048, .fs = &fs}, 1);
  ASSERT_TRUE(opened.ok()) << opened.status();
  WalWriter& wal = **opened;

  std::atomic<bool> done{false};
  std::atomic<uint64_t> syncs{0};
  std::thread flusher([&] {
    uint64_t seen_sequence = 0;
    uint64_t seen_bytes = 0;
    do {
      // Counters only move forward, read from any thread.
      const uint64_t sequence = wal.last_sequence();
      const uint64_t bytes = wal.bytes_appended();
      EXPECT_GE(sequence, seen_sequence);
      EXPECT_GE(bytes, seen_bytes);
      seen_sequence = sequence;
      seen_bytes = bytes;
      const absl::Status synced = wal.Sync();
      EXPECT_TRUE(synced.ok()) << synced;
      ++syncs;
    } while (!done.load());
  });
  WriteAll(wal, syncs);
  done = true;
  flusher.join();

  EXPECT_GT(syncs.load(), 0u);
  EXPECT_GT(wal.segment_count(), 10u);
  ASSERT_TRUE(wal.Sync().ok());
  opened->reset();
  ExpectLog(dir.path(), 0);
}

TEST(WalConcurrencyTest, SegmentsAreRemovedWhileTheWriterAppends) {
  ScopedTempDir dir;
  FaultInjectingFileSystem fs;
  auto opened =
      WalWriter::Open({.dir = dir.path(), .segment_bytes = 1024, .fs = &fs}, 1);
  ASSERT_TRUE(opened.ok()) << opened.status();
  WalWriter& wal = **opened;

  std::atomic<bool> done{false};
  std::atomic<uint64_t> syncs{0};
  std::atomic<uint64_t> removed_through{0};
  std::thread flusher([&] {
    do {
      EXPECT_TRUE(wal.Sync().ok());
      ++syncs;
    } while (!done.load());
  });
  std::thread checkpointer([&] {
    do {
      // What a checkpoint of the records so far would cover.
      const uint64_t covered = wal.last_sequence() / 2;
      const absl::Status removed = wal.RemoveSegmentsThrough(covered);
      EXPECT_TRUE(removed.ok()) << removed;
      removed_through = covered;
    } while (!done.load());
  });
  WriteAll(wal, syncs);
  done = true;
  flusher.join();
  checkpointer.join();

  EXPECT_GE(wal.segment_count(), 1u);
  opened->reset();
  ExpectLog(dir.path(), removed_through.load());
}

}  // namespace
}  // namespace contactd::snapshot
