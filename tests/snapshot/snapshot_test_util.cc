#include "tests/snapshot/snapshot_test_util.h"

#include <stdlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/time/time.h"
#include "snapshot/snapshot_writer.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::snapshot::testing {
namespace {

// Bytes: `tag`, 0..., then `i` big-endian in the last four.
index::Uuid NumberedUuid(uint8_t tag, uint32_t i) {
  std::array<uint8_t, index::Uuid::kSize> bytes{};
  bytes[0] = tag;
  bytes[6] = 0x40;  // looks like a v4 UUID; nothing checks it
  bytes[12] = static_cast<uint8_t>(i >> 24);
  bytes[13] = static_cast<uint8_t>(i >> 16);
  bytes[14] = static_cast<uint8_t>(i >> 8);
  bytes[15] = static_cast<uint8_t>(i);
  return index::Uuid(bytes);
}

std::string SevenDigits(uint32_t i) {
  char text[8];
  std::snprintf(text, sizeof(text), "%07u", i % 10000000);
  return text;
}

}  // namespace

index::Contact StoredContact(uint32_t i, size_t notes_bytes) {
  index::Contact c = protocol::testing::TypicalContact();
  const std::string n = std::to_string(i);
  c.id = NumberedUuid(0x10, i);
  c.first_name += n;
  c.display_name = c.first_name + " " + c.last_name;
  c.external_id = "crm-" + n;
  c.phone_numbers[0].id = NumberedUuid(0x20, i);
  c.phone_numbers[0].number = c.phone_numbers[0].number_e164 =
      "+1555" + SevenDigits(i);
  c.phone_numbers[1].id = NumberedUuid(0x30, i);
  c.phone_numbers[1].number_e164 = "+1666" + SevenDigits(i);
  c.phone_numbers[1].number = "(666) " + SevenDigits(i);
  c.emails[0].id = NumberedUuid(0x40, i);
  c.emails[0].address = "user" + n + "@apollo.example";
  c.tm_update += absl::Seconds(i);
  // Vary the shape a little: some without email or company, more tags.
  if (i % 5 == 1) c.emails.clear();
  if (i % 7 == 2) c.company.clear();
  if (i % 3 == 0) c.tags.push_back("tag-" + std::to_string(i % 10));
  if (notes_bytes > 0) c.notes = std::string(notes_bytes, 'a' + i % 26);
  return c;
}

std::vector<index::ContactRecord::Ptr> StoredRecords(uint32_t n,
                                                     size_t notes_bytes) {
  std::vector<index::ContactRecord::Ptr> records;
  records.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    records.push_back(
        index::ContactRecord::Build(StoredContact(i, notes_bytes)));
  }
  return records;
}

absl::StatusOr<SnapshotInfo> WriteSnapshot(
    const std::string& path,
    const std::vector<index::ContactRecord::Ptr>& records,
    uint64_t last_sequence, FileSystem& fs) {
  auto writer = SnapshotWriter::Create(path, last_sequence, fs);
  if (!writer.ok()) return writer.status();
  (*writer)->set_created(absl::FromUnixMicros(1700000000000000));
  for (const auto& record : records) {
    if (auto s = (*writer)->Add(*record); !s.ok()) return s;
  }
  return (*writer)->Finish();
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFileBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

bool FileExists(const std::string& path) {
  return std::filesystem::exists(path);
}

size_t FileLayout::StructureStart(size_t offset) const {
  if (offset < kHeaderSize) return 0;
  if (offset >= footer_start) return footer_start;
  size_t start = kHeaderSize;
  for (const size_t block : block_starts) {
    if (block > offset) break;
    start = block;
  }
  return start;
}

FileLayout LayoutOf(std::string_view bytes) {
  FileLayout layout;
  layout.size = bytes.size();
  size_t pos = kHeaderSize;
  while (pos < bytes.size() && !StartsFooter(AsSpan(bytes.substr(pos)))) {
    auto header = DecodeBlockHeader(AsSpan(bytes.substr(pos)));
    EXPECT_TRUE(header.ok()) << header.status();
    if (!header.ok()) break;
    layout.block_starts.push_back(pos);
    pos += header->total_bytes();
  }
  layout.footer_start = pos;
  return layout;
}

std::vector<index::Contact> Contacts(
    const std::vector<index::ContactRecord::Ptr>& records) {
  std::vector<index::Contact> contacts;
  contacts.reserve(records.size());
  for (const auto& record : records) contacts.push_back(record->ToContact());
  return contacts;
}

void SnapshotTest::SetUp() {
  std::string templ = ::testing::TempDir() + "snapshot_test_XXXXXX";
  ASSERT_NE(::mkdtemp(templ.data()), nullptr);
  dir_ = templ;
}

void SnapshotTest::TearDown() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace contactd::snapshot::testing
