// Damaged snapshot files: truncation, flipped bits, bad counts, invalid
// contacts behind valid checksums, and salvage. Every damage is DATA_LOSS
// naming the file and the offset of the damaged structure.

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "protocol/contact_codec.h"
#include "snapshot/contact_payload.h"
#include "snapshot/snapshot_reader.h"
#include "tests/protocol/test_contacts.h"
#include "tests/snapshot/snapshot_test_util.h"

namespace contactd::snapshot::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr char kName[] = "snapshot-00000000000000000009.snap";

// A snapshot of `records` written by the writer, as bytes.
class SnapshotCorruptionTest : public SnapshotTest {
 protected:
  std::string Write(const std::vector<index::ContactRecord::Ptr>& records) {
    const std::string path = PathOf(kName);
    auto info = WriteSnapshot(path, records, 9);
    EXPECT_TRUE(info.ok()) << info.status();
    return ReadFileBytes(path);
  }

  // Decoding `bytes` fails with DATA_LOSS at `offset`.
  static void ExpectDamageAt(std::string_view bytes, size_t offset,
                             const std::string& context, int threads = 2) {
    auto loaded = DecodeSnapshot(AsSpan(bytes), kName, {.threads = threads});
    ASSERT_FALSE(loaded.ok()) << context;
    EXPECT_TRUE(absl::IsDataLoss(loaded.status()))
        << context << ": " << loaded.status();
    EXPECT_THAT(std::string(loaded.status().message()),
                StartsWith(absl::StrCat(kName, ": offset ", offset, ": ")))
        << context;
  }
};

// Three blocks of big contacts: few contacts, quick to decode many times.
std::vector<index::ContactRecord::Ptr> ThreeBlocks() {
  return StoredRecords(600, /*notes_bytes=*/4000);
}

TEST_F(SnapshotCorruptionTest, TruncationAtEveryBoundaryAndMidBlock) {
  const std::string good = Write(ThreeBlocks());
  const FileLayout layout = LayoutOf(good);
  ASSERT_EQ(layout.block_starts.size(), 3u);
  std::vector<size_t> cuts = {0,
                              1,
                              kHeaderSize - 1,
                              kHeaderSize,
                              kHeaderSize + 3,
                              kHeaderSize + 11,
                              kHeaderSize + 12};
  for (const size_t start : layout.block_starts) {
    for (const size_t delta : {0, 1, 4, 12, 13, 5000}) {
      cuts.push_back(start + delta);
    }
    cuts.push_back(start - 1);
    cuts.push_back(start - 8);  // inside the previous block's checksum
  }
  for (size_t i = 0; i < kFooterSize; ++i)
    cuts.push_back(layout.footer_start + i);
  for (const size_t cut : cuts) {
    ExpectDamageAt(good.substr(0, cut), layout.StructureStart(cut),
                   absl::StrCat("cut at ", cut));
  }
}

TEST_F(SnapshotCorruptionTest, TruncationMessagesSayWhatIsMissing) {
  const std::string good = Write(ThreeBlocks());
  const FileLayout layout = LayoutOf(good);
  auto cut_at_footer =
      DecodeSnapshot(AsSpan(good.substr(0, layout.footer_start)), kName);
  EXPECT_THAT(std::string(cut_at_footer.status().message()),
              HasSubstr("truncated: the file ends after 3 blocks, without a "
                        "footer"));
  auto mid_block = DecodeSnapshot(
      AsSpan(good.substr(0, layout.block_starts[1] + 100)), kName);
  EXPECT_THAT(std::string(mid_block.status().message()),
              HasSubstr(absl::StrCat("offset ", layout.block_starts[1],
                                     ": block 1: length ")));
  EXPECT_THAT(std::string(mid_block.status().message()),
              HasSubstr("runs past the end of the file"));
}

// One flipped bit in each byte of a one-block snapshot, each of the 8 bit
// positions in turn: every byte is covered by a magic, a checksum or both.
TEST_F(SnapshotCorruptionTest, EveryFlippedByteOfASmallSnapshotIsDataLoss) {
  const std::string good = Write(StoredRecords(3));
  const FileLayout layout = LayoutOf(good);
  ASSERT_EQ(layout.block_starts.size(), 1u);
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
    ExpectDamageAt(bad, layout.StructureStart(i), absl::StrCat("byte ", i),
                   /*threads=*/1);
  }
}

