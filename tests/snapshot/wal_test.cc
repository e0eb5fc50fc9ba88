// WalWriter and ReplayWal on real files: round trips, rotation, recovery
// from torn tails, corruption and gaps, salvage, and injected faults
// (fsync failures, a full disk, a truncate that fails).

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "snapshot/wal_format.h"
#include "snapshot/wal_replay.h"
#include "snapshot/wal_writer.h"
#include "tests/snapshot/fault_injecting_file_system.h"
#include "tests/snapshot/wal_test_util.h"

namespace contactd::snapshot {
namespace {

using testing::AsBytes;
using testing::FaultInjectingFileSystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadFile;
using testing::ScopedTempDir;
using ::testing::StartsWith;
using testing::TestPayload;
using testing::WriteFile;

WalRecordType TypeOf(uint64_t sequence) {
  return sequence % 3 == 0 ? WalRecordType::kDelete : WalRecordType::kPut;
}

std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
  std::vector<uint64_t> out;
  for (uint64_t s = from; s <= to; ++s) out.push_back(s);
  return out;
}

// Where each record of a segment file starts; the file size last.
std::vector<uint64_t> RecordOffsets(const std::string& bytes) {
  std::vector<uint64_t> offsets;
  auto scan = ScanWalSegment(AsBytes(bytes), [&](const WalRecord& r) {
    offsets.push_back(r.offset);
    return absl::OkStatus();
  });
  EXPECT_TRUE(scan.ok() && scan->end == WalScan::End::kClean);
  offsets.push_back(bytes.size());
  return offsets;
}

class WalTest : public ::testing::Test {
 protected:
  WalOptions Options(uint64_t segment_bytes) {
    return {.dir = dir_.path(), .segment_bytes = segment_bytes, .fs = &fs_};
  }

  std::unique_ptr<WalWriter> Open(uint64_t next_sequence,
                                  uint64_t segment_bytes = 256) {
    auto writer = WalWriter::Open(Options(segment_bytes), next_sequence);
    EXPECT_TRUE(writer.ok()) << writer.status();
    return writer.ok() ? *std::move(writer) : nullptr;
  }

  // Appends the next `n` records (payload TestPayload(sequence)).
  void Append(WalWriter& wal, int n) {
    for (int i = 0; i < n; ++i) {
      const uint64_t seq = wal.last_sequence() + 1;
      auto appended = wal.Append(TypeOf(seq), TestPayload(seq));
      ASSERT_TRUE(appended.ok()) << appended.status();
      ASSERT_EQ(*appended, seq);
    }
  }

  // Writes records 1..n and closes the writer.
  void WriteLog(int n, uint64_t segment_bytes = 256) {
    auto wal = Open(1, segment_bytes);
    ASSERT_NE(wal, nullptr);
    Append(*wal, n);
  }

  struct Replayed {
    absl::StatusOr<WalReplay> result;
    std::vector<uint64_t> sequences;
  };

  // Replays, checking each record's type and payload.
  Replayed Replay(uint64_t after = 0, bool salvage = false) {
    Replayed out;
    out.result = ReplayWal(
        dir_.path(), after, {.salvage = salvage, .fs = &fs_},
        [&](const WalRecord& r) {
          out.sequences.push_back(r.sequence);
          EXPECT_EQ(r.type, TypeOf(r.sequence));
          EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.payload.data()),
                                r.payload.size()),
                    TestPayload(r.sequence));
          return absl::OkStatus();
        });
    return out;
  }

  // The first sequences of the segment files, ascending.
  std::vector<uint64_t> Segments() {
    std::vector<uint64_t> firsts;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (auto first = ParseWalSegmentName(entry.path().filename().string())) {
        firsts.push_back(*first);
      }
    }
    std::sort(firsts.begin(), firsts.end());
    return firsts;
  }

  std::string Path(uint64_t first) {
    return JoinPath(dir_.path(), WalSegmentName(first));
  }

  uint64_t TotalBytes() {
    uint64_t total = 0;
    for (const uint64_t first : Segments()) {
      total += std::filesystem::file_size(Path(first));
    }
    return total;
  }

  ScopedTempDir dir_;
  FaultInjectingFileSystem fs_;
};

// --- Writing and reading back.

