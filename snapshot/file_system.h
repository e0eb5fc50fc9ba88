#pragma once
// FileSystem: the few file operations the durability layer needs, behind an
// interface so tests can inject failures (an fsync that fails, a disk that
// fills up) into the real code paths. Production uses PosixFileSystem().
//
// Every error is an absl::Status whose message names the path and the
// system error: "write /data/wal-00000000000000000001.log: No space left on
// device". ENOSPC maps to RESOURCE_EXHAUSTED, other I/O errors to
// UNAVAILABLE (reads: DATA_LOSS is left to the format readers).
//
// Reading is not abstracted: the readers map files (mapped_file.h).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace contactd::snapshot {

// A file open for writing at its end. Not thread-safe.
class WritableFile {
 public:
  virtual ~WritableFile() = default;

  // Appends all of `data`. On error the file may hold part of it: the caller
  // truncates back to the size it knew (Truncate).
  virtual absl::Status Append(std::string_view data) = 0;
  // Overwrites bytes at `offset` (within the current size).
  virtual absl::Status WriteAt(uint64_t offset, std::string_view data) = 0;
  virtual absl::Status Truncate(uint64_t size) = 0;
  // fdatasync: the data and the size are on stable storage.
  virtual absl::Status Sync() = 0;
  // Waits for the writeback already under way in [offset, offset + length),
  // then starts writing the range's dirty pages without waiting for them
  // (sync_file_range WAIT_BEFORE | WRITE). No durability promise (only Sync
  // makes one): it spreads a big file's disk writes over the time it is
  // written, so its final Sync has little left and the WAL's syncs never
  // queue behind hundreds of megabytes of it.
  virtual absl::Status StartWriteback(uint64_t offset, uint64_t length) = 0;
  virtual absl::Status Close() = 0;
  // Bytes in the file as this object wrote them.
  virtual uint64_t size() const = 0;
  virtual const std::string& path() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates `path` (it must not exist) for writing.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> Create(
      const std::string& path) = 0;
  // Opens an existing file for appending at its end.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> OpenForAppend(
      const std::string& path) = 0;
  // Atomically replaces `to` with `from` (rename(2)).
  virtual absl::Status Rename(const std::string& from,
                              const std::string& to) = 0;
  virtual absl::Status Remove(const std::string& path) = 0;
  // fsync of a directory, so the names created or renamed in it persist.
  virtual absl::Status SyncDir(const std::string& dir) = 0;
  // Creates the directory (and parents) if missing.
  virtual absl::Status CreateDir(const std::string& dir) = 0;
  // The names (not paths) of the regular files in `dir`, sorted.
  virtual absl::StatusOr<std::vector<std::string>> List(
      const std::string& dir) = 0;
};

// The real one (process-wide, stateless).
FileSystem& PosixFileSystem();

// "dir/name" (no doubled slash).
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace contactd::snapshot