// In a three-block file, a flip in each field of each structure.
TEST_F(SnapshotCorruptionTest, FlippedBitsInEveryFieldOfEveryStructure) {
  const std::string good = Write(ThreeBlocks());
  const FileLayout layout = LayoutOf(good);
  ASSERT_EQ(layout.block_starts.size(), 3u);
  struct Field {
    const char* name;
    size_t offset;
  };
  std::vector<Field> fields = {
      {"header magic", 0},          {"header version", 8},
      {"header flags", 12},         {"header contact_count", 16},
      {"header last_sequence", 24}, {"header created", 32},
      {"header reserved", 40},      {"header checksum", 56},
  };
  for (size_t b = 0; b < layout.block_starts.size(); ++b) {
    const size_t start = layout.block_starts[b];
    const size_t end = b + 1 < layout.block_starts.size()
                           ? layout.block_starts[b + 1]
                           : layout.footer_start;
    fields.push_back({"block magic", start});
    fields.push_back({"block length (low byte)", start + 4});
    fields.push_back({"block length (high byte)", start + 7});
    fields.push_back({"block contact_count", start + 8});
    fields.push_back({"block first contact", start + 12});
    fields.push_back({"block contact middle", (start + end) / 2});
    fields.push_back({"block last contact byte", end - 9});
    fields.push_back({"block checksum", end - 8});
    fields.push_back({"block checksum last byte", end - 1});
  }
  const size_t f = layout.footer_start;
  fields.push_back({"footer magic", f});
  fields.push_back({"footer reserved", f + 4});
  fields.push_back({"footer block_count", f + 8});
  fields.push_back({"footer contact_count", f + 16});
  fields.push_back({"footer checksum", f + 24});
  for (const Field& field : fields) {
    for (const int bit : {0, 7}) {
      std::string bad = good;
      bad[field.offset] = static_cast<char>(bad[field.offset] ^ (1 << bit));
      ExpectDamageAt(
          bad, layout.StructureStart(field.offset),
          absl::StrCat(field.name, " at ", field.offset, " bit ", bit));
    }
  }
}

TEST_F(SnapshotCorruptionTest, ChecksumMismatchNamesTheBlock) {
  const std::string good = Write(ThreeBlocks());
  const FileLayout layout = LayoutOf(good);
  std::string bad = good;
  bad[layout.block_starts[2] + 500] ^= 0x20;
  auto loaded = DecodeSnapshot(AsSpan(bad), kName);
  EXPECT_EQ(loaded.status().message(),
            absl::StrCat(kName, ": offset ", layout.block_starts[2],
                         ": block 2: checksum mismatch"));
}

TEST_F(SnapshotCorruptionTest, SwappedBlocksFailTheirChecksums) {
  const std::string good = Write(ThreeBlocks());
  const FileLayout layout = LayoutOf(good);
  const size_t a = layout.block_starts[0], b = layout.block_starts[1],
               c = layout.block_starts[2];
  // Block 1 twice instead of blocks 0 and 1 (same size not needed: the walk
  // follows lengths).
  const std::string bad = good.substr(0, a) + good.substr(b, c - b) +
                          good.substr(b, c - b) + good.substr(c);
  ExpectDamageAt(bad, a, "block 1 in place of block 0");
}

TEST_F(SnapshotCorruptionTest, BytesAfterTheFooter) {
  const std::string good = Write(StoredRecords(3));
  ExpectDamageAt(good + "x", good.size(), "one byte more");
  auto loaded = DecodeSnapshot(AsSpan(good + std::string(10, '\0')), kName);
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr("10 bytes after the footer"));
}