TEST_F(WalTest, RoundTripAcrossSegments) {
  auto wal = Open(1, 256);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 60);
  EXPECT_EQ(wal->last_sequence(), 60u);
  EXPECT_GE(Segments().size(), 5u);
  EXPECT_EQ(wal->segment_count(), Segments().size());
  EXPECT_EQ(wal->bytes_appended(), TotalBytes());

  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 60));
  EXPECT_EQ(r.result->last_sequence, 60u);
  EXPECT_EQ(r.result->records_replayed, 60u);
  EXPECT_EQ(r.result->bytes, TotalBytes());
  EXPECT_THAT(r.result->torn_tail, IsEmpty());
  EXPECT_THAT(r.result->salvaged, IsEmpty());
}

TEST_F(WalTest, SegmentsRotateWhenFull) {
  constexpr uint64_t kSegmentBytes = 256;
  WriteLog(60, kSegmentBytes);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 5u);
  EXPECT_EQ(firsts[0], 1u);
  for (size_t i = 0; i + 1 < firsts.size(); ++i) {
    const std::string bytes = ReadFile(Path(firsts[i]));
    const std::vector<uint64_t> offsets = RecordOffsets(bytes);
    // Full (>= segment_bytes) only with its last record.
    EXPECT_GE(bytes.size(), kSegmentBytes) << i;
    EXPECT_LT(offsets[offsets.size() - 2], kSegmentBytes) << i;
    // The next one starts where this one ends.
    EXPECT_EQ(firsts[i + 1], firsts[i] + offsets.size() - 1) << i;
  }
}

TEST_F(WalTest, RotateStartsANewSegmentUnlessTheCurrentIsEmpty) {
  auto wal = Open(1, 1 << 20);
  ASSERT_NE(wal, nullptr);
  ASSERT_TRUE(wal->Rotate().ok());  // nothing in the current one yet
  EXPECT_EQ(Segments(), std::vector<uint64_t>{1});
  Append(*wal, 3);
  ASSERT_TRUE(wal->Rotate().ok());
  ASSERT_TRUE(wal->Rotate().ok());
  EXPECT_EQ(Segments(), (std::vector<uint64_t>{1, 4}));
  EXPECT_EQ(wal->segment_count(), 2u);
  Append(*wal, 2);
  EXPECT_EQ(RecordOffsets(ReadFile(Path(4))).size(), 3u);  // 4, 5, end

  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 5));
}

TEST_F(WalTest, ReopenAndContinue) {
  WriteLog(10);
  Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  ASSERT_EQ(r.result->last_sequence, 10u);

  auto wal = Open(11);
  ASSERT_NE(wal, nullptr);
  EXPECT_EQ(wal->last_sequence(), 10u);
  EXPECT_EQ(wal->segment_count(), Segments().size());
  Append(*wal, 5);
  EXPECT_THAT(Segments(), ::testing::Contains(11u));
  wal.reset();

  r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 15));
  EXPECT_EQ(r.result->last_sequence, 15u);
}

TEST_F(WalTest, HeaderOnlySegmentIsValidAndReused) {
  ASSERT_NE(Open(1), nullptr);  // stops before its first record
  Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_THAT(r.sequences, IsEmpty());
  EXPECT_EQ(r.result->last_sequence, 0u);
  EXPECT_THAT(r.result->torn_tail, IsEmpty());

  auto wal = Open(1);
  ASSERT_NE(wal, nullptr);
  EXPECT_EQ(wal->segment_count(), 1u);
  Append(*wal, 2);
  EXPECT_EQ(Segments(), std::vector<uint64_t>{1});
  r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 2));
}

TEST_F(WalTest, OpenRefusesASegmentAtOrAfterTheNextSequence) {
  WriteLog(20, 128);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 2u);
  for (const uint64_t next : {firsts[1], firsts[1] - 1}) {
    auto wal = WalWriter::Open(Options(128), next);
    EXPECT_EQ(wal.status().code(), absl::StatusCode::kFailedPrecondition)
        << next;
    EXPECT_THAT(std::string(wal.status().message()),
                HasSubstr(WalSegmentName(firsts[1])));
  }
  EXPECT_EQ(Segments(), firsts);  // nothing touched
}

