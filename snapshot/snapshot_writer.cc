#include "snapshot/snapshot_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "snapshot/contact_payload.h"
#include "snapshot/mapped_file.h"

namespace contactd::snapshot {
namespace {

// The writer's buffer: a full block plus the largest contact that can
// overflow it (a record is below 64 KiB; its encoding is about as long).
constexpr size_t kBlockBufferBytes =
    kBlockHeaderSize + kTargetBlockBytes + (128 << 10) + kBlockChecksumSize;

// The directory holding `path`, for SyncDir.
std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// At most this many bytes of the file are on their way to the disk while
// it is written (WriteBack).
constexpr uint64_t kWritebackWindow = 1 << 20;

}  // namespace

// The write protocol (docs/snapshot_format.md):
//   1. create <path>.tmp and append a placeholder header (zeros);
//   2. append each block as it fills, then the last block and the footer,
//      writing the file back to the disk a window at a time as it grows;
//   3. overwrite the header with the real one (the contact count is known
//      only now), fdatasync the file, close it;
//   4. rename <path>.tmp to <path>, fsync the directory.
absl::StatusOr<std::unique_ptr<SnapshotWriter>> SnapshotWriter::Create(
    const std::string& path, uint64_t last_sequence, FileSystem& fs) {
  const std::string tmp_path = path + ".tmp";
  if (auto s = fs.Remove(tmp_path); !s.ok() && !absl::IsNotFound(s)) {
    return s;
  }
  auto file = fs.Create(tmp_path);
  if (!file.ok()) return file.status();
  std::unique_ptr<SnapshotWriter> writer(
      new SnapshotWriter(path, last_sequence, fs, *std::move(file)));
  // The placeholder: all zeros, so the file is no snapshot until Finish.
  if (auto s = writer->file_->Append(std::string(kHeaderSize, '\0')); !s.ok()) {
    return s;  // the destructor removes the file
  }
  return writer;
}

SnapshotWriter::SnapshotWriter(std::string path, uint64_t last_sequence,
                               FileSystem& fs,
                               std::unique_ptr<WritableFile> file)
    : path_(std::move(path)),
      tmp_path_(path_ + ".tmp"),
      last_sequence_(last_sequence),
      fs_(fs),
      file_(std::move(file)),
      created_(absl::Now()) {
  block_.reserve(kBlockBufferBytes);
  BeginBlock(block_);
}

SnapshotWriter::~SnapshotWriter() {
  if (file_ != nullptr) Abandon();
}

absl::Status SnapshotWriter::Add(const index::ContactRecord& record) {
  if (finished_) {
    return absl::FailedPreconditionError(
        absl::StrCat("snapshot ", path_, ": Add after Finish"));
  }
  if (!status_.ok()) return status_;
  EncodeStoredContact(block_, record);
  ++block_contacts_;
  if (block_.size() - kBlockHeaderSize >= kTargetBlockBytes) {
    return FlushBlock();
  }
  return absl::OkStatus();
}

absl::Status SnapshotWriter::FlushBlock() {
  if (block_contacts_ == 0) return absl::OkStatus();
  EndBlock(block_, 0, block_contacts_, blocks_written_);
  if (auto s = file_->Append(block_); !s.ok()) return Fail(std::move(s));
  if (auto s = WriteBack(); !s.ok()) return Fail(std::move(s));
  ++blocks_written_;
  contacts_written_ += block_contacts_;
  block_contacts_ = 0;
  block_.clear();
  BeginBlock(block_);
  return absl::OkStatus();
}

// Without this a checkpoint's whole file went to the disk at Finish's sync,
// and the WAL's syncs queued behind it: acknowledged writes during a
// checkpoint of 1M contacts stalled for 81-160 ms. With a 1 MiB window the
// worst was 5-18 ms (one run of 5: 64 ms) and that checkpoint no slower,
// though writing a 3.1 GB file took 19 s instead of 15 (a shallow disk
// queue); a 256 KiB window gained little more and made the checkpoint ~50 %
// longer (bench/README.md, "Durability").
absl::Status SnapshotWriter::WriteBack() {
  while (file_->size() - writeback_end_ >= kWritebackWindow) {
    // Waits for the window in flight, then starts the next one.
    const uint64_t end = writeback_end_ + kWritebackWindow;
    if (auto s = file_->StartWriteback(in_flight_from_, end - in_flight_from_);
        !s.ok()) {
      return s;
    }
    in_flight_from_ = writeback_end_;
    writeback_end_ = end;
  }
  return absl::OkStatus();
}

absl::StatusOr<SnapshotInfo> SnapshotWriter::Finish() {
  if (finished_) {
    return absl::FailedPreconditionError(
        absl::StrCat("snapshot ", path_, ": Finish called twice"));
  }
  finished_ = true;
  // Any error from here on: no file under either name.
  auto failed = [this](absl::Status s) {
    (void)Fail(s);
    Abandon();
    return s;
  };
  if (!status_.ok()) return failed(status_);
  if (auto s = FlushBlock(); !s.ok()) return failed(std::move(s));
  if (auto s = file_->Append(
          EncodeSnapshotFooter({.block_count = blocks_written_,
                                .contact_count = contacts_written_}));
      !s.ok()) {
    return failed(std::move(s));
  }
  SnapshotInfo info;
  info.last_sequence = last_sequence_;
  info.contact_count = contacts_written_;
  info.created = absl::FromUnixMicros(absl::ToUnixMicros(created_));
  if (auto s = file_->WriteAt(
          0, EncodeSnapshotHeader({.contact_count = contacts_written_,
                                   .last_sequence = last_sequence_,
                                   .created = info.created}));
      !s.ok()) {
    return failed(std::move(s));
  }
  if (auto s = file_->Sync(); !s.ok()) return failed(std::move(s));
  info.bytes = file_->size();
  if (auto s = file_->Close(); !s.ok()) return failed(std::move(s));
  if (auto s = fs_.Rename(tmp_path_, path_); !s.ok()) {
    return failed(std::move(s));
  }
  file_.reset();  // the temporary file is gone: nothing to abandon
  if (auto s = fs_.SyncDir(DirName(path_)); !s.ok()) {
    // The new name may not survive a crash; a caller told "failed" must not
    // find the file either.
    (void)fs_.Remove(path_);
    return Fail(std::move(s));
  }
  return info;
}

absl::Status SnapshotWriter::Fail(absl::Status status) {
  if (status_.ok()) status_ = status;
  return status;
}

void SnapshotWriter::Abandon() {
  if (file_ == nullptr) return;
  (void)file_->Close();
  file_.reset();
  (void)fs_.Remove(tmp_path_);
}

absl::Status SetSnapshotSequence(const std::string& path,
                                 uint64_t last_sequence, FileSystem& fs) {
  SnapshotHeader header;
  {
    auto file = MappedFile::Open(path);
    if (!file.ok()) return file.status();
    auto decoded = DecodeSnapshotHeader(file->bytes());
    if (!decoded.ok()) {
      return absl::DataLossError(
          absl::StrCat(path, ": offset 0: ", decoded.status().message()));
    }
    header = *decoded;
  }
  header.last_sequence = last_sequence;
  auto file = fs.OpenForAppend(path);
  if (!file.ok()) return file.status();
  if (auto s = (*file)->WriteAt(0, EncodeSnapshotHeader(header)); !s.ok()) {
    return s;
  }
  if (auto s = (*file)->Sync(); !s.ok()) return s;
  return (*file)->Close();
}

}  // namespace contactd::snapshot