// Files put together with the format helpers: valid checksums around
// content the writer would never produce.
class HandMadeSnapshotTest : public SnapshotCorruptionTest {
 protected:
  // header + one block of `contacts` claiming `count` + footer.
  static std::string Build(const std::string& contacts, uint32_t count,
                           uint64_t header_count, uint64_t footer_blocks,
                           uint64_t footer_contacts) {
    std::string file = EncodeSnapshotHeader(
        {.contact_count = header_count, .last_sequence = 9});
    const size_t start = BeginBlock(file);
    file += contacts;
    EndBlock(file, start, count, 0);
    file += EncodeSnapshotFooter(
        {.block_count = footer_blocks, .contact_count = footer_contacts});
    return file;
  }
  static std::string Encoded(const index::Contact& c) {
    std::string out;
    protocol::PutContact(out, c);
    return out;
  }
};

TEST_F(HandMadeSnapshotTest, TheHelpersMakeAValidFile) {
  const std::string two = Encoded(StoredContact(0)) + Encoded(StoredContact(1));
  auto loaded = DecodeSnapshot(AsSpan(Build(two, 2, 2, 1, 2)), kName);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->records.size(), 2u);
}

TEST_F(HandMadeSnapshotTest, InvalidContactBehindAValidChecksum) {
  index::Contact unresolved = StoredContact(1);
  unresolved.phone_numbers[0].number_e164 = "555-0100";  // not E.164
  const std::string first = Encoded(StoredContact(0));
  const std::string file = Build(first + Encoded(unresolved), 2, 2, 1, 2);
  const size_t second = kHeaderSize + kBlockHeaderSize + first.size();
  ExpectDamageAt(file, second, "second contact");
  auto loaded = DecodeSnapshot(AsSpan(file), kName);
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr("block 0: contact 1 of 2: stored contact: phone"));
}

TEST_F(HandMadeSnapshotTest, MalformedContactBehindAValidChecksum) {
  std::string garbage = Encoded(StoredContact(0));
  garbage[32] = static_cast<char>(0xff);  // first_name length: 0x..ff
  garbage[33] = static_cast<char>(0xff);
  ExpectDamageAt(Build(garbage, 1, 1, 1, 1), kHeaderSize + kBlockHeaderSize,
                 "first_name too long");
}

TEST_F(HandMadeSnapshotTest, BlockCountTooLow) {
  const std::string two = Encoded(StoredContact(0)) + Encoded(StoredContact(1));
  const std::string file = Build(two, 1, 1, 1, 1);
  const size_t after_first =
      kHeaderSize + kBlockHeaderSize + Encoded(StoredContact(0)).size();
  ExpectDamageAt(file, after_first, "count 1 for 2 contacts");
  EXPECT_THAT(
      std::string(DecodeSnapshot(AsSpan(file), kName).status().message()),
      HasSubstr("bytes follow its 1 contacts"));
}

TEST_F(HandMadeSnapshotTest, BlockCountTooHigh) {
  const std::string two = Encoded(StoredContact(0)) + Encoded(StoredContact(1));
  const std::string file = Build(two, 3, 3, 1, 3);
  ExpectDamageAt(file, kHeaderSize + kBlockHeaderSize + two.size(),
                 "count 3 for 2 contacts");
}

TEST_F(HandMadeSnapshotTest, FooterCountsMustMatchTheBlocks) {
  const std::string one = Encoded(StoredContact(0));
  const size_t footer =
      kHeaderSize + kBlockHeaderSize + one.size() + kBlockChecksumSize;
  ExpectDamageAt(Build(one, 1, 1, 2, 1), footer, "footer block count");
  ExpectDamageAt(Build(one, 1, 1, 1, 5), footer, "footer contact count");
  ExpectDamageAt(Build(one, 1, 7, 1, 1), 0, "header contact count");
}

TEST_F(HandMadeSnapshotTest, HugeCountsDoNotAllocate) {
  // A header claiming 2^63 contacts over one small block: the reader sizes
  // its result from the blocks' (bounded) counts, not from the header.
  const std::string one = Encoded(StoredContact(0));
  ExpectDamageAt(Build(one, 1, uint64_t{1} << 63, 1, 1), 0, "huge header");
}