TEST_F(WalTest, OpenRejectsSequenceZero) {
  EXPECT_EQ(WalWriter::Open(Options(128), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(WalTest, OpenCreatesTheDirectory) {
  const std::string dir = JoinPath(dir_.path(), "a/b");
  auto wal = WalWriter::Open({.dir = dir, .fs = &fs_}, 1);
  ASSERT_TRUE(wal.ok()) << wal.status();
  EXPECT_TRUE(std::filesystem::exists(JoinPath(dir, WalSegmentName(1))));
}

TEST_F(WalTest, LastSequenceBeforeTheFirstAppendIsOneBeforeNext) {
  auto wal = Open(42);
  ASSERT_NE(wal, nullptr);
  EXPECT_EQ(wal->last_sequence(), 41u);
  EXPECT_EQ(wal->bytes_appended(), kWalSegmentHeaderSize);
}

TEST_F(WalTest, OversizedPayloadIsRejected) {
  auto wal = Open(1);
  ASSERT_NE(wal, nullptr);
  auto appended = wal->Append(WalRecordType::kPut,
                              std::string(kWalMaxPayloadBytes + 1, 'x'));
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::filesystem::file_size(Path(1)), kWalSegmentHeaderSize);
  Append(*wal, 1);  // sequence 1 was not used
}

TEST_F(WalTest, ReplayOfAMissingOrEmptyDirectoryIsEmpty) {
  auto missing = ReplayWal(JoinPath(dir_.path(), "none"), 0, {.fs = &fs_},
                           [](const WalRecord&) { return absl::OkStatus(); });
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(missing->last_sequence, 0u);
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.result->last_sequence, 0u);
}

TEST_F(WalTest, OtherFilesAreIgnored) {
  WriteLog(5);
  WriteFile(JoinPath(dir_.path(), "snapshot-00000000000000000003.snap"), "x");
  WriteFile(JoinPath(dir_.path(), "wal-7.log"), "x");
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 5));
}

// --- after_sequence (the snapshot's).

TEST_F(WalTest, ReplaysOnlyRecordsAfterTheSnapshot) {
  WriteLog(60, 256);
  for (const uint64_t after : {0, 1, 17, 30, 59, 60}) {
    const Replayed r = Replay(after);
    ASSERT_TRUE(r.result.ok()) << after << ": " << r.result.status();
    EXPECT_EQ(r.sequences, Range(after + 1, 60)) << after;
    EXPECT_EQ(r.result->last_sequence, 60u) << after;
    EXPECT_EQ(r.result->records_replayed, 60 - after) << after;
  }
}

TEST_F(WalTest, SegmentsCoveredByTheSnapshotAreNotRead) {
  WriteLog(60, 256);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 3u);
  // Damage the first segment: a snapshot through its last record makes it
  // irrelevant, so it is skipped unread.
  std::string bytes = ReadFile(Path(firsts[0]));
  bytes[30] ^= 0x40;
  WriteFile(Path(firsts[0]), bytes);
  const uint64_t after = firsts[1] - 1;
  const Replayed r = Replay(after);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(after + 1, 60));
  EXPECT_EQ(r.result->bytes, TotalBytes() - bytes.size());
  // One record earlier, and it has to be read.
  EXPECT_EQ(Replay(after - 1).result.status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(WalTest, SnapshotAfterTheEndOfTheLogReplaysNothing) {
  WriteLog(10);
  const Replayed r = Replay(100);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_THAT(r.sequences, IsEmpty());
  EXPECT_EQ(r.result->last_sequence, 10u);
}

TEST_F(WalTest, MissingRecordsAfterTheSnapshotAreDataLoss) {
  WriteLog(30, 128);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 3u);
  std::filesystem::remove(Path(firsts[0]));
  const Replayed r = Replay(0);
  EXPECT_EQ(r.result.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(r.result.status().message(),
            absl::StrCat(Path(firsts[1]), ": offset 0: starts at sequence ",
                         firsts[1],
                         ", but the log must continue at 1 "
                         "(records 1..",
                         firsts[1] - 1, " are missing)"));
  EXPECT_THAT(r.sequences, IsEmpty());
  // With a snapshot through firsts[1] - 1 nothing is missing.
  const Replayed ok = Replay(firsts[1] - 1);
  ASSERT_TRUE(ok.result.ok()) << ok.result.status();
  EXPECT_EQ(ok.sequences, Range(firsts[1], 30));
}

// --- Torn tails of the last segment.

TEST_F(WalTest, TornTailAtEveryByteOfTheLastRecordIsTruncated) {
  WriteLog(5, 1 << 20);
  const std::string path = Path(1);
  const std::string full = ReadFile(path);
  const std::vector<uint64_t> offsets = RecordOffsets(full);
  const uint64_t last = offsets[4];
  // Cut in the length, sequence, type, header check, payload and checksum.
  for (uint64_t cut = last + 1; cut < full.size(); ++cut) {
    WriteFile(path, full.substr(0, cut));
    const Replayed r = Replay();
    ASSERT_TRUE(r.result.ok()) << cut << ": " << r.result.status();
    EXPECT_EQ(r.sequences, Range(1, 4)) << cut;
    EXPECT_EQ(r.result->last_sequence, 4u) << cut;
    EXPECT_THAT(r.result->torn_tail,
                StartsWith(absl::StrCat(path, ": offset ", last, ": ")))
        << cut;
    EXPECT_EQ(std::filesystem::file_size(path), last) << cut;
  }
  // The truncated log is clean, and the writer continues it.
  Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_THAT(r.result->torn_tail, IsEmpty());
  auto wal = Open(5);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 3);
  r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 7));
}

