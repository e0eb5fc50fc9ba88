#pragma once
// SnapshotWriter: writes every contact of the store, as of one WAL sequence
// number, into a snapshot file (format: snapshot_format.h,
// docs/snapshot_format.md).
//
// Files in the data directory are named by that sequence,
// "snapshot-00000000000000004711.snap" (SnapshotFileName); recovery loads
// the newest and replays the WAL after it. A snapshot is written to
// "<path>.tmp", synced, renamed to <path>, and the directory synced, so a
// crash never leaves a half-written file under a snapshot name.
//
//   ASSIGN_OR_RETURN(auto writer, SnapshotWriter::Create(path, seq, fs));
//   for (const ContactRecord* r : view) RETURN_IF_ERROR(writer->Add(*r));
//   ASSIGN_OR_RETURN(SnapshotInfo info, writer->Finish());
//
// Errors come from the FileSystem: RESOURCE_EXHAUSTED when the disk is
// full, UNAVAILABLE for other I/O errors, both naming the path. After an
// error the writer is failed: every later call returns the same error.
//
// Thread safety: none; one thread uses a writer.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "index/contact_record.h"
#include "snapshot/file_system.h"
#include "snapshot/snapshot_format.h"

namespace contactd::snapshot {

class SnapshotWriter {
 public:
  // Starts "<path>.tmp" (replacing a stale one) with a placeholder header.
  // `fs` must outlive the writer.
  static absl::StatusOr<std::unique_ptr<SnapshotWriter>> Create(
      const std::string& path, uint64_t last_sequence,
      FileSystem& fs = PosixFileSystem());
  // Removes the temporary file unless Finish succeeded.
  ~SnapshotWriter();

  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // The creation time the header records: absl::Now() at Create unless set
  // (tests and tools that need reproducible bytes). REQUIRES: before Finish.
  void set_created(absl::Time created) { created_ = created; }

  // Buffers one contact; writes a block when the buffer holds
  // kTargetBlockBytes.
  absl::Status Add(const index::ContactRecord& record);

  // Writes the last block, the footer and the final header; syncs, renames
  // to `path`, syncs the directory. On error no file is left under `path`
  // (were the directory sync to fail after the rename, the renamed file is
  // removed again) and the temporary file is removed; FAILED_PRECONDITION
  // when called twice.
  absl::StatusOr<SnapshotInfo> Finish();

 private:
  SnapshotWriter(std::string path, uint64_t last_sequence, FileSystem& fs,
                 std::unique_ptr<WritableFile> file);

  // Appends the buffered block (if it holds a contact) to the file.
  absl::Status FlushBlock();
  // Keeps at most kWritebackWindow bytes of the file in flight to the disk.
  absl::Status WriteBack();
  // Records `status` as the writer's error and returns it.
  absl::Status Fail(absl::Status status);
  // Closes and removes the temporary file (best effort).
  void Abandon();

  const std::string path_;
  const std::string tmp_path_;
  const uint64_t last_sequence_;
  FileSystem& fs_;
  std::unique_ptr<WritableFile> file_;  // null once closed
  absl::Time created_;

  std::string block_;  // one block: BeginBlock'ed, then stored contacts
  uint32_t block_contacts_ = 0;
  uint64_t blocks_written_ = 0;
  uint64_t contacts_written_ = 0;  // in blocks written so far
  // Bytes [in_flight_from_, writeback_end_) may still be on their way to
  // the disk; those before are written, those after not yet started.
  uint64_t in_flight_from_ = 0;
  uint64_t writeback_end_ = 0;
  absl::Status status_;    // the first error
  bool finished_ = false;  // Finish was called (succeeded or not)
};

// Rewrites the last_sequence of a finished snapshot file in place (header
// checksum included) and syncs it. A reload learns the sequence its
// dataset replaces only at the moment of the swap. The header is checked
// first (DATA_LOSS naming the path when it is damaged; NOT_FOUND when the
// file does not exist).
// NOTE: the file keeps its name, which SnapshotFileName derived from the
// old sequence; renaming it is the caller's business. The header is one
// 64-byte write at offset 0, within one disk sector: a torn write is not
// expected, and would show as a header checksum mismatch.
absl::Status SetSnapshotSequence(const std::string& path,
                                 uint64_t last_sequence,
                                 FileSystem& fs = PosixFileSystem());

}  // namespace contactd::snapshot
