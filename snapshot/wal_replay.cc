// Replays the WAL (segments of the format in wal_format.h) and applies the
// recovery rules of docs/wal_format.md; see wal_replay.h.

#include "snapshot/wal_replay.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "snapshot/mapped_file.h"

namespace contactd::snapshot {
namespace {

struct Segment {
  uint64_t first = 0;  // from the file name
  std::string name;
  std::string path;
};

class Replayer {
 public:
  Replayer(const std::string& dir, uint64_t after_sequence,
           const WalReplayOptions& options,
           absl::FunctionRef<absl::Status(const WalRecord&)> on_record)
      : dir_(dir),
        after_(after_sequence),
        options_(options),
        fs_(*options.fs),
        on_record_(on_record) {}

  absl::StatusOr<WalReplay> Run();

 private:
  // Reads segment `i`; sets done_ when the log ends there.
  absl::Status ReplaySegment(size_t i);
  // Why segment `i`, whose header says `first`, cannot continue the log
  // here; empty when it can.
  std::string StartProblem(size_t i, uint64_t first) const;
  // A torn end of the last segment `i`: cut at `scan.valid_bytes`.
  absl::Status CutTornTail(size_t i, const WalScan& scan);
  // Damage in segment `i` at `problem` (which starts with "offset N");
  // `scan` is nullptr when the segment is out of sequence as a whole.
  // DATA_LOSS, or with salvage: cut the log there.
  absl::Status Damage(size_t i, const WalScan* scan,
                      const std::string& problem);
  // Truncates `path` to `size` bytes, durably.
  absl::Status Truncate(const std::string& path, uint64_t size);

  const std::string& dir_;
  const uint64_t after_;
  const WalReplayOptions& options_;
  FileSystem& fs_;
  absl::FunctionRef<absl::Status(const WalRecord&)> on_record_;