TEST_F(WalTest, TornOnlyRecordLeavesAHeaderOnlySegmentTheWriterReuses) {
  auto wal = Open(1, 1 << 20);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 3);
  ASSERT_TRUE(wal->Rotate().ok());
  Append(*wal, 1);  // record 4, alone in wal-4
  wal.reset();
  std::filesystem::resize_file(Path(4), kWalSegmentHeaderSize + 10);
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 3));
  EXPECT_EQ(r.result->last_sequence, 3u);
  EXPECT_THAT(r.result->torn_tail, HasSubstr(WalSegmentName(4)));
  EXPECT_EQ(std::filesystem::file_size(Path(4)), kWalSegmentHeaderSize);
  wal = Open(4);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 1);
  EXPECT_EQ(Segments(), (std::vector<uint64_t>{1, 4}));
}

TEST_F(WalTest, ZeroTailIsTruncated) {
  WriteLog(5, 1 << 20);
  const std::string path = Path(1);
  const std::string full = ReadFile(path);
  for (const size_t zeros : {1, 16, 17, 100, 8192}) {
    WriteFile(path, full + std::string(zeros, '\0'));
    const Replayed r = Replay();
    ASSERT_TRUE(r.result.ok()) << zeros << ": " << r.result.status();
    EXPECT_EQ(r.sequences, Range(1, 5));
    EXPECT_THAT(r.result->torn_tail,
                StartsWith(absl::StrCat(path, ": offset ", full.size(), ": ",
                                        zeros, " zero bytes at the end")));
    EXPECT_EQ(ReadFile(path), full);
  }
}

TEST_F(WalTest, ZeroedLastRecordIsTruncated) {
  WriteLog(5, 1 << 20);
  const std::string path = Path(1);
  std::string bytes = ReadFile(path);
  const uint64_t last = RecordOffsets(bytes)[4];
  std::fill(bytes.begin() + static_cast<ptrdiff_t>(last), bytes.end(), '\0');
  WriteFile(path, bytes);
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 4));
  EXPECT_EQ(std::filesystem::file_size(path), last);
}

TEST_F(WalTest, LastSegmentWithATornHeaderIsRemoved) {
  WriteLog(20, 128);
  const std::vector<uint64_t> firsts = Segments();
  const uint64_t tail = firsts.back();
  for (const size_t size : {0, 1, 23}) {
    WriteFile(Path(tail), std::string(ReadFile(Path(firsts[0])), 0, size));
    const Replayed r = Replay();
    ASSERT_TRUE(r.result.ok()) << size << ": " << r.result.status();
    EXPECT_EQ(r.sequences, Range(1, tail - 1));
    EXPECT_EQ(r.result->last_sequence, tail - 1);
    EXPECT_THAT(r.result->torn_tail,
                StartsWith(absl::StrCat(Path(tail), ": offset 0: ")));
    EXPECT_THAT(r.result->torn_tail, HasSubstr("removed the segment"));
    EXPECT_FALSE(std::filesystem::exists(Path(tail)));
  }
  // A header of zeros (the size reached the disk, the data did not).
  WriteFile(Path(tail), std::string(kWalSegmentHeaderSize, '\0'));
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_FALSE(std::filesystem::exists(Path(tail)));
  // The writer starts that segment again.
  auto wal = Open(tail);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 1);
}

// --- Damage: DATA_LOSS naming the file and the offset.

