// ScanWalSegment on bytes in memory: what is clean, torn and corrupt.

#include <xxhash.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "protocol/little_endian.h"
#include "snapshot/wal_format.h"
#include "tests/snapshot/wal_test_util.h"

namespace contactd::snapshot {
namespace {

using testing::AsBytes;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TestPayload;

struct Scanned {
  WalScan scan;
  std::vector<uint64_t> sequences;
  std::vector<uint64_t> offsets;
  std::vector<std::string> payloads;
};

Scanned Scan(const std::string& bytes) {
  Scanned out;
  auto scan = ScanWalSegment(AsBytes(bytes), [&](const WalRecord& r) {
    out.sequences.push_back(r.sequence);
    out.offsets.push_back(r.offset);
    out.payloads.emplace_back(reinterpret_cast<const char*>(r.payload.data()),
                              r.payload.size());
    return absl::OkStatus();
  });
  EXPECT_TRUE(scan.ok()) << scan.status();
  if (scan.ok()) out.scan = *scan;
  return out;
}

// A segment starting at `first` with `n` records; offsets[i] is where
// record i starts (offsets[n] is the end).
std::string Segment(uint64_t first, int n, std::vector<size_t>* offsets) {
  std::string bytes;
  AppendWalSegmentHeader(bytes, first);
  for (int i = 0; i < n; ++i) {
    if (offsets != nullptr) offsets->push_back(bytes.size());
    const uint64_t seq = first + static_cast<uint64_t>(i);
    AppendWalRecord(bytes, seq,
                    i % 2 == 0 ? WalRecordType::kPut : WalRecordType::kDelete,
                    TestPayload(seq));
  }
  if (offsets != nullptr) offsets->push_back(bytes.size());
  return bytes;
}

// A record header with a valid header check, whatever its fields.
std::string RecordHeader(uint32_t length, uint64_t sequence, uint8_t type) {
  std::string h;
  protocol::AppendLittleEndian<uint32_t>(h, length);
  protocol::AppendLittleEndian<uint64_t>(h, sequence);
  protocol::AppendLittleEndian<uint8_t>(h, type);
  protocol::AppendLittleEndian<uint32_t>(
      h, static_cast<uint32_t>(XXH3_64bits(h.data(), h.size())));
  return h;
}

// A segment header with a valid checksum, whatever its fields.
std::string SegmentHeader(uint32_t magic, uint16_t version, uint16_t reserved,
                          uint64_t first) {
  std::string h;
  protocol::AppendLittleEndian<uint32_t>(h, magic);
  protocol::AppendLittleEndian<uint16_t>(h, version);
  protocol::AppendLittleEndian<uint16_t>(h, reserved);
  protocol::AppendLittleEndian<uint64_t>(h, first);
  protocol::AppendLittleEndian<uint64_t>(h, XXH3_64bits(h.data(), h.size()));
  return h;
}

TEST(WalScanTest, HeaderOnlySegmentIsClean) {
  const Scanned s = Scan(Segment(42, 0, nullptr));
  EXPECT_EQ(s.scan.end, WalScan::End::kClean);
  EXPECT_EQ(s.scan.first_sequence, 42u);
  EXPECT_EQ(s.scan.last_sequence, 0u);
  EXPECT_EQ(s.scan.records, 0u);
  EXPECT_EQ(s.scan.valid_bytes, kWalSegmentHeaderSize);
  EXPECT_TRUE(s.scan.problem.empty());
}

TEST(WalScanTest, ReportsEveryRecordInOrder) {
  std::vector<size_t> offsets;
  const std::string bytes = Segment(100, 5, &offsets);
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kClean);
  EXPECT_EQ(s.scan.records, 5u);
  EXPECT_EQ(s.scan.last_sequence, 104u);
  EXPECT_EQ(s.scan.valid_bytes, bytes.size());
  EXPECT_EQ(s.sequences, (std::vector<uint64_t>{100, 101, 102, 103, 104}));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(s.offsets[i], offsets[i]);
    EXPECT_EQ(s.payloads[i], TestPayload(100 + i));
  }
}

TEST(WalScanTest, EmptyPayloadIsAllowed) {
  std::string bytes = Segment(1, 0, nullptr);
  AppendWalRecord(bytes, 1, WalRecordType::kPut, "");
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kClean);
  EXPECT_EQ(s.payloads, std::vector<std::string>{""});
}

TEST(WalScanTest, LargestPayloadIsAllowed) {
  std::string bytes = Segment(1, 0, nullptr);
  AppendWalRecord(bytes, 1, WalRecordType::kPut,
                  std::string(kWalMaxPayloadBytes, 'x'));
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kClean);
  EXPECT_EQ(s.scan.records, 1u);
}

