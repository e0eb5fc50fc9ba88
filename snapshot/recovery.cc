#include "snapshot/recovery.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "protocol/wire_reader.h"
#include "snapshot/contact_payload.h"
#include "snapshot/snapshot_format.h"
#include "snapshot/snapshot_reader.h"
#include "snapshot/wal_replay.h"

namespace contactd::snapshot {
namespace {

// Removes what interrupted writes left behind; returns the snapshot names.
absl::StatusOr<std::vector<std::string>> CleanUp(const RecoveryOptions& o,
                                                 RecoveryResult& result) {
  auto names = o.fs->List(o.dir);
  if (!names.ok()) return names.status();
  std::vector<std::string> snapshots;
  for (const std::string& name : *names) {
    if (absl::EndsWith(name, ".tmp") || name == kReloadPendingFile) {
      if (auto s = o.fs->Remove(JoinPath(o.dir, name)); !s.ok()) return s;
      result.warnings.push_back(
          absl::StrCat("removed ", name, ", left by an interrupted write"));
    } else if (ParseSnapshotFileName(name)) {
      snapshots.push_back(name);
    }
  }
  return snapshots;  // sorted: the names sort by sequence
}

absl::Status LoadNewestSnapshot(const RecoveryOptions& o,
                                const std::vector<std::string>& snapshots,
                                index::ContactStore& store,
                                RecoveryResult& result) {
  if (snapshots.empty()) return absl::OkStatus();
  const absl::Time start = absl::Now();
  result.snapshot_file = JoinPath(o.dir, snapshots.back());
  auto loaded = LoadSnapshot(result.snapshot_file,
                             {.salvage = o.salvage, .threads = o.load_threads});
  if (!loaded.ok()) return loaded.status();
  if (!loaded->salvaged.empty()) {
    result.salvaged = true;
    result.warnings.push_back(absl::StrCat("salvage: ", loaded->salvaged));
  }
  result.snapshot_sequence = loaded->info.last_sequence;
  result.snapshot_contacts = loaded->records.size();
  if (auto s = store.BulkLoad(std::move(loaded->records)); !s.ok()) {
    return absl::DataLossError(
        absl::StrCat(result.snapshot_file, ": ", s.message()));
  }
  result.snapshot_load_time = absl::Now() - start;
  return absl::OkStatus();
}

absl::Status Apply(const WalRecord& record, index::ContactStore& store) {
  protocol::WireReader r(record.payload, "WAL record");
  switch (record.type) {
    case WalRecordType::kPut: {
      auto contact = DecodeStoredContact(r);
      if (!contact.ok()) return contact.status();
      return store.Restore(*std::move(contact));
    }
    case WalRecordType::kDelete: {
      auto deleted = DecodeDeletedContact(r);
      if (!deleted.ok()) return deleted.status();
      return store.RestoreDelete(deleted->customer_id, deleted->id);
    }
  }
  return absl::DataLossError("unknown record type");
}

absl::Status ReplayLog(const RecoveryOptions& o, index::ContactStore& store,
                       RecoveryResult& result) {
  const absl::Time start = absl::Now();
  auto replay = ReplayWal(o.dir, result.snapshot_sequence,
                          {.salvage = o.salvage, .fs = o.fs},
                          [&](const WalRecord& record) -> absl::Status {
                            absl::Status applied = Apply(record, store);
                            if (applied.ok() || !o.salvage) return applied;
                            result.warnings.push_back(absl::StrCat(
                                "salvage: skipped WAL record ", record.sequence,
                                ": ", applied.message()));
                            return absl::OkStatus();
                          });
  if (!replay.ok()) return replay.status();
  if (!replay->torn_tail.empty()) {
    result.warnings.push_back(
        absl::StrCat("cut off a torn WAL tail: ", replay->torn_tail));
  }
  if (!replay->salvaged.empty()) {
    result.salvaged = true;
    result.warnings.push_back(absl::StrCat("salvage: ", replay->salvaged));
  }
  result.wal_records_replayed = replay->records_replayed;
  result.wal_bytes = replay->bytes;
  result.last_sequence =
      std::max(result.snapshot_sequence, replay->last_sequence);
  result.replay_time = absl::Now() - start;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RecoveryResult> Recover(const RecoveryOptions& options,
                                       index::ContactStore& store) {
  RecoveryResult result;
  if (auto s = options.fs->CreateDir(options.dir); !s.ok()) return s;
  auto snapshots = CleanUp(options, result);
  if (!snapshots.ok()) return snapshots.status();
  if (auto s = LoadNewestSnapshot(options, *snapshots, store, result);
      !s.ok()) {
    return s;
  }
  if (auto s = ReplayLog(options, store, result); !s.ok()) return s;
  return result;
}

}  // namespace contactd::snapshot
