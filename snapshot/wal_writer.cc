// Writes WAL segments in the format of wal_format.h:
//
//   segment = segment_header record*
//   record  = length:u32 sequence:u64 type:u8 header_check:u32
//             payload:u8{length} checksum:u64
//
// One write per record; see wal_writer.h for the thread-safety invariants.

#include "snapshot/wal_writer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "snapshot/mapped_file.h"

namespace contactd::snapshot {
namespace {

// Whether `path` is a clean segment for `first_sequence` that holds no
// record: what a writer leaves when it stops before its first Append.
bool IsEmptySegment(const std::string& path, uint64_t first_sequence) {
  auto file = MappedFile::Open(path);
  if (!file.ok()) return false;
  auto scan = ScanWalSegment(file->bytes(),
                             [](const WalRecord&) { return absl::OkStatus(); });
  return scan.ok() && scan->end == WalScan::End::kClean && scan->records == 0 &&
         scan->first_sequence == first_sequence;
}

// The first sequences of the segment files in `dir`, ascending.
absl::StatusOr<std::vector<uint64_t>> ListSegments(FileSystem& fs,
                                                   const std::string& dir) {
  auto names = fs.List(dir);
  if (!names.ok()) return names.status();
  std::vector<uint64_t> firsts;
  for (const std::string& name : *names) {
    if (auto first = ParseWalSegmentName(name)) firsts.push_back(*first);
  }
  std::sort(firsts.begin(), firsts.end());
  return firsts;
}

}  // namespace

WalWriter::WalWriter(const WalOptions& options, uint64_t next_sequence)
    : options_(options), next_sequence_(next_sequence) {
  last_sequence_ = next_sequence - 1;
}

WalWriter::~WalWriter() = default;

absl::StatusOr<std::unique_ptr<WalWriter>> WalWriter::Open(
    const WalOptions& options, uint64_t next_sequence) {
  if (next_sequence == 0) {
    return absl::InvalidArgumentError("wal: sequences start at 1, not 0");
  }
  if (options.fs == nullptr) {
    return absl::InvalidArgumentError("wal: no file system");
  }
  FileSystem& fs = *options.fs;
  if (auto s = fs.CreateDir(options.dir); !s.ok()) return s;
  auto existing = ListSegments(fs, options.dir);
  if (!existing.ok()) return existing.status();

  std::unique_ptr<WalWriter> writer(new WalWriter(options, next_sequence));
  const std::string path = JoinPath(options.dir, WalSegmentName(next_sequence));
  bool reuse = false;
  for (const uint64_t first : *existing) {
    if (first < next_sequence) continue;
    if (first == next_sequence && first == existing->back() &&
        IsEmptySegment(path, next_sequence)) {
      reuse = true;
      continue;
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "wal: ", JoinPath(options.dir, WalSegmentName(first)),
        " exists, but the log was to continue at sequence ", next_sequence,
        " (the segment may hold records the caller does not know about)"));
  }

  std::shared_ptr<WritableFile> file;
  uint64_t segments = existing->size();
  if (reuse) {
    auto opened = fs.OpenForAppend(path);
    if (!opened.ok()) return opened.status();
    file = *std::move(opened);
    // Its name may not have been made durable by the writer that made it.
    if (auto s = fs.SyncDir(options.dir); !s.ok()) return s;
  } else {
    auto created = writer->CreateSegment(next_sequence);
    if (!created.ok()) return created.status();
    file = *std::move(created);
    ++segments;
  }
  writer->file_ = std::move(file);
  writer->current_first_ = next_sequence;
  writer->segment_count_ = segments;
  return writer;
}

absl::StatusOr<std::shared_ptr<WritableFile>> WalWriter::CreateSegment(
    uint64_t first_sequence) {
  FileSystem& fs = *options_.fs;
  const std::string path =
      JoinPath(options_.dir, WalSegmentName(first_sequence));
  auto created = fs.Create(path);
  if (!created.ok()) return created.status();
  std::shared_ptr<WritableFile> file = *std::move(created);
  std::string header;
  AppendWalSegmentHeader(header, first_sequence);
  absl::Status s = file->Append(header);
  if (s.ok()) {
    s = fs.SyncDir(options_.dir);
    if (s.ok()) {
      bytes_appended_ += header.size();
      return file;
    }
    s = Fail(s);  // a failed fsync is fatal (invariant 4)
  }
  // Leave nothing behind: a later attempt creates the same name again.
  file.reset();
  if (absl::Status removed = fs.Remove(path); !removed.ok()) {
    return Fail(absl::InternalError(
        absl::StrCat("wal: cannot remove the segment it failed to start (",
                     s.message(), "): ", removed.message())));
  }
  return s;
}