TEST_F(WalTest, EveryBitFlipInAMiddleRecordIsDataLoss) {
  WriteLog(5, 1 << 20);
  const std::string path = Path(1);
  const std::string full = ReadFile(path);
  const std::vector<uint64_t> offsets = RecordOffsets(full);
  const uint64_t begin = offsets[2];  // record 3
  for (uint64_t i = begin; i < offsets[3]; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bytes = full;
      bytes[i] = static_cast<char>(bytes[i] ^ (1 << bit));
      WriteFile(path, bytes);
      const Replayed r = Replay();
      ASSERT_EQ(r.result.status().code(), absl::StatusCode::kDataLoss)
          << i << ":" << bit;
      EXPECT_THAT(std::string(r.result.status().message()),
                  StartsWith(absl::StrCat(path, ": offset ", begin, ": ")))
          << i << ":" << bit;
      EXPECT_EQ(ReadFile(path), bytes);  // nothing was changed
    }
  }
}

TEST_F(WalTest, ChecksumMismatchMessageNamesFileOffsetAndRecord) {
  WriteLog(5, 1 << 20);
  const std::string path = Path(1);
  std::string bytes = ReadFile(path);
  const uint64_t begin = RecordOffsets(bytes)[2];
  bytes[begin + kWalRecordHeaderSize] ^= 1;  // payload of record 3
  WriteFile(path, bytes);
  EXPECT_EQ(Replay().result.status(),
            absl::DataLossError(absl::StrCat(path, ": offset ", begin,
                                             ": record 3: checksum mismatch")));
}

TEST_F(WalTest, EveryByteOfANonLastSegmentIsChecked) {
  WriteLog(20, 256);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 3u);
  const std::string path = Path(firsts[1]);
  const std::string full = ReadFile(path);
  const std::vector<uint64_t> offsets = RecordOffsets(full);
  for (uint64_t i = 0; i < full.size(); ++i) {
    // The start of the header or of the record holding byte i.
    uint64_t expected = 0;
    for (size_t k = 0; k + 1 < offsets.size(); ++k) {
      if (offsets[k] <= i) expected = offsets[k];
    }
    std::string bytes = full;
    bytes[i] = static_cast<char>(bytes[i] ^ (1 << (i % 8)));
    WriteFile(path, bytes);
    const Replayed r = Replay();
    ASSERT_EQ(r.result.status().code(), absl::StatusCode::kDataLoss) << i;
    EXPECT_THAT(std::string(r.result.status().message()),
                StartsWith(absl::StrCat(path, ": offset ", expected, ": ")))
        << i;
  }
}

TEST_F(WalTest, TornEndOfANonLastSegmentIsDataLoss) {
  WriteLog(20, 256);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 3u);
  const std::string path = Path(firsts[1]);
  const std::string full = ReadFile(path);
  const std::vector<uint64_t> offsets = RecordOffsets(full);
  const uint64_t last = offsets[offsets.size() - 2];
  WriteFile(path, full.substr(0, last + 5));
  const Replayed r = Replay();
  EXPECT_EQ(r.result.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(r.result.status().message()),
              StartsWith(absl::StrCat(path, ": offset ", last, ": ")));
  EXPECT_THAT(std::string(r.result.status().message()),
              HasSubstr("not in the last segment"));
}

