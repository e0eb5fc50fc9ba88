#pragma once
// Loading snapshot files (format: snapshot_format.h,
// docs/snapshot_format.md): every stored contact, verified, as
// index::ContactRecords ready for ContactStore::BulkLoad.
//
//   ASSIGN_OR_RETURN(LoadedSnapshot loaded, LoadSnapshot(path, {}));
//   store.BulkLoad(std::move(loaded.records));
//
// Loading is built for large files (10M contacts, ~3.5 GB): the file is
// mapped, the block headers are walked in order (one read per ~1 MiB block)
// to find the blocks and their contact counts, the result is presized, and
// then `threads` threads verify the blocks' checksums and decode their
// contacts, each straight into the block's own range of the result.
//
// Every byte is untrusted: lengths and counts are checked against the bytes
// that remain before they are used, and no input makes the reader crash or
// allocate more than the file's size justifies. The errors are DATA_LOSS
// naming the file, the byte offset of the damage and the block:
//
//   "snapshot-00000000000000004711.snap: offset 1048640: block 3: checksum
//    mismatch"
//
// Thread safety: the functions are reentrant; LoadSnapshot/DecodeSnapshot
// start and join their own threads.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "index/contact_record.h"
#include "snapshot/snapshot_format.h"

namespace contactd::snapshot {

struct SnapshotLoadOptions {
  // Keep the contacts of the blocks before the first damaged one instead
  // of failing. A damaged header is still an error: without it the
  // snapshot's sequence is unknown.
  bool salvage = false;
  // Threads that verify and decode blocks (the caller's thread included;
  // values below 1 mean 1).
  int threads = 2;
};

struct LoadedSnapshot {
  // From the header; contact_count is records.size() (less than the
  // header's count only after salvage), bytes the input's size.
  SnapshotInfo info;
  // In file order.
  std::vector<index::ContactRecord::Ptr> records;
  // Non-empty when salvage dropped contacts: where the damage is, what it
  // is, what was kept and what the header and footer expected.
  std::string salvaged;
};

// Loads and verifies a snapshot file. Errors: NOT_FOUND (no such file),
// UNAVAILABLE (it cannot be mapped); DATA_LOSS naming the file and the
// byte offset of the damage ("snapshot-…snap: offset 1048640: block 3:
// checksum mismatch") for a bad header, block, footer, count or contact,
// a truncated file (no footer), or bytes after the footer.
absl::StatusOr<LoadedSnapshot> LoadSnapshot(
    const std::string& path, const SnapshotLoadOptions& options = {});

// The same on bytes in memory (`name` prefixes error messages): what
// LoadSnapshot does after mapping the file, and what the fuzz target runs.
// `bytes` need to live only for the call.
absl::StatusOr<LoadedSnapshot> DecodeSnapshot(
    std::span<const uint8_t> bytes, std::string_view name,
    const SnapshotLoadOptions& options = {});

// Reads and checks only the header (bytes: the file's size).
absl::StatusOr<SnapshotInfo> ReadSnapshotInfo(const std::string& path);

}  // namespace contactd::snapshot
