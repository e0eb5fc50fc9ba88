#pragma once
// Database: the contact store made durable — recovery at start-up, the
// write-ahead log behind every write, fsync policy, checkpoints and reloads.
//
//   ASSIGN_OR_RETURN(auto db, Database::Open({.dir = "data"}));
//   db->store().Upsert(contact);   // logged before it is applied
//   db->CommitBatch();             // the writer, before acknowledging
//   db->Checkpoint();              // snapshot + drop the WAL it covers
//   db->Reload("/tmp/crm.snap");   // swap in another dataset, atomically
//
// Writes: one thread (the server's writer) calls the store's mutations;
// before any of them is acknowledged, CommitBatch() is called — from that
// thread or another (the server's committer, while the writer goes on).
// With --fsync always that is one fdatasync covering every write applied
// before the call (group commit).
//
// Checkpoint and Reload may be called from any thread (they serialize with
// each other); lookups and writes go on meanwhile. Writes pause only for
// the moment the checkpoint freezes its view (O(tenants)) or the reload
// swaps the index in.
//
// An fsync failure is fatal: the kernel may have dropped the pages it could
// not write, so retrying could acknowledge lost data. The database calls
// options.on_fatal (default: log and _exit(kFatalExitCode)); a restart
// recovers from what reached the disk.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "index/contact_store.h"
#include "snapshot/file_system.h"
#include "snapshot/fsync_policy.h"
#include "snapshot/journal.h"
#include "snapshot/recovery.h"
#include "snapshot/wal_writer.h"

namespace contactd::snapshot {

// What contactd exits with when durability is lost (EX_IOERR).
inline constexpr int kFatalExitCode = 74;

struct DatabaseOptions {
  std::string dir = "./data";
  std::string default_region = "US";
  FsyncPolicy fsync;
  uint64_t wal_segment_bytes = 64ull << 20;
  // Checkpoint automatically once this many WAL bytes were written since
  // the last one; 0: only on demand.
  uint64_t checkpoint_wal_bytes = 256ull << 20;
  bool salvage = false;  // recovery keeps what precedes damage
  int load_threads = 2;
  FileSystem* fs = &PosixFileSystem();
  // Called (from the thread that saw it) when the WAL can no longer be made
  // durable: an fsync failed, or a partial record could not be removed.
  std::function<void(const absl::Status&)> on_fatal;
  // Called after each successful WAL fsync with its duration (metrics).
  std::function<void(absl::Duration)> on_fsync;
};

struct CheckpointResult {
  uint64_t sequence = 0;  // the last write the snapshot holds
  uint64_t contacts = 0;
  uint64_t bytes = 0;
  absl::Duration duration;
  absl::Duration writer_pause;  // how long writes waited for the freeze
};

struct ReloadResult {
  uint64_t contacts = 0;
  uint64_t sequence = 0;  // the last write the reloaded dataset replaced
  absl::Duration duration;
};

struct DurabilityStats {
  std::string fsync_policy;
  uint64_t wal_last_sequence = 0;
  uint64_t wal_records_appended = 0;  // since start
  uint64_t wal_bytes_appended = 0;    // since start
  uint64_t wal_bytes_since_checkpoint = 0;
  uint64_t wal_segments = 0;
  uint64_t fsyncs = 0;
  absl::Duration fsync_time;  // total
  uint64_t checkpoints = 0;
  uint64_t last_checkpoint_sequence = 0;
  absl::Time last_checkpoint_time = absl::InfinitePast();
  absl::Duration last_checkpoint_duration;
  absl::Duration checkpoint_time;  // total
  uint64_t reloads = 0;
  absl::Duration last_reload_duration;
  absl::Duration reload_time;  // total
};

class Database {
 public:
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      DatabaseOptions options);
  ~Database();  // Close()

  index::ContactStore& store() { return *store_; }
  const index::ContactStore& store() const { return *store_; }
  const RecoveryResult& recovery() const { return recovery_; }

  // Makes the writes applied before the call as durable as the fsync
  // policy says; called before acknowledging them. Any thread, also while
  // the writer applies more writes.
  void CommitBatch();

  // Writes a snapshot of every contact as of now and removes the snapshots
  // and WAL segments it makes obsolete.
  absl::StatusOr<CheckpointResult> Checkpoint();

  // Loads the snapshot file at `path` and swaps it in for the whole
  // dataset; readers see the old contacts or the new, never a mix. A bad
  // file changes nothing. The new dataset is durable when this returns.
  absl::StatusOr<ReloadResult> Reload(const std::string& path);

  DurabilityStats stats() const;

  // Stops the background threads and syncs the WAL. Idempotent.
  void Close();

 private:
  Database(DatabaseOptions options, std::unique_ptr<index::ContactStore> store,
           RecoveryResult recovery, std::unique_ptr<WalWriter> wal);
  void Sync();  // fdatasync unless nothing is new; fatal on error
  void Fatal(const absl::Status& status);
  void FlushLoop();       // --fsync interval
  void CheckpointLoop();  // automatic checkpoints
  // Removes snapshot files older than `sequence` and the WAL they cover.
  void RemoveObsolete(uint64_t sequence);
  absl::StatusOr<std::string> WritePendingReload(
      const index::ContactIndex& next);

  const DatabaseOptions options_;
  std::unique_ptr<index::ContactStore> store_;
  const RecoveryResult recovery_;
  std::unique_ptr<WalWriter> wal_;
  Journal journal_;
  std::atomic<uint64_t> synced_bytes_{0};  // WAL bytes known to be synced

  std::mutex maintenance_mu_;  // one checkpoint or reload at a time

  mutable std::mutex mu_;  // not absl::Mutex: TSan (see write_executor.h)
  std::condition_variable wake_;
  bool closing_ = false;
  DurabilityStats stats_;  // guarded by mu_ (except the WAL's own counters)

  std::thread flusher_;
  std::thread checkpointer_;
};

}  // namespace contactd::snapshot