TEST_F(WalTest, ZeroTailOfANonLastSegmentIsDataLoss) {
  WriteLog(20, 256);
  const std::vector<uint64_t> firsts = Segments();
  const std::string path = Path(firsts[0]);
  WriteFile(path, ReadFile(path) + std::string(30, '\0'));
  EXPECT_EQ(Replay().result.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(WalTest, GarbageAfterTheLastRecordIsDataLoss) {
  WriteLog(5, 1 << 20);
  const std::string path = Path(1);
  const std::string full = ReadFile(path);
  WriteFile(path, full + std::string(64, '\x33'));
  EXPECT_EQ(
      Replay().result.status(),
      absl::DataLossError(absl::StrCat(path, ": offset ", full.size(),
                                       ": record header checksum mismatch")));
}

TEST_F(WalTest, GapBetweenSegmentsIsDataLoss) {
  WriteLog(30, 128);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 4u);
  std::filesystem::remove(Path(firsts[1]));
  const Replayed r = Replay();
  EXPECT_EQ(r.result.status(),
            absl::DataLossError(absl::StrCat(
                Path(firsts[2]), ": offset 0: starts at sequence ", firsts[2],
                ", but the previous segment ends at ", firsts[1] - 1)));
}

TEST_F(WalTest, SegmentWhoseHeaderDisagreesWithItsNameIsDataLoss) {
  WriteLog(5, 1 << 20);
  WriteFile(Path(6), ReadFile(Path(1)).substr(0, kWalSegmentHeaderSize));
  EXPECT_EQ(Replay().result.status(),
            absl::DataLossError(absl::StrCat(
                Path(6),
                ": offset 0: the segment header says first sequence 1, its "
                "name 6")));
}

TEST_F(WalTest, OnRecordErrorsNameTheRecord) {
  WriteLog(5, 1 << 20);
  const uint64_t offset = RecordOffsets(ReadFile(Path(1)))[2];
  auto replay = ReplayWal(dir_.path(), 0, {.fs = &fs_}, [](const WalRecord& r) {
    return r.sequence == 3 ? absl::InvalidArgumentError("bad contact")
                           : absl::OkStatus();
  });
  EXPECT_EQ(replay.status(),
            absl::InvalidArgumentError(absl::StrCat(
                Path(1), ": offset ", offset, ": record 3: bad contact")));
}

// --- Salvage.

TEST_F(WalTest, SalvageKeepsThePrefixBeforeTheDamage) {
  WriteLog(40, 256);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 4u);
  const std::string path = Path(firsts[1]);
  std::string bytes = ReadFile(path);
  const std::vector<uint64_t> offsets = RecordOffsets(bytes);
  const uint64_t damaged = firsts[1] + 1;  // the segment's second record
  bytes[offsets[1] + kWalRecordHeaderSize] ^= 4;
  WriteFile(path, bytes);
  ASSERT_EQ(Replay().result.status().code(), absl::StatusCode::kDataLoss);

  Replayed r = Replay(0, /*salvage=*/true);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, damaged - 1));
  EXPECT_EQ(r.result->last_sequence, damaged - 1);
  EXPECT_THAT(
      r.result->salvaged,
      StartsWith(absl::StrCat(path, ": offset ", offsets[1], ": record ",
                              damaged, ": checksum mismatch")));
  EXPECT_THAT(r.result->salvaged, HasSubstr(WalSegmentName(firsts[2])));
  EXPECT_EQ(Segments(), (std::vector<uint64_t>{firsts[0], firsts[1]}));
  EXPECT_EQ(std::filesystem::file_size(path), offsets[1]);

  // What remains is a clean log that the writer continues.
  r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_THAT(r.result->salvaged, IsEmpty());
  auto wal = Open(damaged);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 2);
  r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, damaged + 1));
}

TEST_F(WalTest, SalvageRemovesASegmentWithADamagedHeader) {
  WriteLog(40, 256);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 4u);
  std::string bytes = ReadFile(Path(firsts[2]));
  bytes[10] ^= 1;
  WriteFile(Path(firsts[2]), bytes);
  const Replayed r = Replay(0, true);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, firsts[2] - 1));
  EXPECT_EQ(r.result->last_sequence, firsts[2] - 1);
  EXPECT_EQ(Segments(), (std::vector<uint64_t>{firsts[0], firsts[1]}));
  EXPECT_THAT(r.result->salvaged,
              HasSubstr("removed " + WalSegmentName(firsts[2])));
}

TEST_F(WalTest, SalvageOfAGapDropsTheSegmentsAfterIt) {
  WriteLog(40, 128);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 4u);
  std::filesystem::remove(Path(firsts[1]));
  const Replayed r = Replay(0, true);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, firsts[1] - 1));
  EXPECT_EQ(Segments(), std::vector<uint64_t>{firsts[0]});
  auto wal = Open(firsts[1]);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 1);
  EXPECT_TRUE(Replay().result.ok());
}

TEST_F(WalTest, SalvageOfATornNonLastSegmentCutsIt) {
  WriteLog(20, 256);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 3u);
  const std::string path = Path(firsts[0]);
  const std::string full = ReadFile(path);
  const std::vector<uint64_t> offsets = RecordOffsets(full);
  const uint64_t last = offsets[offsets.size() - 2];
  WriteFile(path, full.substr(0, last + 3));
  const Replayed r = Replay(0, true);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, firsts[1] - 2));
  EXPECT_EQ(Segments(), std::vector<uint64_t>{firsts[0]});
  EXPECT_EQ(std::filesystem::file_size(path), last);
}

// --- Injected faults.

TEST_F(WalTest, SyncSyncsTheCurrentSegment) {
  auto wal = Open(1);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 3);
  const uint64_t before = fs_.syncs();
  ASSERT_TRUE(wal->Sync().ok());
  EXPECT_EQ(fs_.syncs(), before + 1);
}

