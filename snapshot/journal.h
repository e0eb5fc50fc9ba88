#pragma once
// Journal: the index::ChangeLog that appends every write of the store to the
// write-ahead log before the write is applied.
//
//   Journal journal(wal);
//   store.set_change_log(&journal);   // from now on Upsert/Delete/... log
//
// A write whose record cannot be appended (disk full, I/O error) fails with
// that error and is not applied; the store and the log stay in step. If the
// log itself is broken for good (WalWriter::failure()), `on_broken` is told.
//
// Thread safety: called by the store's writer, under its writer lock.
// bytes_since_checkpoint() may be read from any thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "index/change_log.h"
#include "snapshot/wal_writer.h"

namespace contactd::snapshot {

class Journal final : public index::ChangeLog {
 public:
  Journal(WalWriter& wal, std::function<void(const absl::Status&)> on_broken)
      : wal_(wal), on_broken_(std::move(on_broken)) {}

  absl::Status LogPut(const index::ContactRecord* old,
                      const index::ContactRecord& now) override;
  absl::Status LogDelete(const index::ContactRecord& old) override;

  // WAL bytes appended since the mark (the automatic checkpoint's trigger).
  uint64_t bytes_since_checkpoint() const {
    return wal_.bytes_appended() - checkpoint_mark_.load();
  }
  // `mark`: WalWriter::bytes_appended() when the checkpoint's view was taken.
  void ResetCheckpointBytes(uint64_t mark) { checkpoint_mark_ = mark; }

 private:
  absl::Status Append(WalRecordType type);

  WalWriter& wal_;
  std::function<void(const absl::Status&)> on_broken_;
  std::string payload_;  // reused: one writer at a time
  std::atomic<uint64_t> checkpoint_mark_{0};
};

}  // namespace contactd::snapshot
