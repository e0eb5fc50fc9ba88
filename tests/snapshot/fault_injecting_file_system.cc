#include "tests/snapshot/fault_injecting_file_system.h"

#include "absl/strings/str_cat.h"

namespace contactd::snapshot::testing {
namespace {

absl::Status DiskFull(const std::string& path) {
  return absl::ResourceExhaustedError(
      absl::StrCat("write ", path, ": No space left on device (injected)"));
}

class FaultInjectingFile final : public WritableFile {
 public:
  FaultInjectingFile(std::unique_ptr<WritableFile> file,
                     FaultInjectingFileSystem& fs)
      : file_(std::move(file)), fs_(fs) {}

  absl::Status Append(std::string_view data) override {
    const uint64_t fits = fs_.Reserve(data.size());
    if (auto s = file_->Append(data.substr(0, fits)); !s.ok()) return s;
    if (fits < data.size()) return DiskFull(path());
    return absl::OkStatus();
  }
  absl::Status WriteAt(uint64_t offset, std::string_view data) override {
    const uint64_t fits = fs_.Reserve(data.size());
    if (auto s = file_->WriteAt(offset, data.substr(0, fits)); !s.ok()) {
      return s;
    }
    if (fits < data.size()) return DiskFull(path());
    return absl::OkStatus();
  }
  absl::Status Truncate(uint64_t size) override {
    return file_->Truncate(size);
  }
  absl::Status Sync() override {
    if (auto s = fs_.ConsumeSync(path()); !s.ok()) return s;
    return file_->Sync();
  }
  absl::Status StartWriteback(uint64_t offset, uint64_t length) override {
    if (auto s = fs_.ConsumeWriteback(path(), offset + length); !s.ok()) {
      return s;
    }
    return file_->StartWriteback(offset, length);
  }
  absl::Status Close() override { return file_->Close(); }
  uint64_t size() const override { return file_->size(); }
  const std::string& path() const override { return file_->path(); }

 private:
  std::unique_ptr<WritableFile> file_;
  FaultInjectingFileSystem& fs_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::Create(
    const std::string& path) {
  auto file = PosixFileSystem().Create(path);
  if (!file.ok()) return file.status();
  return std::make_unique<FaultInjectingFile>(*std::move(file), *this);
}

absl::StatusOr<std::unique_ptr<WritableFile>>
FaultInjectingFileSystem::OpenForAppend(const std::string& path) {
  auto file = PosixFileSystem().OpenForAppend(path);
  if (!file.ok()) return file.status();
  return std::make_unique<FaultInjectingFile>(*std::move(file), *this);
}

absl::Status FaultInjectingFileSystem::SyncDir(const std::string& dir) {
  if (auto s = ConsumeSync(dir); !s.ok()) return s;
  return PosixFileSystem().SyncDir(dir);
}

absl::Status FaultInjectingFileSystem::ConsumeWriteback(const std::string& path,
                                                        uint64_t end) {
  if (fail_writebacks_) {
    return absl::UnavailableError(
        absl::StrCat("writeback ", path, ": Input/output error (injected)"));
  }
  uint64_t seen = writeback_end_.load();
  while (seen < end && !writeback_end_.compare_exchange_weak(seen, end)) {
  }
  return absl::OkStatus();
}

absl::Status FaultInjectingFileSystem::ConsumeSync(const std::string& path) {
  uint64_t left = syncs_left_.load();
  while (left != kUnlimited) {
    if (left == 0) {
      return absl::UnavailableError(
          absl::StrCat("fsync ", path, ": Input/output error (injected)"));
    }
    if (syncs_left_.compare_exchange_weak(left, left - 1)) break;
  }
  ++syncs_;
  return absl::OkStatus();
}

uint64_t FaultInjectingFileSystem::Reserve(uint64_t wanted) {
  uint64_t free = free_bytes_.load();
  for (;;) {
    if (free == kUnlimited) return wanted;
    const uint64_t fits = std::min(free, wanted);
    if (free_bytes_.compare_exchange_weak(free, free - fits)) return fits;
  }
}

}  // namespace contactd::snapshot::testing
