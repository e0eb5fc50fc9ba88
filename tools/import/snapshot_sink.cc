#include "tools/import/snapshot_sink.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "index/epoch.h"
#include "index/list_index.h"
#include "index/status_macros.h"
#include "snapshot/snapshot_reader.h"
#include "snapshot/snapshot_writer.h"

namespace contactd::tools {
namespace {

// The sequence of an offline snapshot: it follows no WAL. A reload sets the
// sequence it replaces (snapshot_writer.h, SetSnapshotSequence).
constexpr uint64_t kOfflineSequence = 0;
// Contacts listed per List() call while writing.
constexpr size_t kPageSize = 1024;

}  // namespace

absl::StatusOr<std::unique_ptr<SnapshotSink>> SnapshotSink::Create(
    SnapshotSinkOptions options, ImportReport* report) {
  ASSIGN_OR_RETURN(std::unique_ptr<index::ContactStore> store,
                   index::ContactStore::Create(options.region));
  auto sink = std::unique_ptr<SnapshotSink>(
      new SnapshotSink(std::move(options), report, std::move(store)));
  if (!sink->options_.base.empty()) {
    ASSIGN_OR_RETURN(snapshot::LoadedSnapshot base,
                     snapshot::LoadSnapshot(sink->options_.base));
    for (const index::ContactRecord::Ptr& record : base.records) {
      sink->tenants_.insert(record->customer_id());
    }
    sink->base_contacts_ = base.records.size();
    RETURN_IF_ERROR(sink->store_->BulkLoad(std::move(base.records)));
  }
  return sink;
}

absl::Status SnapshotSink::Add(int64_t line, index::Contact contact) {
  const index::Uuid tenant = contact.customer_id;
  index::WriteOptions write;
  write.now = absl::Now();
  write.region = options_.region;
  absl::StatusOr<index::UpsertResult> result =
      store_->Upsert(std::move(contact), write);
  if (!result.ok()) {
    report_->Rejected(line, result.status());
    return absl::OkStatus();
  }
  tenants_.insert(tenant);
  if (result->created) {
    report_->Created();
  } else {
    report_->Updated();
  }
  return absl::OkStatus();
}

absl::Status SnapshotSink::Finish(bool commit) {
  if (!commit) return absl::OkStatus();
  ASSIGN_OR_RETURN(
      std::unique_ptr<snapshot::SnapshotWriter> writer,
      snapshot::SnapshotWriter::Create(options_.out, kOfflineSequence));
  index::EpochGuard guard;  // keeps the records listed alive
  const index::ContactIndex& contacts = store_->index();
  std::array<const index::ContactRecord*, kPageSize> page;
  // Tenants in id order, so the same store always gives the same file.
  std::vector<index::Uuid> tenants(tenants_.begin(), tenants_.end());
  std::sort(tenants.begin(), tenants.end());
  for (const index::Uuid& tenant : tenants) {
    const index::Uuid* after = nullptr;
    index::Uuid last;
    while (true) {
      const size_t n = contacts.List(tenant, index::kAllContacts, after,
                                     absl::MakeSpan(page.data(), page.size()));
      for (size_t i = 0; i < n; ++i) RETURN_IF_ERROR(writer->Add(*page[i]));
      if (n < page.size()) break;
      last = page[n - 1]->id();
      after = &last;
    }
  }
  ASSIGN_OR_RETURN(info_, writer->Finish());
  return absl::OkStatus();
}

}  // namespace contactd::tools
