#include "snapshot/database.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "index/epoch.h"
#include "snapshot/snapshot_format.h"
#include "snapshot/snapshot_reader.h"
#include "snapshot/snapshot_writer.h"
#include "spdlog/spdlog.h"

namespace contactd::snapshot {
namespace {

// How often the checkpointer looks at the WAL size, and how long it waits
// after a failed automatic checkpoint before it tries again.
constexpr auto kCheckpointPoll = std::chrono::milliseconds(100);
constexpr auto kCheckpointRetry = std::chrono::seconds(10);

// Writes every contact of `view` into a snapshot file at `path`.
absl::StatusOr<SnapshotInfo> WriteSnapshot(const index::IndexView& view,
                                           const std::string& path,
                                           uint64_t sequence, FileSystem& fs) {
  auto writer = SnapshotWriter::Create(path, sequence, fs);
  if (!writer.ok()) return writer.status();
  absl::Status added;
  view.ForEach([&](const index::ContactRecord& record) {
    if (added.ok()) added = (*writer)->Add(record);
  });
  if (!added.ok()) return added;
  return (*writer)->Finish();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    DatabaseOptions options) {
  auto store = index::ContactStore::Create(options.default_region);
  if (!store.ok()) return store.status();
  auto recovery = Recover({.dir = options.dir,
                           .salvage = options.salvage,
                           .load_threads = options.load_threads,
                           .fs = options.fs},
                          **store);
  if (!recovery.ok()) return recovery.status();
  auto wal = WalWriter::Open({.dir = options.dir,
                              .segment_bytes = options.wal_segment_bytes,
                              .fs = options.fs},
                             recovery->last_sequence + 1);
  if (!wal.ok()) return wal.status();
  const bool salvaged = recovery->salvaged;
  std::unique_ptr<Database> db(
      new Database(std::move(options), *std::move(store), *std::move(recovery),
                   *std::move(wal)));
  if (salvaged) {
    // What survived becomes the new base: later start-ups need no salvage.
    if (auto done = db->Checkpoint(); !done.ok()) return done.status();
  }
  return db;
}

Database::Database(DatabaseOptions options,
                   std::unique_ptr<index::ContactStore> store,
                   RecoveryResult recovery, std::unique_ptr<WalWriter> wal)
    : options_(std::move(options)),
      store_(std::move(store)),
      recovery_(std::move(recovery)),
      wal_(std::move(wal)),
      journal_(*wal_, [this](const absl::Status& s) { Fatal(s); }) {
  stats_.fsync_policy = options_.fsync.ToString();
  stats_.last_checkpoint_sequence = recovery_.snapshot_sequence;
  store_->set_change_log(&journal_);
  if (options_.fsync.mode == FsyncPolicy::Mode::kInterval) {
    flusher_ = std::thread([this] { FlushLoop(); });
  }
  if (options_.checkpoint_wal_bytes > 0) {
    checkpointer_ = std::thread([this] { CheckpointLoop(); });
  }
}

Database::~Database() { Close(); }

void Database::Close() {
  {
    std::lock_guard lock(mu_);
    if (closing_) return;
    closing_ = true;
  }
  wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  if (checkpointer_.joinable()) checkpointer_.join();
  if (options_.fsync.mode != FsyncPolicy::Mode::kNever) Sync();
}

void Database::CommitBatch() {
  if (options_.fsync.mode == FsyncPolicy::Mode::kAlways) Sync();
}

void Database::Sync() {
  // WalWriter::Sync covers everything appended before the call.
  const uint64_t appended = wal_->bytes_appended();
  if (appended == synced_bytes_.load()) return;  // nothing new to sync
  const absl::Time start = absl::Now();
  if (absl::Status s = wal_->Sync(); !s.ok()) return Fatal(s);
  const absl::Duration took = absl::Now() - start;
  uint64_t synced = synced_bytes_.load();
  while (synced < appended &&
         !synced_bytes_.compare_exchange_weak(synced, appended)) {
  }
  if (options_.on_fsync) options_.on_fsync(took);
  std::lock_guard lock(mu_);
  ++stats_.fsyncs;
  stats_.fsync_time += took;
}

void Database::Fatal(const absl::Status& status) {
  if (options_.on_fatal) return options_.on_fatal(status);
  spdlog::critical(
      "the write-ahead log cannot be made durable ({}); exiting so that a "
      "restart recovers from what is on disk",
      status.ToString());
  spdlog::default_logger()->flush();
  ::_exit(kFatalExitCode);
}

void Database::FlushLoop() {
  const auto interval = absl::ToChronoMilliseconds(options_.fsync.interval);
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval, [this] { return closing_; })) {
    lock.unlock();
    Sync();
    lock.lock();
  }
}

void Database::CheckpointLoop() {
  std::unique_lock lock(mu_);
  auto wait = kCheckpointPoll;
  while (!wake_.wait_for(lock, wait, [this] { return closing_; })) {
    wait = kCheckpointPoll;
    uint64_t pending = journal_.bytes_since_checkpoint();
    if (stats_.checkpoints == 0) pending += recovery_.wal_bytes;
    if (pending < options_.checkpoint_wal_bytes) continue;
    lock.unlock();
    auto done = Checkpoint();
    if (!done.ok()) {
      spdlog::warn("automatic checkpoint failed, retrying in {} s: {}",
                   kCheckpointRetry.count(), done.status().ToString());
      wait = kCheckpointRetry;
    }
    lock.lock();
  }
}