TEST(WalScanTest, TruncatedSegmentHeaderIsTorn) {
  const std::string full = Segment(1, 0, nullptr);
  for (size_t n = 0; n < kWalSegmentHeaderSize; ++n) {
    const Scanned s = Scan(full.substr(0, n));
    EXPECT_EQ(s.scan.end, WalScan::End::kTorn) << n;
    EXPECT_EQ(s.scan.valid_bytes, 0u);
    EXPECT_EQ(s.scan.first_sequence, 0u);
    EXPECT_THAT(s.scan.problem, StartsWith("offset 0: "));
  }
}

TEST(WalScanTest, ZeroSegmentIsTorn) {
  for (const size_t n : {24, 25, 100, 4096}) {
    const Scanned s = Scan(std::string(n, '\0'));
    EXPECT_EQ(s.scan.end, WalScan::End::kTorn) << n;
    EXPECT_EQ(s.scan.valid_bytes, 0u);
    EXPECT_THAT(s.scan.problem, HasSubstr("zero bytes at the end"));
  }
}

TEST(WalScanTest, BadMagicIsCorrupt) {
  const Scanned s = Scan(SegmentHeader(0x4c574444, 1, 0, 1));
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.problem, "offset 0: not a WAL segment (bad magic)");
}

TEST(WalScanTest, SegmentHeaderChecksumMismatchIsCorrupt) {
  std::string bytes = Segment(1, 2, nullptr);
  bytes[9] ^= 1;  // first_sequence
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.problem, "offset 0: segment header checksum mismatch");
  EXPECT_TRUE(s.sequences.empty());
}

TEST(WalScanTest, UnsupportedVersionIsCorrupt) {
  const Scanned s = Scan(SegmentHeader(kWalMagic, 2, 0, 1));
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.problem, "offset 0: unsupported WAL format version 2");
}

TEST(WalScanTest, NonZeroReservedFieldIsCorrupt) {
  const Scanned s = Scan(SegmentHeader(kWalMagic, 1, 1, 1));
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_THAT(s.scan.problem, HasSubstr("reserved"));
}

TEST(WalScanTest, FirstSequenceZeroIsCorrupt) {
  const Scanned s = Scan(SegmentHeader(kWalMagic, 1, 0, 0));
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_THAT(s.scan.problem, HasSubstr("first sequence is 0"));
}

// An append cut short anywhere in the last record: header, length,
// sequence, type, header check, payload or checksum.
TEST(WalScanTest, TruncationAtEveryByteOfTheLastRecordIsTorn) {
  std::vector<size_t> offsets;
  const std::string full = Segment(1, 4, &offsets);
  const size_t last = offsets[3];
  for (size_t cut = last + 1; cut < full.size(); ++cut) {
    const Scanned s = Scan(full.substr(0, cut));
    EXPECT_EQ(s.scan.end, WalScan::End::kTorn) << cut;
    EXPECT_EQ(s.scan.valid_bytes, last) << cut;
    EXPECT_EQ(s.scan.records, 3u) << cut;
    EXPECT_EQ(s.scan.last_sequence, 3u) << cut;
    EXPECT_THAT(s.scan.problem, StartsWith("offset " + std::to_string(last)))
        << cut;
  }
}

TEST(WalScanTest, ZeroTailIsTorn) {
  const std::string full = Segment(1, 3, nullptr);
  for (const size_t n : {1, 8, 16, 17, 18, 25, 64, 4096}) {
    const Scanned s = Scan(full + std::string(n, '\0'));
    EXPECT_EQ(s.scan.end, WalScan::End::kTorn) << n;
    EXPECT_EQ(s.scan.valid_bytes, full.size()) << n;
    EXPECT_EQ(s.scan.records, 3u);
    EXPECT_EQ(s.scan.problem, "offset " + std::to_string(full.size()) + ": " +
                                  std::to_string(n) + " zero bytes at the end");
  }
}

// The size reached the disk, the last record's data did not.
TEST(WalScanTest, ZeroedLastRecordIsTorn) {
  std::vector<size_t> offsets;
  std::string bytes = Segment(1, 3, &offsets);
  std::fill(bytes.begin() + offsets[2], bytes.end(), '\0');
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kTorn);
  EXPECT_EQ(s.scan.valid_bytes, offsets[2]);
  EXPECT_EQ(s.scan.records, 2u);
}

// Its header reached the disk, the rest of its data did not.
TEST(WalScanTest, CompleteLastRecordWithBadChecksumIsTorn) {
  std::vector<size_t> offsets;
  std::string bytes = Segment(1, 3, &offsets);
  std::fill(bytes.begin() + offsets[2] + kWalRecordHeaderSize, bytes.end(),
            '\0');
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kTorn);
  EXPECT_EQ(s.scan.valid_bytes, offsets[2]);
  EXPECT_EQ(s.scan.problem, "offset " + std::to_string(offsets[2]) +
                                ": record 3: checksum mismatch");
}

