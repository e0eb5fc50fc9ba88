#pragma once
// ReplayWal: reads the write-ahead log at start-up and hands each record
// after the newest snapshot to the caller, applying the recovery rules of
// docs/wal_format.md (a torn tail is cut off; any other damage stops
// start-up unless salvage is asked for). The byte format is wal_format.h.
//
//   ASSIGN_OR_RETURN(WalReplay r, ReplayWal(dir, snapshot_sequence, {},
//       [&](const WalRecord& record) { return Apply(record, store); }));
//   if (!r.torn_tail.empty()) LOG(WARNING) << r.torn_tail;
//   // the next record is max(snapshot_sequence, r.last_sequence) + 1
//
// Recovery rules, in short (the table in docs/wal_format.md is the whole
// story):
//  - Segments are read in sequence order. A segment whose successor starts
//    at or before after_sequence + 1 holds only records the snapshot has:
//    it is skipped without being read (not even checked: nothing in it will
//    be replayed, and the next checkpoint removes it).
//  - A torn tail of the LAST segment (an incomplete last record, a complete
//    last record with a bad checksum, a tail of zero bytes) is truncated
//    away and described in WalReplay::torn_tail. A last segment whose
//    header is torn (shorter than a header, or zeros) is removed.
//  - Anything else fails with DATA_LOSS naming the file and byte offset:
//    a bad checksum, header, type, length or sequence; a torn end of a
//    segment that is not the last; a segment whose header disagrees with
//    its name; a gap between segments; a log that starts after
//    after_sequence + 1 (records between the snapshot and the log are
//    missing).
//  - With salvage, damage ends the log instead: the records before it are
//    kept (they have been passed to on_record), the damaged segment is cut
//    at the damage (removed when the damage is in its header or it starts
//    out of sequence) and every later segment is removed; WalReplay::
//    salvaged says what was dropped.
// Files are changed (truncated, removed, the directory synced) only for a
// torn tail or a salvage, after everything before them was replayed.

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "snapshot/file_system.h"
#include "snapshot/wal_format.h"

namespace contactd::snapshot {

struct WalReplayOptions {
  // Keep what precedes the first damaged record instead of refusing to
  // start: the segment is cut there and later segments are removed.
  bool salvage = false;
  FileSystem* fs = &PosixFileSystem();
};

struct WalReplay {
  // Of the last record in the log (replayed or not), as the log stands
  // after any truncation; when the last segment holds no record, one less
  // than its first sequence; 0 when there is no segment.
  uint64_t last_sequence = 0;
  uint64_t records_replayed = 0;
  uint64_t bytes = 0;     // of all segments read
  std::string torn_tail;  // non-empty when a torn tail was cut off
  std::string salvaged;   // non-empty when salvage dropped records
};

// Reads every segment of `dir` in sequence order and calls on_record for
// each record with sequence > after_sequence, in order. Recovery rules
// above: a torn tail of the last segment is truncated away and reported in
// torn_tail; any other damage, a gap between segments, or a first record
// after `after_sequence` + 1 fails with DATA_LOSS naming the file and byte
// offset, e.g. "data/wal-00000000000000000001.log: offset 4242: record 57:
// checksum mismatch" (unless options.salvage). Errors from on_record are
// returned prefixed with the file, offset and sequence of the record. On
// error, on_record may have been called for a prefix of the records. A
// missing directory is an empty log.
absl::StatusOr<WalReplay> ReplayWal(
    const std::string& dir, uint64_t after_sequence,
    const WalReplayOptions& options,
    absl::FunctionRef<absl::Status(const WalRecord&)> on_record);

}  // namespace contactd::snapshot