TEST_F(WalTest, FailedSyncIsReportedAndFinal) {
  auto wal = Open(1);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 3);
  fs_.FailSyncsAfter(0);
  const absl::Status failed = wal->Sync();
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(failed.message()), HasSubstr("fsync"));
  EXPECT_THAT(std::string(failed.message()), HasSubstr(WalSegmentName(1)));
  // Never retried into a success: the kernel may have dropped the pages.
  fs_.Heal();
  EXPECT_EQ(wal->Sync(), failed);
  EXPECT_EQ(wal->Append(WalRecordType::kPut, "x").status(), failed);
  EXPECT_EQ(wal->Rotate(), failed);
  // What was appended is in the file.
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 3));
}

TEST_F(WalTest, FailedSyncWhenRotatingIsFinal) {
  auto wal = Open(1, 64);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 2);  // the segment is full now
  fs_.FailSyncsAfter(0);
  const auto appended = wal->Append(TypeOf(3), TestPayload(3));
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(appended.status().message()), HasSubstr("fsync"));
  fs_.Heal();
  EXPECT_FALSE(wal->Append(TypeOf(3), TestPayload(3)).ok());
  EXPECT_FALSE(wal->Sync().ok());
  EXPECT_EQ(Segments(), std::vector<uint64_t>{1});
}

TEST_F(WalTest, FullDiskFailsTheAppendAndLeavesNothingOfIt) {
  auto wal = Open(1, 1 << 20);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 5);
  const uint64_t size = std::filesystem::file_size(Path(1));
  const uint64_t appended_bytes = wal->bytes_appended();
  fs_.SetFreeBytes(10);  // part of the next record fits
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto appended = wal->Append(TypeOf(6), TestPayload(6));
    EXPECT_EQ(appended.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ(std::filesystem::file_size(Path(1)), size);
  }
  EXPECT_EQ(wal->last_sequence(), 5u);
  EXPECT_EQ(wal->bytes_appended(), appended_bytes);

  // The log holds exactly the earlier records, cleanly.
  Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 5));
  EXPECT_THAT(r.result->torn_tail, IsEmpty());

  // Space is back: the same sequence is used.
  fs_.Heal();
  Append(*wal, 2);
  ASSERT_TRUE(wal->Sync().ok());
  r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 7));
}

TEST_F(WalTest, FullDiskWhenStartingASegmentLeavesNoFile) {
  auto wal = Open(1, 64);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 2);       // full: the next record starts a new segment
  fs_.SetFreeBytes(10);  // not even its header fits
  auto appended = wal->Append(TypeOf(3), TestPayload(3));
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(Segments(), std::vector<uint64_t>{1});
  EXPECT_EQ(wal->segment_count(), 1u);
  fs_.Heal();
  Append(*wal, 1);
  EXPECT_EQ(Segments(), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(wal->segment_count(), 2u);
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 3));
}

// Files whose appends write half and fail, and whose truncates fail: the
// partial record cannot be removed.
class StuckFileSystem final : public FileSystem {
 public:
  bool broken = false;

  absl::StatusOr<std::unique_ptr<WritableFile>> Create(
      const std::string& path) override {
    auto file = PosixFileSystem().Create(path);
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new File(*std::move(file), broken));
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> OpenForAppend(
      const std::string& path) override {
    auto file = PosixFileSystem().OpenForAppend(path);
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new File(*std::move(file), broken));
  }
  absl::Status Rename(const std::string& from, const std::string& to) override {
    return PosixFileSystem().Rename(from, to);
  }
  absl::Status Remove(const std::string& path) override {
    return PosixFileSystem().Remove(path);
  }
  absl::Status SyncDir(const std::string& dir) override {
    return PosixFileSystem().SyncDir(dir);
  }
  absl::Status CreateDir(const std::string& dir) override {
    return PosixFileSystem().CreateDir(dir);
  }
  absl::StatusOr<std::vector<std::string>> List(
      const std::string& dir) override {
    return PosixFileSystem().List(dir);
  }

 private:
  class File final : public WritableFile {
   public:
    File(std::unique_ptr<WritableFile> file, const bool& is_broken)
        : file_(std::move(file)), broken_(is_broken) {}
    absl::Status Append(std::string_view data) override {
      if (!broken_) return file_->Append(data);
      (void)file_->Append(data.substr(0, data.size() / 2));
      return absl::UnavailableError("write: Input/output error (injected)");
    }
    absl::Status WriteAt(uint64_t offset, std::string_view data) override {
      return file_->WriteAt(offset, data);
    }
    absl::Status Truncate(uint64_t size) override {
      if (broken_) {
        return absl::UnavailableError(
            "truncate: Read-only file system (injected)");
      }
      return file_->Truncate(size);
    }
    absl::Status Sync() override { return file_->Sync(); }
    absl::Status StartWriteback(uint64_t offset, uint64_t length) override {
      return file_->StartWriteback(offset, length);
    }
    absl::Status Close() override { return file_->Close(); }
    uint64_t size() const override { return file_->size(); }
    const std::string& path() const override { return file_->path(); }

   private:
    std::unique_ptr<WritableFile> file_;
    const bool& broken_;
  };
};