absl::Status WalWriter::SwitchSegment() {
  // Invariant 2: the old segment is durable before a Sync can miss it.
  if (absl::Status s = file_->Sync(); !s.ok()) return Fail(s);
  auto next = CreateSegment(next_sequence_);
  if (!next.ok()) return next.status();
  std::shared_ptr<WritableFile> old;
  {
    std::lock_guard lock(mu_);
    old = std::exchange(file_, *std::move(next));
    current_first_ = next_sequence_;
  }
  segment_records_ = 0;
  ++segment_count_;
  return absl::OkStatus();  // `old` closes here unless a Sync still holds it
}

absl::StatusOr<uint64_t> WalWriter::Append(WalRecordType type,
                                           std::string_view payload) {
  if (broken_.load()) return failure();
  if (payload.size() > kWalMaxPayloadBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("wal: a payload of ", payload.size(),
                     " bytes is above the limit of ", kWalMaxPayloadBytes));
  }
  if (segment_records_ > 0 && file_->size() >= options_.segment_bytes) {
    if (absl::Status s = SwitchSegment(); !s.ok()) return s;
  }
  record_.clear();
  AppendWalRecord(record_, next_sequence_, type, payload);
  WritableFile& file = *file_;
  const uint64_t before = file.size();
  if (absl::Status s = file.Append(record_); !s.ok()) {
    // Remove whatever part of the record reached the file.
    if (absl::Status t = file.Truncate(before); !t.ok()) {
      return Fail(absl::InternalError(absl::StrCat(
          "wal: cannot remove a partly written record (", s.message(),
          "): ", t.message(), "; the log is unusable")));
    }
    if (s.code() == absl::StatusCode::kResourceExhausted) return s;
    return absl::UnavailableError(s.message());
  }
  ++segment_records_;
  bytes_appended_ += record_.size();
  last_sequence_ = next_sequence_;
  return next_sequence_++;
}

absl::Status WalWriter::Sync() {
  std::shared_ptr<WritableFile> file;
  {
    std::lock_guard lock(mu_);
    if (!failed_.ok()) return failed_;
    file = file_;
  }
  if (absl::Status s = file->Sync(); !s.ok()) return Fail(s);
  return absl::OkStatus();
}

absl::Status WalWriter::Rotate() {
  if (broken_.load()) return failure();
  if (segment_records_ == 0) return absl::OkStatus();
  return SwitchSegment();
}

absl::Status WalWriter::RemoveSegmentsThrough(uint64_t sequence) {
  std::lock_guard remove_lock(remove_mu_);
  const uint64_t current = current_first_.load();
  auto firsts = ListSegments(*options_.fs, options_.dir);
  if (!firsts.ok()) return firsts.status();
  uint64_t removed = 0;
  absl::Status status;
  for (size_t i = 0; i + 1 < firsts->size(); ++i) {
    // Segment i holds records (*firsts)[i] .. successor - 1.
    const uint64_t successor = (*firsts)[i + 1];
    if ((*firsts)[i] >= current || successor - 1 > sequence) break;
    status = options_.fs->Remove(
        JoinPath(options_.dir, WalSegmentName((*firsts)[i])));
    if (!status.ok()) break;
    ++removed;
  }
  segment_count_ -= removed;
  if (removed > 0) {
    if (absl::Status s = options_.fs->SyncDir(options_.dir); status.ok()) {
      status = s;
    }
  }
  return status;
}

absl::Status WalWriter::Fail(absl::Status status) {
  std::lock_guard lock(mu_);
  if (failed_.ok()) {
    failed_ = std::move(status);
    broken_ = true;
  }
  return failed_;
}

absl::Status WalWriter::failure() const {
  std::lock_guard lock(mu_);
  return failed_;
}

}  // namespace contactd::snapshot
