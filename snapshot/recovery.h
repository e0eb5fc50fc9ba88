#pragma once
// Recover: rebuilds a store from its data directory at start-up — the newest
// snapshot, then the WAL records after it.
//
//   auto store = ContactStore::Create("US");
//   ASSIGN_OR_RETURN(RecoveryResult r, Recover({.dir = "data"}, **store));
//   // the next WAL record is r.last_sequence + 1
//
// Rules (docs/wal_format.md, docs/snapshot_format.md):
//  - leftovers of interrupted writes (*.tmp, reload-pending.snap) are
//    removed: they were never acknowledged;
//  - the snapshot with the highest sequence is loaded; if it is damaged,
//    start-up stops (DATA_LOSS naming the file and byte offset) — older
//    snapshots are not a fallback, because the WAL they would need has been
//    removed;
//  - the WAL is replayed from the snapshot's sequence + 1; a torn tail is
//    cut off with a warning, any other damage stops start-up;
//  - with `salvage`, damage ends the snapshot or the log instead: what
//    precedes it is kept, records that no longer apply are skipped, and
//    each loss is listed in `warnings`.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "index/contact_store.h"
#include "snapshot/file_system.h"

namespace contactd::snapshot {

// Written by a reload before its swap; removed by recovery (the reload was
// never acknowledged).
inline constexpr char kReloadPendingFile[] = "reload-pending.snap";

struct RecoveryOptions {
  std::string dir;
  bool salvage = false;
  int load_threads = 2;
  FileSystem* fs = &PosixFileSystem();
};

struct RecoveryResult {
  uint64_t last_sequence = 0;  // of the last write recovered
  std::string snapshot_file;   // empty when there was none
  uint64_t snapshot_sequence = 0;
  uint64_t snapshot_contacts = 0;
  absl::Duration snapshot_load_time;
  uint64_t wal_records_replayed = 0;
  uint64_t wal_bytes = 0;
  absl::Duration replay_time;
  bool salvaged = false;
  std::vector<std::string> warnings;
};

// REQUIRES: `store` is empty and has no change log yet.
absl::StatusOr<RecoveryResult> Recover(const RecoveryOptions& options,
                                       index::ContactStore& store);

}  // namespace contactd::snapshot
