#pragma once
// FaultInjectingFileSystem: the real file system, except that a test can
// make fsync fail or the disk fill up, to drive the durability code down its
// error paths on real files.
//
//   FaultInjectingFileSystem fs;
//   fs.FailSyncsAfter(0);               // the next Sync() fails with EIO
//   fs.SetFreeBytes(100);               // writes past 100 more bytes: ENOSPC
//   fs.FailWritebacks();                // StartWriteback fails with EIO
//
// A write that crosses the limit writes what fits, then fails, as a real
// full disk does. Thread-safe.

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "snapshot/file_system.h"

namespace contactd::snapshot::testing {

class FaultInjectingFileSystem final : public FileSystem {
 public:
  static constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

  // After `n` more successful syncs (file or directory), every sync fails.
  void FailSyncsAfter(uint64_t n) { syncs_left_ = n; }
  // Bytes that may still be written (Append, WriteAt) before ENOSPC.
  void SetFreeBytes(uint64_t bytes) { free_bytes_ = bytes; }
  void FailWritebacks() { fail_writebacks_ = true; }
  void Heal() {
    syncs_left_ = kUnlimited;
    free_bytes_ = kUnlimited;
    fail_writebacks_ = false;
  }
  uint64_t syncs() const { return syncs_; }
  // The end of the furthest range any file has started writing back.
  uint64_t writeback_end() const { return writeback_end_; }

  absl::StatusOr<std::unique_ptr<WritableFile>> Create(
      const std::string& path) override;
  absl::StatusOr<std::unique_ptr<WritableFile>> OpenForAppend(
      const std::string& path) override;
  absl::Status Rename(const std::string& from, const std::string& to) override {
    return PosixFileSystem().Rename(from, to);
  }
  absl::Status Remove(const std::string& path) override {
    return PosixFileSystem().Remove(path);
  }
  absl::Status SyncDir(const std::string& dir) override;
  absl::Status CreateDir(const std::string& dir) override {
    return PosixFileSystem().CreateDir(dir);
  }
  absl::StatusOr<std::vector<std::string>> List(
      const std::string& dir) override {
    return PosixFileSystem().List(dir);
  }

  // For the wrapped files.
  absl::Status ConsumeSync(const std::string& path);
  // How many of `wanted` bytes fit; the rest fails with ENOSPC.
  uint64_t Reserve(uint64_t wanted);
  // Fails when writebacks are to fail, else records the range's end.
  absl::Status ConsumeWriteback(const std::string& path, uint64_t end);

 private:
  std::atomic<uint64_t> syncs_left_{kUnlimited};
  std::atomic<uint64_t> free_bytes_{kUnlimited};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<bool> fail_writebacks_{false};
  std::atomic<uint64_t> writeback_end_{0};
};

}  // namespace contactd::snapshot::testing
