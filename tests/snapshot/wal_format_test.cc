// The WAL's names and byte format, including the worked example of
// docs/wal_format.md byte for byte.

#include "snapshot/wal_format.h"

#include <xxhash.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "protocol/little_endian.h"
#include "snapshot/contact_payload.h"
#include "tests/protocol/test_contacts.h"
#include "tests/snapshot/wal_test_util.h"

namespace contactd::snapshot {
namespace {

using protocol::testing::Hex;
using protocol::testing::SequentialUuid;
using protocol::testing::TestTenant;
using protocol::testing::Unhex;
using testing::AsBytes;

TEST(WalSegmentNameTest, HasTwentyDigits) {
  EXPECT_EQ(WalSegmentName(1), "wal-00000000000000000001.log");
  EXPECT_EQ(WalSegmentName(4712), "wal-00000000000000004712.log");
  EXPECT_EQ(WalSegmentName(UINT64_MAX), "wal-18446744073709551615.log");
}

TEST(WalSegmentNameTest, ParsesWhatItWrites) {
  for (const uint64_t seq : {1ull, 9ull, 10ull, 4712ull, 1ull << 40,
                             static_cast<unsigned long long>(UINT64_MAX)}) {
    EXPECT_EQ(ParseWalSegmentName(WalSegmentName(seq)), seq);
  }
}

TEST(WalSegmentNameTest, RejectsOtherNames) {
  for (const char* name :
       {"", "wal-1.log", "wal-0000000000000000001.log",
        "wal-000000000000000000001.log", "wal-00000000000000000001.log.tmp",
        "wal-0000000000000000000a.log", "wal-+0000000000000000001.log",
        "xal-00000000000000000001.log", "wal-00000000000000000001.lag",
        "wal-00000000000000000000.log",  // no segment starts at 0
        "wal-18446744073709551616.log",  // UINT64_MAX + 1
        "wal-99999999999999999999.log", "snapshot-00000000000000000001.snap"}) {
    EXPECT_EQ(ParseWalSegmentName(name), std::nullopt) << name;
  }
}

TEST(WalSegmentNameTest, NamesSortBySequence) {
  std::vector<std::string> names = {WalSegmentName(100), WalSegmentName(9),
                                    WalSegmentName(10)};
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (std::vector<std::string>{WalSegmentName(9), WalSegmentName(10),
                                      WalSegmentName(100)}));
}

TEST(WalFormatTest, RecordSize) {
  std::string out;
  AppendWalRecord(out, 7, WalRecordType::kPut, "abc");
  EXPECT_EQ(out.size(), WalRecordSize(3));
  EXPECT_EQ(WalRecordSize(0), 25u);
}

TEST(WalFormatTest, KnownTypes) {
  EXPECT_FALSE(IsKnownWalRecordType(0));
  EXPECT_TRUE(IsKnownWalRecordType(1));
  EXPECT_TRUE(IsKnownWalRecordType(2));
  EXPECT_FALSE(IsKnownWalRecordType(3));
  EXPECT_FALSE(IsKnownWalRecordType(255));
}

TEST(WalFormatTest, HeaderChecksumCoversTheFirstSixteenBytes) {
  std::string header;
  AppendWalSegmentHeader(header, 4712);
  ASSERT_EQ(header.size(), kWalSegmentHeaderSize);
  const auto* h = reinterpret_cast<const uint8_t*>(header.data());
  EXPECT_EQ(protocol::LoadLittleEndian<uint64_t>(h + 16), XXH3_64bits(h, 16));
  EXPECT_EQ(protocol::LoadLittleEndian<uint64_t>(h + 8), 4712u);
}

TEST(WalFormatTest, RecordChecksumsCoverHeaderAndEverything) {
  std::string record;
  AppendWalRecord(record, 57, WalRecordType::kPut, "payload");
  const auto* r = reinterpret_cast<const uint8_t*>(record.data());
  EXPECT_EQ(protocol::LoadLittleEndian<uint32_t>(r + 13),
            static_cast<uint32_t>(XXH3_64bits(r, 13)));
  EXPECT_EQ(protocol::LoadLittleEndian<uint64_t>(r + record.size() - 8),
            XXH3_64bits(r, record.size() - 8));
}

// An all-zero record header must not pass its check (else a zero tail
// could read as a record of length 0).
TEST(WalFormatTest, ZeroRecordHeaderFailsItsCheck) {
  const uint8_t zeros[13] = {};
  EXPECT_NE(static_cast<uint32_t>(XXH3_64bits(zeros, sizeof(zeros))), 0u);
}

// docs/wal_format.md, "Worked example": a segment starting at sequence 1
// holding one DELETE record, the same bytes, the same grouping. If this
// test fails, the format changed: fix the code, or bump kWalFormatVersion
// and the document.
constexpr std::string_view kGoldenSegment =
    "4344574c"                          // magic "CDWL"
    "0100"                              // version 1
    "0000"                              // reserved
    "0100000000000000"                  // first_sequence 1
    "23ffc4ecc64f5935"                  // checksum: XXH3-64 of bytes 0..15
    "20000000"                          // length 32
    "0100000000000000"                  // sequence 1
    "02"                                // type DELETE
    "bb14a5ff"                          // header_check (low 32 bits of XXH3)
    "0b7e3f4c9a2d4c1e8f001234567890ab"  // payload: customer_id
    "101112131415161718191a1b1c1d1e1f"  //          id
    "0bfbd7369563e602";                 // checksum: XXH3-64 of the 49 bytes

TEST(WalFormatTest, GoldenSegmentOfTheSpecification) {
  std::string segment;
  AppendWalSegmentHeader(segment, 1);
  std::string payload;
  EncodeDeletedContact(payload, {TestTenant(), SequentialUuid(0x10)});
  ASSERT_EQ(payload.size(), 32u);
  AppendWalRecord(segment, 1, WalRecordType::kDelete, payload);
  EXPECT_EQ(segment.size(), 24u + 25u + 32u);
  EXPECT_EQ(Hex(segment), Hex(Unhex(kGoldenSegment)));

  // And it scans back to that record.
  int records = 0;
  auto scan = ScanWalSegment(AsBytes(segment), [&](const WalRecord& r) {
    ++records;
    EXPECT_EQ(r.sequence, 1u);
    EXPECT_EQ(r.type, WalRecordType::kDelete);
    EXPECT_EQ(r.offset, 24u);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.payload.data()),
                          r.payload.size()),
              payload);
    return absl::OkStatus();
  });
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_EQ(scan->end, WalScan::End::kClean);
  EXPECT_EQ(records, 1);
}

}  // namespace
}  // namespace contactd::snapshot
