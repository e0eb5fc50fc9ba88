#pragma once
// WalWriter: appends records to the write-ahead log. Every accepted write is
// appended here before it is acknowledged; recovery (wal_replay.h) replays
// what the newest snapshot does not hold. The byte format is wal_format.h
// (docs/wal_format.md).
//
//   ASSIGN_OR_RETURN(auto wal, WalWriter::Open(options, /*next_sequence=*/1));
//   ASSIGN_OR_RETURN(uint64_t seq, wal->Append(WalRecordType::kPut, bytes));
//   RETURN_IF_ERROR(wal->Sync());      // now it survives a power cut
//
// Each Append is one write(2) of one whole record (no buffering in user
// space across calls): after it returns the record survives a crash of the
// process, and after Sync a crash of the machine. All file operations go
// through WalOptions::fs, so tests can make them fail.
//
// A segment file is created with its header and the directory is synced, so
// its name persists. A segment that has reached WalOptions::segment_bytes is
// synced and the next record starts a new segment.
//
// Thread safety:
//   - Append and Rotate: one thread at a time (the writer).
//   - Sync: any thread, concurrently with everything else (the interval
//     flusher); it syncs every record appended before it was called.
//   - RemoveSegmentsThrough: any thread, concurrently with everything else
//     (the checkpointer); calls of it are serialized.
//   - last_sequence, bytes_appended, segment_count: any thread.
// Invariants:
//   1. file_ (the current segment) is replaced only by the writer thread,
//      under mu_; Sync copies the shared_ptr under mu_ and runs the fsync
//      without holding mu_, so a slow fsync never blocks an Append.
//   2. A segment is synced before it stops being the current one, so a Sync
//      that finds a newer file has nothing older left to sync.
//   3. No file is closed while another thread may hold it: the last
//      shared_ptr to go closes it.
//   4. After a failed fsync, or a failed append that could not be removed
//      again, failed_ holds that error for good and every call returns it
//      (after a failed fsync the kernel may have dropped dirty pages: a
//      retry that succeeds would prove nothing).

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "snapshot/file_system.h"
#include "snapshot/wal_format.h"

namespace contactd::snapshot {

struct WalOptions {
  std::string dir;
  // A segment that has reached this size is closed (synced) and the next
  // record starts a new one (so a segment exceeds it by at most one record).
  uint64_t segment_bytes = 64ull << 20;
  FileSystem* fs = &PosixFileSystem();
};

class WalWriter {
 public:
  // Starts a new segment whose first record will be `next_sequence` (one
  // past the last record recovery found), creating the directory if needed.
  // Existing segments are left alone, except one named for `next_sequence`
  // that holds only its header (a writer stopped before its first record):
  // that one is reused. Errors: INVALID_ARGUMENT for next_sequence 0;
  // FAILED_PRECONDITION when a segment holding records at or after
  // `next_sequence` exists (recovery and the caller disagree); I/O errors.
  static absl::StatusOr<std::unique_ptr<WalWriter>> Open(
      const WalOptions& options, uint64_t next_sequence);
  // Does not sync: records appended since the last Sync survive a crash of
  // the process, not of the machine.
  ~WalWriter();

  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;

  // Appends one record (to the OS: it survives a crash of this process,
  // not of the machine, until Sync) and returns its sequence. On error
  // nothing of the record stays in the log and its sequence is not used:
  // RESOURCE_EXHAUSTED when the disk is full, UNAVAILABLE for other I/O
  // errors, INVALID_ARGUMENT for a payload above kWalMaxPayloadBytes. If
  // the partial record cannot be removed again the log is unusable and
  // every later call fails with INTERNAL (the server treats that as fatal).
  // Starts a new segment first when the current one is full; that syncs
  // the full one.
  absl::StatusOr<uint64_t> Append(WalRecordType type, std::string_view payload);

  // fdatasync of every record appended so far. An error here means data
  // acknowledged to nobody yet may be lost: the caller must treat it as
  // fatal and never retry (the kernel may have dropped the dirty pages);
  // every later call returns the same error.
  absl::Status Sync();

  // Closes the current segment (synced) and starts a new one for the next
  // record, unless the current one holds no record yet.
  absl::Status Rotate();

  // Removes the segments all of whose records are <= `sequence` (covered by
  // a snapshot): those whose successor starts at or before sequence + 1.
  // Never the one being written. Syncs the directory when it removed any.
  absl::Status RemoveSegmentsThrough(uint64_t sequence);

  // The last record appended; before the first Append, next_sequence - 1
  // (so 0 for a new log).
  uint64_t last_sequence() const { return last_sequence_.load(); }
  // Bytes written by this writer across segments: records and the headers
  // of the segments it created.
  uint64_t bytes_appended() const { return bytes_appended_.load(); }
  // Segment files on disk, including the current one.
  uint64_t segment_count() const { return segment_count_.load(); }

  // The writer's permanent failure (a failed fsync, or a partial record
  // that could not be removed); OK while it is healthy. Once set, the log
  // cannot be trusted to be durable: the server exits (fatal).
  absl::Status failure() const;

 private:
  WalWriter(const WalOptions& options, uint64_t next_sequence);

  // Creates segment `first_sequence` with its header and syncs the
  // directory. On failure no file is left behind.
  absl::StatusOr<std::shared_ptr<WritableFile>> CreateSegment(
      uint64_t first_sequence);
  // Syncs the current segment and makes a new one (for next_sequence_)
  // current.
  absl::Status SwitchSegment();
  // Records `status` as the writer's permanent failure (invariant 4) and
  // returns the first such failure.
  absl::Status Fail(absl::Status status);

  const WalOptions options_;

  // Writer thread only.
  uint64_t next_sequence_;
  uint64_t segment_records_ = 0;  // records in the current segment
  std::string record_;            // encoding buffer, reused

  mutable std::mutex mu_;
  std::shared_ptr<WritableFile> file_;  // written under mu_ (invariant 1)
  absl::Status failed_;                 // guarded by mu_
  std::atomic<bool> broken_{false};     // failed_ is not OK
  // First sequence of the current segment (RemoveSegmentsThrough reads it).
  std::atomic<uint64_t> current_first_{0};

  std::mutex remove_mu_;  // serializes RemoveSegmentsThrough

  std::atomic<uint64_t> last_sequence_{0};
  std::atomic<uint64_t> bytes_appended_{0};
  std::atomic<uint64_t> segment_count_{0};
};

}  // namespace contactd::snapshot