absl::StatusOr<CheckpointResult> Database::Checkpoint() {
  std::lock_guard maintenance(maintenance_mu_);
  const absl::Time start = absl::Now();
  index::EpochGuard guard;  // before Freeze: keeps the view's records alive
  uint64_t sequence = 0;
  uint64_t wal_mark = 0;
  const absl::Time freeze_start = absl::Now();
  // No WAL rotation here: its fsyncs would stall writes. The segment being
  // written is removed by a later checkpoint, once it has rotated by size.
  const index::IndexView view = store_->Freeze([&] {
    sequence = wal_->last_sequence();
    wal_mark = wal_->bytes_appended();
  });
  CheckpointResult result;
  result.writer_pause = absl::Now() - freeze_start;

  const std::string path = JoinPath(options_.dir, SnapshotFileName(sequence));
  auto info = WriteSnapshot(view, path, sequence, *options_.fs);
  if (!info.ok()) return info.status();
  RemoveObsolete(sequence);
  journal_.ResetCheckpointBytes(wal_mark);

  result.sequence = sequence;
  result.contacts = info->contact_count;
  result.bytes = info->bytes;
  result.duration = absl::Now() - start;
  std::lock_guard lock(mu_);
  ++stats_.checkpoints;
  stats_.last_checkpoint_sequence = sequence;
  stats_.last_checkpoint_time = absl::Now();
  stats_.last_checkpoint_duration = result.duration;
  stats_.checkpoint_time += result.duration;
  return result;
}

void Database::RemoveObsolete(uint64_t sequence) {
  auto names = options_.fs->List(options_.dir);
  if (!names.ok()) {
    spdlog::warn("cannot list {}: {}", options_.dir, names.status().ToString());
    return;
  }
  for (const std::string& name : *names) {
    const auto covered = ParseSnapshotFileName(name);
    if (!covered || *covered >= sequence) continue;
    if (auto s = options_.fs->Remove(JoinPath(options_.dir, name)); !s.ok()) {
      spdlog::warn("cannot remove an old snapshot: {}", s.ToString());
    }
  }
  if (auto s = wal_->RemoveSegmentsThrough(sequence); !s.ok()) {
    spdlog::warn("cannot remove old WAL segments: {}", s.ToString());
  }
}

absl::StatusOr<std::string> Database::WritePendingReload(
    const index::ContactIndex& next) {
  const std::string path = JoinPath(options_.dir, kReloadPendingFile);
  index::EpochGuard guard;
  auto info = WriteSnapshot(next.View(), path, 0, *options_.fs);
  if (!info.ok()) return info.status();
  return path;
}

absl::StatusOr<ReloadResult> Database::Reload(const std::string& path) {
  std::lock_guard maintenance(maintenance_mu_);
  const absl::Time start = absl::Now();
  // One thread (the admin thread) for the whole reload: the lookups keep
  // the other cores.
  auto loaded = LoadSnapshot(path, {.threads = 1});
  if (!loaded.ok()) {
    // A damaged file is the caller's bad argument, not lost server data.
    if (loaded.status().code() != absl::StatusCode::kDataLoss) {
      return loaded.status();
    }
    return absl::InvalidArgumentError(loaded.status().message());
  }
  auto next = std::make_unique<index::ContactIndex>();
  if (auto s = next->BulkLoad(std::move(loaded->records), /*threads=*/1);
      !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message()));
  }
  const uint64_t contacts = next->size();
  // The data directory's copy of the new dataset, named for its sequence
  // only at the swap (recovery removes it if we never get there).
  auto pending = WritePendingReload(*next);
  if (!pending.ok()) return pending.status();

  uint64_t sequence = 0;
  auto replaced = store_->ReplaceIndex(std::move(next), [&]() -> absl::Status {
    if (auto s = wal_->Rotate(); !s.ok()) {
      if (absl::Status broken = wal_->failure(); !broken.ok()) Fatal(broken);
      return s;
    }
    sequence = wal_->last_sequence();
    if (auto s = SetSnapshotSequence(*pending, sequence, *options_.fs);
        !s.ok()) {
      return s;
    }
    const std::string final_path =
        JoinPath(options_.dir, SnapshotFileName(sequence));
    if (auto s = options_.fs->Rename(*pending, final_path); !s.ok()) return s;
    // The new dataset is on disk under its name from here on: if that name
    // cannot be made durable, neither can anything else.
    if (auto s = options_.fs->SyncDir(options_.dir); !s.ok()) Fatal(s);
    journal_.ResetCheckpointBytes(wal_->bytes_appended());
    return absl::OkStatus();
  });
  if (!replaced.ok()) {
    options_.fs->Remove(*pending).IgnoreError();
    return replaced.status();
  }
  // Readers that entered the old index before the swap may still be in it.
  index::Epochs().Synchronize();
  replaced->reset();
  RemoveObsolete(sequence);

  ReloadResult result{contacts, sequence, absl::Now() - start};
  std::lock_guard lock(mu_);
  ++stats_.reloads;
  stats_.last_reload_duration = result.duration;
  stats_.reload_time += result.duration;
  stats_.last_checkpoint_sequence = sequence;
  return result;
}

DurabilityStats Database::stats() const {
  std::lock_guard lock(mu_);
  DurabilityStats s = stats_;
  s.wal_last_sequence = wal_->last_sequence();
  s.wal_records_appended = s.wal_last_sequence - recovery_.last_sequence;
  s.wal_bytes_appended = wal_->bytes_appended();
  s.wal_bytes_since_checkpoint = journal_.bytes_since_checkpoint();
  s.wal_segments = wal_->segment_count();
  return s;
}

}  // namespace contactd::snapshot
