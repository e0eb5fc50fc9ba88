#include "bench/dataset_gen/dataset_builder.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "bench/dataset_gen/crm_contacts.h"
#include "bench/dataset_gen/key_sampler.h"
#include "protocol/contact_json.h"
#include "snapshot/snapshot_format.h"
#include "snapshot/snapshot_reader.h"
#include "tools/import/import_report.h"
#include "tools/import/snapshot_sink.h"

namespace contactd::bench {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

// Imports every contact into the snapshot file (tools/import SnapshotSink).
absl::Status ImportContacts(const GenerateOptions& o, const CrmContacts& crm,
                            const std::string& path) {
  std::ostringstream rejected;  // the report's messages for bad rows
  tools::ImportReport report("generated contacts", rejected, nullptr);
  absl::StatusOr<std::unique_ptr<tools::SnapshotSink>> sink =
      tools::SnapshotSink::Create({.out = path, .region = "US"}, &report);
  if (!sink.ok()) return sink.status();
  for (size_t i = 0; i < crm.size(); ++i) {
    report.RowRead(0);
    if (absl::Status s = (*sink)->Add(static_cast<int64_t>(i + 1), crm.Make(i));
        !s.ok()) {
      return s;
    }
    if (o.progress && (i + 1) % 100'000 == 0) {
      std::cerr << "contactd-dataset: imported " << (i + 1) << " contacts\n";
    }
  }
  if (absl::Status s = (*sink)->Finish(/*commit=*/true); !s.ok()) return s;
  report.Finish();
  if (report.counts().rejected > 0) {
    return absl::InternalError(
        absl::StrCat(report.counts().rejected,
                     " generated contacts were rejected: ", rejected.str()));
  }
  return absl::OkStatus();
}

absl::Status WriteWrites(const std::string& path,
                         const std::vector<index::ContactRecord::Ptr>& stored,
                         size_t count, uint64_t seed) {
  std::ofstream out(path, std::ios::trunc);
  SplitMix64 rng(seed ^ 0x3717e5);
  for (size_t k = 0; k < count && !stored.empty(); ++k) {
    index::Contact c = stored[rng.Below(stored.size())]->ToContact();
    c.company = absl::StrCat(c.company, " (rev ", k, ")");
    out << protocol::DumpJson(protocol::ContactToJson(c)) << '\n';
  }
  out.flush();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

std::string DatasetSnapshotPath(const std::string& out_dir) {
  return (std::filesystem::path(out_dir) / "data" /
          snapshot::SnapshotFileName(0))
      .string();
}

absl::StatusOr<nlohmann::json> GenerateDataset(const GenerateOptions& o) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(o.out_dir) / "data",
                                      error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", o.out_dir, "/data: ", error.message()));
  }
  absl::StatusOr<PhonePlan> plan = PhonePlan::Create();
  if (!plan.ok()) return plan.status();
  const CrmContacts crm(
      {.contacts = o.contacts, .tenants = o.tenants, .seed = o.seed}, &*plan);
  const std::string snapshot_path = DatasetSnapshotPath(o.out_dir);

  auto start = std::chrono::steady_clock::now();
  if (absl::Status s = ImportContacts(o, crm, snapshot_path); !s.ok()) return s;
  const double import_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  absl::StatusOr<snapshot::LoadedSnapshot> loaded =
      snapshot::LoadSnapshot(snapshot_path);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<std::vector<LookupKey>> keys =
      SampleKeys(loaded->records, *plan, {.keys = o.keys, .seed = o.seed});
  if (!keys.ok()) return keys.status();
  const std::string dir = o.out_dir;
  if (absl::Status s = WriteKeyList(dir + "/keys.tsv", *keys); !s.ok())
    return s;
  if (absl::Status s =
          WriteWrites(dir + "/writes.jsonl", loaded->records, o.writes, o.seed);
      !s.ok()) {
    return s;
  }
  uint64_t phones = 0, emails = 0;
  for (const index::ContactRecord::Ptr& r : loaded->records) {
    phones += r->phone_count();
    emails += r->email_count();
  }
  nlohmann::json summary;
  summary["contacts"] = loaded->records.size();
  summary["tenants"] = o.tenants;
  summary["seed"] = o.seed;
  summary["phones"] = phones;
  summary["emails"] = emails;
  summary["redis_keys"] = phones + emails;
  summary["keys"] = keys->size();
  summary["writes"] = o.writes;
  summary["snapshot"] = snapshot_path;
  summary["snapshot_bytes"] = loaded->info.bytes;
  summary["import_seconds"] = import_seconds;
  summary["keys_seconds"] = SecondsSince(start);
  std::ofstream(dir + "/dataset.json", std::ios::trunc)
      << summary.dump(2) << "\n";
  return summary;
}

}  // namespace contactd::bench
