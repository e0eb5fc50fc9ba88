// The byte format: file names, the header/block/footer helpers, and the
// worked example of docs/snapshot_format.md byte for byte.

#include "snapshot/snapshot_format.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/contact_record.h"
#include "protocol/contact_codec.h"
#include "snapshot/contact_payload.h"
#include "snapshot/snapshot_reader.h"
#include "snapshot/snapshot_writer.h"
#include "tests/protocol/test_contacts.h"
#include "tests/snapshot/snapshot_test_util.h"

namespace contactd::snapshot::testing {
namespace {

using protocol::testing::Hex;
using protocol::testing::Unhex;
using ::testing::HasSubstr;

TEST(SnapshotFileNameTest, TwentyDigitsSortBySequence) {
  EXPECT_EQ(SnapshotFileName(4711), "snapshot-00000000000000004711.snap");
  EXPECT_EQ(SnapshotFileName(0), "snapshot-00000000000000000000.snap");
  EXPECT_EQ(SnapshotFileName(std::numeric_limits<uint64_t>::max()),
            "snapshot-18446744073709551615.snap");
  EXPECT_LT(SnapshotFileName(999), SnapshotFileName(1000));
}

TEST(SnapshotFileNameTest, ParsesWhatItWrites) {
  for (const uint64_t seq : {uint64_t{0}, uint64_t{1}, uint64_t{4711},
                             std::numeric_limits<uint64_t>::max()}) {
    EXPECT_EQ(ParseSnapshotFileName(SnapshotFileName(seq)), seq);
  }
}

TEST(SnapshotFileNameTest, RejectsOtherNames) {
  for (const char* name :
       {"snapshot-00000000000000004711.snap.tmp", "snapshot-4711.snap",
        "snapshot-0000000000000000471x.snap",
        "snapshot-+0000000000000004711.snap",
        "snapshot-99999999999999999999.snap",  // above 2^64 - 1
        "wal-00000000000000004711.log", "snapshot-00000000000000004711.sna",
        "Snapshot-00000000000000004711.snap", ""}) {
    EXPECT_EQ(ParseSnapshotFileName(name), std::nullopt) << name;
  }
}

TEST(SnapshotFormatTest, MinStoredContactIsTheEmptyEncoding) {
  index::Contact empty;
  std::string bytes;
  protocol::PutContact(bytes, empty);
  EXPECT_EQ(bytes.size(), kMinStoredContactBytes);
}

TEST(SnapshotFormatTest, HeaderRoundTrip) {
  const SnapshotHeader header{.contact_count = 10'000'000,
                              .last_sequence = 4711,
                              .created = absl::FromUnixMicros(123456789)};
  const std::string bytes = EncodeSnapshotHeader(header);
  ASSERT_EQ(bytes.size(), kHeaderSize);
  auto decoded = DecodeSnapshotHeader(AsSpan(bytes));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->contact_count, header.contact_count);
  EXPECT_EQ(decoded->last_sequence, header.last_sequence);
  EXPECT_EQ(decoded->created, header.created);
}

TEST(SnapshotFormatTest, HeaderErrors) {
  const std::string good = EncodeSnapshotHeader({.last_sequence = 1});
  auto decode = [](std::string bytes) {
    return DecodeSnapshotHeader(AsSpan(bytes)).status();
  };
  EXPECT_TRUE(absl::IsDataLoss(decode(good.substr(0, kHeaderSize - 1))));
  std::string bad = good;
  bad[0] = 'X';
  EXPECT_EQ(decode(bad).message(), "header: bad magic (not a snapshot file)");
  bad = good;
  bad[8] = 2;
  EXPECT_EQ(decode(bad).message(),
            "header: unsupported format version 2 (this build reads 1)");
  bad = good;
  bad[20] ^= 1;  // contact_count
  EXPECT_EQ(decode(bad).message(), "header: checksum mismatch");
}

TEST(SnapshotFormatTest, BlockRoundTrip) {
  const auto records = StoredRecords(3);
  std::string bytes;
  const size_t start = BeginBlock(bytes);
  for (const auto& r : records) EncodeStoredContact(bytes, *r);
  EndBlock(bytes, start, 3, /*block_number=*/7);
  auto header = DecodeBlockHeader(AsSpan(bytes));
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->contact_count, 3u);
  EXPECT_EQ(header->total_bytes(), bytes.size());
  EXPECT_TRUE(VerifyBlockChecksum(AsSpan(bytes), *header, 7));
  // The block number seeds the checksum: a block in another place fails.
  EXPECT_FALSE(VerifyBlockChecksum(AsSpan(bytes), *header, 6));
}