TEST_F(WalTest, PartialRecordThatCannotBeRemovedBreaksTheWriter) {
  StuckFileSystem stuck;
  auto opened = WalWriter::Open({.dir = dir_.path(), .fs = &stuck}, 1);
  ASSERT_TRUE(opened.ok()) << opened.status();
  WalWriter& wal = **opened;
  Append(wal, 2);
  stuck.broken = true;
  const auto failed = wal.Append(TypeOf(3), TestPayload(3));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(failed.status().message()), HasSubstr("unusable"));
  stuck.broken = false;
  EXPECT_EQ(wal.Append(TypeOf(3), TestPayload(3)).status(), failed.status());
  EXPECT_EQ(wal.Sync(), failed.status());
  EXPECT_EQ(wal.Rotate(), failed.status());
  opened->reset();
  // Recovery cuts the half record off as a torn tail.
  const Replayed r = Replay();
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(1, 2));
  EXPECT_THAT(r.result->torn_tail, HasSubstr("record 3: truncated"));
}

// --- Removing segments a snapshot covers.

TEST_F(WalTest, RemoveSegmentsThroughRemovesOnlyCoveredSegments) {
  auto wal = Open(1, 256);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 60);
  const std::vector<uint64_t> firsts = Segments();
  ASSERT_GE(firsts.size(), 5u);

  // Through the record before segment 2: segments 0 and 1 are covered.
  ASSERT_TRUE(wal->RemoveSegmentsThrough(firsts[2] - 2).ok());
  EXPECT_EQ(Segments(),
            std::vector<uint64_t>(firsts.begin() + 1, firsts.end()));
  ASSERT_TRUE(wal->RemoveSegmentsThrough(firsts[2] - 1).ok());
  EXPECT_EQ(Segments(),
            std::vector<uint64_t>(firsts.begin() + 2, firsts.end()));
  EXPECT_EQ(wal->segment_count(), firsts.size() - 2);

  const Replayed r = Replay(firsts[2] - 1);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_EQ(r.sequences, Range(firsts[2], 60));

  // Everything: the segment being written stays.
  ASSERT_TRUE(wal->RemoveSegmentsThrough(1000).ok());
  EXPECT_EQ(Segments(), std::vector<uint64_t>{firsts.back()});
  EXPECT_EQ(wal->segment_count(), 1u);
  Append(*wal, 1);
  const Replayed after = Replay(60);
  ASSERT_TRUE(after.result.ok()) << after.result.status();
  EXPECT_EQ(after.sequences, std::vector<uint64_t>{61});
}

TEST_F(WalTest, RemoveSegmentsThroughAfterRotateKeepsTheNewSegment) {
  auto wal = Open(1, 1 << 20);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 10);
  ASSERT_TRUE(wal->Rotate().ok());
  ASSERT_TRUE(wal->RemoveSegmentsThrough(10).ok());
  EXPECT_EQ(Segments(), std::vector<uint64_t>{11});
  const Replayed r = Replay(10);
  ASSERT_TRUE(r.result.ok()) << r.result.status();
  EXPECT_THAT(r.sequences, IsEmpty());
  EXPECT_EQ(r.result->last_sequence, 10u);
}

TEST_F(WalTest, RemoveSegmentsThroughSyncsTheDirectory) {
  auto wal = Open(1, 64);
  ASSERT_NE(wal, nullptr);
  Append(*wal, 10);
  const uint64_t before = fs_.syncs();
  ASSERT_TRUE(wal->RemoveSegmentsThrough(0).ok());  // nothing to remove
  EXPECT_EQ(fs_.syncs(), before);
  ASSERT_TRUE(wal->RemoveSegmentsThrough(5).ok());
  EXPECT_EQ(fs_.syncs(), before + 1);
}

}  // namespace
}  // namespace contactd::snapshot