  std::vector<Segment> segments_;
  // The first sequence the next segment must start with; nullopt before
  // the first segment read.
  std::optional<uint64_t> expected_;
  bool done_ = false;
  WalReplay result_;
};

absl::StatusOr<WalReplay> Replayer::Run() {
  auto names = fs_.List(dir_);
  if (absl::IsNotFound(names.status())) return result_;
  if (!names.ok()) return names.status();
  for (std::string& name : *names) {
    if (auto first = ParseWalSegmentName(name)) {
      std::string path = JoinPath(dir_, name);
      segments_.push_back({*first, std::move(name), std::move(path)});
    }
  }
  std::sort(
      segments_.begin(), segments_.end(),
      [](const Segment& a, const Segment& b) { return a.first < b.first; });
  if (segments_.empty()) return result_;

  // Segment i holds records first .. segments_[i + 1].first - 1: skip those
  // wholly covered by the snapshot, unread. The last one is always read.
  size_t start = 0;
  while (start + 1 < segments_.size() &&
         segments_[start + 1].first - 1 <= after_) {
    ++start;
  }
  result_.last_sequence = start > 0 ? segments_[start].first - 1 : 0;
  for (size_t i = start; i < segments_.size() && !done_; ++i) {
    if (absl::Status s = ReplaySegment(i); !s.ok()) return s;
  }
  return result_;
}

std::string Replayer::StartProblem(size_t i, uint64_t first) const {
  const Segment& segment = segments_[i];
  if (first != segment.first) {
    return absl::StrCat("offset 0: the segment header says first sequence ",
                        first, ", its name ", segment.first);
  }
  if (expected_ && first != *expected_) {
    return absl::StrCat("offset 0: starts at sequence ", first,
                        ", but the previous segment ends at ", *expected_ - 1);
  }
  if (!expected_ && first - 1 > after_) {
    return absl::StrCat("offset 0: starts at sequence ", first,
                        ", but the log must continue at ", after_ + 1,
                        " (records ", after_ + 1, "..", first - 1,
                        " are missing)");
  }
  return "";
}

absl::Status Replayer::ReplaySegment(size_t i) {
  const Segment& segment = segments_[i];
  const bool last = i + 1 == segments_.size();
  std::optional<MappedFile> file;
  {
    auto mapped = MappedFile::Open(segment.path);
    if (!mapped.ok()) return mapped.status();
    file.emplace(*std::move(mapped));
  }
  result_.bytes += file->bytes().size();

  bool started = false;      // the segment's start has been checked
  std::string out_of_order;  // why it cannot continue the log, if it cannot
  absl::Status callback_error;
  auto scan = ScanWalSegment(
      file->bytes(), [&](const WalRecord& record) -> absl::Status {
        if (!started) {
          started = true;
          out_of_order = StartProblem(i, record.sequence);
          if (!out_of_order.empty()) return absl::AbortedError("");
        }
        if (record.sequence <= after_) return absl::OkStatus();
        absl::Status s = on_record_(record);
        if (!s.ok()) {
          callback_error = absl::Status(
              s.code(), absl::StrCat(segment.path, ": offset ", record.offset,
                                     ": record ", record.sequence, ": ",
                                     std::string(s.message())));
          return callback_error;
        }
        ++result_.records_replayed;
        return absl::OkStatus();
      });
  file.reset();  // unmapped before the file may be truncated
  if (!out_of_order.empty()) return Damage(i, nullptr, out_of_order);
  if (!scan.ok()) return callback_error.ok() ? scan.status() : callback_error;
  if (!started && scan->first_sequence != 0) {  // a header and no record
    out_of_order = StartProblem(i, scan->first_sequence);
    if (!out_of_order.empty()) return Damage(i, nullptr, out_of_order);
  }

  switch (scan->end) {
    case WalScan::End::kClean:
      result_.last_sequence =
          scan->records > 0 ? scan->last_sequence : scan->first_sequence - 1;
      expected_ = result_.last_sequence + 1;
      return absl::OkStatus();
    case WalScan::End::kTorn:
      if (last) return CutTornTail(i, *scan);
      return Damage(i, &*scan,
                    absl::StrCat(scan->problem,
                                 " (a torn end, but not in the last segment)"));
    case WalScan::End::kCorrupt:
      return Damage(i, &*scan, scan->problem);
  }
  return absl::InternalError("wal: unknown scan result");
}

absl::Status Replayer::CutTornTail(size_t i, const WalScan& scan) {
  const Segment& segment = segments_[i];
  done_ = true;
  if (scan.valid_bytes < kWalSegmentHeaderSize) {
    // Created, but its header never reached the disk: nothing was in it.
    if (auto s = fs_.Remove(segment.path); !s.ok()) return s;
    if (auto s = fs_.SyncDir(dir_); !s.ok()) return s;
    result_.torn_tail =
        absl::StrCat(segment.path, ": ", scan.problem, "; removed the segment");
    return absl::OkStatus();
  }
  if (auto s = Truncate(segment.path, scan.valid_bytes); !s.ok()) return s;
  result_.last_sequence =
      scan.records > 0 ? scan.last_sequence : scan.first_sequence - 1;
  result_.torn_tail = absl::StrCat(
      segment.path, ": ", scan.problem, "; truncated to ", scan.valid_bytes,
      " bytes (the log ends at record ", result_.last_sequence, ")");
  return absl::OkStatus();
}

absl::Status Replayer::Damage(size_t i, const WalScan* scan,
                              const std::string& problem) {
  const Segment& segment = segments_[i];
  const std::string where = absl::StrCat(segment.path, ": ", problem);
  if (!options_.salvage) return absl::DataLossError(where);

  done_ = true;
  std::string cut;
  if (scan != nullptr && scan->valid_bytes >= kWalSegmentHeaderSize) {
    if (auto s = Truncate(segment.path, scan->valid_bytes); !s.ok()) return s;
    result_.last_sequence =
        scan->records > 0 ? scan->last_sequence : scan->first_sequence - 1;
    cut = absl::StrCat("cut ", segment.name, " at offset ", scan->valid_bytes);
  } else {
    if (auto s = fs_.Remove(segment.path); !s.ok()) return s;
    cut = absl::StrCat("removed ", segment.name);
  }
  std::vector<std::string> later;
  for (size_t j = i + 1; j < segments_.size(); ++j) {
    if (auto s = fs_.Remove(segments_[j].path); !s.ok()) return s;
    later.push_back(segments_[j].name);
  }
  if (auto s = fs_.SyncDir(dir_); !s.ok()) return s;
  result_.salvaged = absl::StrCat(
      where, "; salvage kept the log through record ", result_.last_sequence,
      ": ", cut,
      later.empty()
          ? ""
          : absl::StrCat(" and removed ", absl::StrJoin(later, ", ")));
  return absl::OkStatus();
}

absl::Status Replayer::Truncate(const std::string& path, uint64_t size) {
  auto file = fs_.OpenForAppend(path);
  if (!file.ok()) return file.status();
  if (auto s = (*file)->Truncate(size); !s.ok()) return s;
  if (auto s = (*file)->Sync(); !s.ok()) return s;
  return (*file)->Close();
}

}  // namespace

absl::StatusOr<WalReplay> ReplayWal(
    const std::string& dir, uint64_t after_sequence,
    const WalReplayOptions& options,
    absl::FunctionRef<absl::Status(const WalRecord&)> on_record) {
  if (options.fs == nullptr) {
    return absl::InvalidArgumentError("wal: no file system");
  }
  return Replayer(dir, after_sequence, options, on_record).Run();
}

}  // namespace contactd::snapshot