TEST_F(SnapshotCorruptionTest, SalvageKeepsTheBlocksBeforeTheDamage) {
  const auto records = ThreeBlocks();
  const std::string good = Write(records);
  const FileLayout layout = LayoutOf(good);
  std::string bad = good;
  bad[layout.block_starts[1] + 300] ^= 1;
  for (const int threads : {1, 2}) {
    auto loaded = DecodeSnapshot(AsSpan(bad), kName,
                                 {.salvage = true, .threads = threads});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    auto block0 =
        DecodeBlockHeader(AsSpan(good).subspan(layout.block_starts[0]));
    ASSERT_TRUE(block0.ok());
    ASSERT_EQ(loaded->records.size(), block0->contact_count);
    EXPECT_EQ(loaded->info.contact_count, block0->contact_count);
    EXPECT_EQ(loaded->info.last_sequence, 9u);
    for (size_t i = 0; i < loaded->records.size(); ++i) {
      ASSERT_EQ(loaded->records[i]->ToContact(), records[i]->ToContact());
    }
    EXPECT_THAT(loaded->salvaged,
                HasSubstr(absl::StrCat("offset ", layout.block_starts[1],
                                       ": block 1: checksum mismatch")));
    EXPECT_THAT(loaded->salvaged,
                HasSubstr(absl::StrCat("salvage kept 1 blocks (",
                                       block0->contact_count, " contacts)")));
    EXPECT_THAT(loaded->salvaged, HasSubstr("the header counts 600 contacts"));
  }
}

TEST_F(SnapshotCorruptionTest, SalvageOfATruncatedFile) {
  const std::string good = Write(ThreeBlocks());
  const FileLayout layout = LayoutOf(good);
  auto mid_block_2 =
      DecodeSnapshot(AsSpan(good.substr(0, layout.block_starts[2] + 100)),
                     kName, {.salvage = true});
  ASSERT_TRUE(mid_block_2.ok()) << mid_block_2.status();
  EXPECT_THAT(mid_block_2->salvaged, HasSubstr("salvage kept 2 blocks"));

  // Without a footer every block is kept.
  auto no_footer = DecodeSnapshot(AsSpan(good.substr(0, layout.footer_start)),
                                  kName, {.salvage = true});
  ASSERT_TRUE(no_footer.ok()) << no_footer.status();
  EXPECT_EQ(no_footer->records.size(), 600u);
  EXPECT_THAT(no_footer->salvaged, HasSubstr("without a footer"));
}

TEST_F(SnapshotCorruptionTest, SalvageCannotSkipADamagedHeader) {
  std::string bad = Write(StoredRecords(3));
  bad[30] ^= 1;  // last_sequence
  auto loaded = DecodeSnapshot(AsSpan(bad), kName, {.salvage = true});
  EXPECT_TRUE(absl::IsDataLoss(loaded.status())) << loaded.status();
}

TEST_F(SnapshotCorruptionTest, SalvageOfAGoodFileSalvagesNothing) {
  auto loaded = DecodeSnapshot(AsSpan(Write(StoredRecords(30))), kName,
                               {.salvage = true});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->records.size(), 30u);
  EXPECT_THAT(loaded->salvaged, IsEmpty());
}

TEST_F(SnapshotCorruptionTest, LoadSnapshotNamesThePath) {
  const std::string path = PathOf(kName);
  std::string bad = Write(StoredRecords(3));
  bad[kHeaderSize + 40] ^= 1;
  WriteFileBytes(path, bad);
  auto loaded = LoadSnapshot(path);
  EXPECT_TRUE(absl::IsDataLoss(loaded.status()));
  EXPECT_THAT(std::string(loaded.status().message()),
              StartsWith(absl::StrCat(path, ": offset 64: block 0: ")));
}

TEST_F(SnapshotCorruptionTest, OddThreadCountsWork) {
  const std::string good = Write(ThreeBlocks());
  for (const int threads : {-3, 0, 1, 3, 1000}) {
    auto loaded = DecodeSnapshot(AsSpan(good), kName, {.threads = threads});
    ASSERT_TRUE(loaded.ok()) << threads << ": " << loaded.status();
    EXPECT_EQ(loaded->records.size(), 600u);
  }
}

}  // namespace
}  // namespace contactd::snapshot::testing
