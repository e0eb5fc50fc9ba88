#pragma once
// SnapshotSink: an offline import (`contactctl import --out FILE`). Every
// contact goes into a local index::ContactStore — which normalizes,
// validates, assigns ids and dedups by the tenant's external_id exactly as
// contactd does — and Finish writes all of the store's contacts into a
// snapshot file (snapshot/snapshot_writer.h) with last WAL sequence 0, for
// `contactctl reload FILE` to load into a running server.
//
//   ASSIGN_OR_RETURN(auto sink,
//                    SnapshotSink::Create({.out = "c.snap"}, &report));
//   RETURN_IF_ERROR(sink->Add(line, contact));  // outcome: to the report
//   RETURN_IF_ERROR(sink->Finish(/*commit=*/true));
//   sink->info();                               // contacts, bytes
//
// With a base snapshot (--base), the store starts with its contacts, so a
// re-import of the same rows updates them and keeps their ids (a snapshot
// built from scratch would give every contact a new id).
//
// Memory: the whole dataset is in memory (~400 bytes per contact).

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "index/contact_store.h"
#include "snapshot/snapshot_format.h"
#include "tools/import/import_report.h"
#include "tools/import/import_sink.h"

namespace contactd::tools {

struct SnapshotSinkOptions {
  std::string out;     // the snapshot file to write
  std::string base;    // "": start empty; else a snapshot to start from
  std::string region;  // for numbers without a country code ("US")
};

class SnapshotSink : public ImportSink {
 public:
  // Errors: INVALID_REGION; the base snapshot's load errors. `report` must
  // outlive the sink.
  static absl::StatusOr<std::unique_ptr<SnapshotSink>> Create(
      SnapshotSinkOptions options, ImportReport* report);

  absl::Status Add(int64_t line, index::Contact contact) override;
  absl::Status Finish(bool commit) override;

  // Contacts loaded from the base snapshot.
  uint64_t base_contacts() const { return base_contacts_; }
  // The file written (valid after Finish(true) succeeded).
  const snapshot::SnapshotInfo& info() const { return info_; }

 private:
  SnapshotSink(SnapshotSinkOptions options, ImportReport* report,
               std::unique_ptr<index::ContactStore> store)
      : options_(std::move(options)),
        report_(report),
        store_(std::move(store)) {}

  const SnapshotSinkOptions options_;
  ImportReport* const report_;
  std::unique_ptr<index::ContactStore> store_;
  absl::flat_hash_set<index::Uuid> tenants_;  // every tenant in store_
  uint64_t base_contacts_ = 0;
  snapshot::SnapshotInfo info_;
};

}  // namespace contactd::tools