TEST(WalScanTest, ShortTailIsTornWhateverItHolds) {
  const std::string full = Segment(1, 2, nullptr);
  const Scanned s = Scan(full + "garbage");
  EXPECT_EQ(s.scan.end, WalScan::End::kTorn);
  EXPECT_EQ(s.scan.valid_bytes, full.size());
  EXPECT_THAT(s.scan.problem, HasSubstr("record header truncated (7 of 17"));
}

TEST(WalScanTest, GarbageTailIsCorrupt) {
  const std::string full = Segment(1, 2, nullptr);
  const Scanned s = Scan(full + std::string(40, '\x5a'));
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.valid_bytes, full.size());
  EXPECT_THAT(s.scan.problem, HasSubstr("record header checksum mismatch"));
}

// Every single-bit flip of a record followed by another is corruption at
// that record's offset: the header check guards length, sequence and type,
// the checksum everything.
TEST(WalScanTest, EveryBitFlipInAMiddleRecordIsCorrupt) {
  std::vector<size_t> offsets;
  const std::string full = Segment(1, 5, &offsets);
  const size_t begin = offsets[2];
  const size_t end = offsets[3];
  for (size_t i = begin; i < end; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bytes = full;
      bytes[i] = static_cast<char>(bytes[i] ^ (1 << bit));
      const Scanned s = Scan(bytes);
      EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt) << i << ":" << bit;
      EXPECT_EQ(s.scan.valid_bytes, begin) << i << ":" << bit;
      EXPECT_EQ(s.scan.records, 2u) << i << ":" << bit;
      EXPECT_THAT(s.scan.problem,
                  StartsWith("offset " + std::to_string(begin) + ": "))
          << i << ":" << bit;
    }
  }
}

TEST(WalScanTest, BadLengthIsCorrupt) {
  std::string bytes = Segment(1, 1, nullptr);
  const size_t at = bytes.size();
  bytes += RecordHeader(kWalMaxPayloadBytes + 1, 2, 1);
  bytes += std::string(64, 'x');
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.valid_bytes, at);
  EXPECT_EQ(s.scan.problem, "offset " + std::to_string(at) +
                                ": record 2: bad length 16777217 (at most "
                                "16777216)");
}

TEST(WalScanTest, UnknownTypeIsCorrupt) {
  std::string bytes = Segment(1, 1, nullptr);
  const size_t at = bytes.size();
  AppendWalRecord(bytes, 2, static_cast<WalRecordType>(9), "x");
  AppendWalRecord(bytes, 3, WalRecordType::kPut, "y");
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.problem,
            "offset " + std::to_string(at) + ": record 2: unknown type 9");
  EXPECT_EQ(s.sequences, std::vector<uint64_t>{1});
}

TEST(WalScanTest, SequenceGapIsCorrupt) {
  std::string bytes = Segment(1, 2, nullptr);
  const size_t at = bytes.size();
  AppendWalRecord(bytes, 4, WalRecordType::kPut, "x");
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.problem, "offset " + std::to_string(at) +
                                ": record 4: sequence out of order (3 "
                                "expected)");
  EXPECT_EQ(s.scan.last_sequence, 2u);
}

TEST(WalScanTest, RepeatedSequenceIsCorrupt) {
  std::string bytes = Segment(1, 2, nullptr);
  AppendWalRecord(bytes, 2, WalRecordType::kPut, "x");
  EXPECT_EQ(Scan(bytes).scan.end, WalScan::End::kCorrupt);
}

TEST(WalScanTest, FirstRecordMustMatchTheHeader) {
  std::string bytes = Segment(10, 0, nullptr);
  AppendWalRecord(bytes, 11, WalRecordType::kPut, "x");
  const Scanned s = Scan(bytes);
  EXPECT_EQ(s.scan.end, WalScan::End::kCorrupt);
  EXPECT_EQ(s.scan.problem,
            "offset 24: record 11: sequence out of order (10 expected)");
}

TEST(WalScanTest, CallbackErrorStopsTheScan) {
  const std::string bytes = Segment(1, 5, nullptr);
  std::vector<uint64_t> seen;
  auto scan = ScanWalSegment(AsBytes(bytes), [&](const WalRecord& r) {
    seen.push_back(r.sequence);
    if (r.sequence == 3) return absl::CancelledError("stop here");
    return absl::OkStatus();
  });
  EXPECT_EQ(scan.status(), absl::CancelledError("stop here"));
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace contactd::snapshot