TEST(SnapshotFormatTest, BlockHeaderChecksLengthBeforeTrustingIt) {
  std::string bytes;
  const size_t start = BeginBlock(bytes);
  EncodeStoredContact(bytes, *StoredRecords(1)[0]);
  EndBlock(bytes, start, 1, 0);
  auto message = [](std::string_view block) {
    return std::string(DecodeBlockHeader(AsSpan(block)).status().message());
  };
  EXPECT_THAT(message(std::string_view(bytes).substr(0, bytes.size() - 1)),
              HasSubstr("runs past the end of the file"));
  EXPECT_THAT(message(std::string_view(bytes).substr(0, 11)),
              HasSubstr("truncated block header"));
  std::string huge = bytes;
  huge[7] = 0x7f;  // length ~2 GiB
  EXPECT_THAT(message(huge), HasSubstr("exceeds the maximum"));
  std::string crowded = bytes;
  crowded[8] = 100;  // 100 contacts cannot fit
  EXPECT_THAT(message(crowded), HasSubstr("does not fit"));
  std::string none = bytes;
  none[8] = 0;
  EXPECT_THAT(message(none), HasSubstr("contact count 0 does not fit"));
  std::string magic = bytes;
  magic[0] = 'X';
  EXPECT_EQ(message(magic), "bad block magic");
}

TEST(SnapshotFormatTest, FooterRoundTrip) {
  const std::string bytes =
      EncodeSnapshotFooter({.block_count = 3, .contact_count = 9000});
  ASSERT_EQ(bytes.size(), kFooterSize);
  EXPECT_TRUE(StartsFooter(AsSpan(bytes)));
  auto footer = DecodeSnapshotFooter(AsSpan(bytes));
  ASSERT_TRUE(footer.ok()) << footer.status();
  EXPECT_EQ(footer->block_count, 3u);
  EXPECT_EQ(footer->contact_count, 9000u);
  std::string bad = bytes;
  bad[9] ^= 4;
  EXPECT_EQ(DecodeSnapshotFooter(AsSpan(bad)).status().message(),
            "footer: checksum mismatch");
}

// docs/snapshot_format.md, "Worked example": the snapshot of the protocol's
// example contact (Ada Lovelace) as of WAL sequence 4711, created at
// 2023-11-14T22:13:20Z (271 bytes). Each piece is one structure; the
// document annotates every field.
constexpr char kGoldenHeader[] = R"(
  43 44 53 4e 41 50 48 44  01 00 00 00 00 00 00 00
  01 00 00 00 00 00 00 00  67 12 00 00 00 00 00 00
  00 40 1e 18 24 0a 06 00  00 00 00 00 00 00 00 00
  00 00 00 00 00 00 00 00  81 0a f6 9f 75 3b d2 3d
)";
constexpr char kGoldenBlock[] = R"(
  43 44 42 4b 9b 00 00 00  01 00 00 00
  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f
  0b 7e 3f 4c 9a 2d 4c 1e  8f 00 12 34 56 78 90 ab
  03 00 41 64 61
  08 00 4c 6f 76 65 6c 61  63 65
  0c 00 41 64 61 20 4c 6f  76 65 6c 61 63 65
  04 00 41 63 6d 65
  00 00
  00
  00 00
  00 00
  00 40 1e 18 24 0a 06 00
  00 40 1e 18 24 0a 06 00
  01 00
  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f
  0c 00 2b 31 35 35 35 31  32 33 34 35 36 37
  0c 00 2b 31 35 35 35 31  32 33 34 35 36 37
  01 01
  00 40 1e 18 24 0a 06 00
  00 00
  01 00 03 00 76 69 70
  eb 66 20 47 25 6c ba eb
)";
constexpr char kGoldenFooter[] = R"(
  43 44 46 54 00 00 00 00  01 00 00 00 00 00 00 00
  01 00 00 00 00 00 00 00  e6 c5 6b 65 c1 e3 05 b9
)";

std::string GoldenSnapshot() {
  return Unhex(kGoldenHeader) + Unhex(kGoldenBlock) + Unhex(kGoldenFooter);
}

class SnapshotGoldenTest : public SnapshotTest {};

TEST_F(SnapshotGoldenTest, WorkedExampleBytes) {
  const std::string path = PathOf(SnapshotFileName(4711));
  std::vector<index::ContactRecord::Ptr> records;
  records.push_back(
      index::ContactRecord::Build(protocol::testing::ExampleContact()));
  auto info = WriteSnapshot(path, records, 4711);
  ASSERT_TRUE(info.ok()) << info.status();
  const std::string bytes = ReadFileBytes(path);
  EXPECT_EQ(Hex(bytes), Hex(GoldenSnapshot()));
  EXPECT_EQ(bytes.size(), 271u);
  EXPECT_EQ(info->bytes, bytes.size());

  const std::string golden = GoldenSnapshot();
  auto loaded = DecodeSnapshot(AsSpan(golden), "golden");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->records.size(), 1u);
  EXPECT_EQ(loaded->records[0]->ToContact(),
            protocol::testing::ExampleContact());
  EXPECT_EQ(loaded->info.last_sequence, 4711u);
}

}  // namespace
}  // namespace contactd::snapshot::testing
