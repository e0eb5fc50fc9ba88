#pragma once
// Helpers of the snapshot file suites: distinct stored contacts, a fresh
// directory per test, whole-file reads and writes, and the layout of a
// well-formed snapshot (where each block starts), so corruption tests can
// name the offset an error must report.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "index/contact.h"
#include "index/contact_record.h"
#include "snapshot/file_system.h"
#include "snapshot/snapshot_format.h"

namespace contactd::snapshot::testing {

// A resolved contact (ids, times, E.164 forms set; passes validation) that
// differs from StoredContact(j) for every j != i in its ids, names, numbers
// and address. `notes_bytes` pads the notes (at most 4096), to fill blocks
// with few contacts.
index::Contact StoredContact(uint32_t i, size_t notes_bytes = 0);
// Records of StoredContact(0..n-1).
std::vector<index::ContactRecord::Ptr> StoredRecords(uint32_t n,
                                                     size_t notes_bytes = 0);

// Writes `records` with a SnapshotWriter (creation time fixed) and
// returns what Finish returned.
absl::StatusOr<SnapshotInfo> WriteSnapshot(
    const std::string& path,
    const std::vector<index::ContactRecord::Ptr>& records,
    uint64_t last_sequence, FileSystem& fs = PosixFileSystem());

std::string ReadFileBytes(const std::string& path);
void WriteFileBytes(const std::string& path, std::string_view bytes);
bool FileExists(const std::string& path);

inline std::span<const uint8_t> AsSpan(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Where the structures of a well-formed snapshot start.
struct FileLayout {
  std::vector<size_t> block_starts;
  size_t footer_start = 0;
  size_t size = 0;
  // The start of the header, block or footer that holds byte `offset`
  // (REQUIRES: offset < size). A file cut at `offset` is reported there,
  // as is a flipped bit at `offset`.
  size_t StructureStart(size_t offset) const;
};
FileLayout LayoutOf(std::string_view bytes);

// The records' contacts, for comparisons.
std::vector<index::Contact> Contacts(
    const std::vector<index::ContactRecord::Ptr>& records);

// A fresh, empty directory per test, removed afterwards.
class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  std::string PathOf(const std::string& name) const {
    return JoinPath(dir_, name);
  }

  std::string dir_;
};

}  // namespace contactd::snapshot::testing
