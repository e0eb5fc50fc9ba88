#include "bench/durability/dataset_snapshot.h"

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "snapshot/snapshot_format.h"
#include "snapshot/snapshot_writer.h"

namespace contactd::bench {
namespace {

// With CONTACTD_BENCH_KEEP_DATASET=DIR, links the snapshot into DIR, a data
// directory for bench/durability/time_restart.sh to start contactd on.
void KeepCopy(const std::string& path) {
  const char* dir = std::getenv("CONTACTD_BENCH_KEEP_DATASET");
  if (dir == nullptr || *dir == '\0') return;
  std::error_code error;
  const std::filesystem::path to =
      std::filesystem::path(dir) / std::filesystem::path(path).filename();
  std::filesystem::create_directories(dir, error);
  std::filesystem::remove(to, error);
  std::filesystem::create_hard_link(path, to, error);
  if (error) std::filesystem::copy_file(path, to, error);
  std::fprintf(stderr, "[durability_bench] dataset snapshot %s %s\n",
               error ? "NOT kept in" : "kept as", to.c_str());
}

}  // namespace

const DatasetSnapshot& GetDatasetSnapshot(size_t contacts) {
  static std::mutex mu;
  // Not leaked: destroying it at exit removes the files.
  static std::map<size_t, std::unique_ptr<DatasetSnapshot>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<DatasetSnapshot>& slot = cache[contacts];
  if (slot != nullptr) return *slot;

  auto data = std::make_unique<DatasetSnapshot>();
  data->gen =
      std::make_unique<ContactGenerator>(DatasetOptions{.contacts = contacts});
  absl::StatusOr<BuiltStore> built =
      BuildStore(*data->gen, BuildPath::kBulkLoad);
  if (!built.ok()) Die("building the dataset", built.status());
  data->build_seconds = built->build_seconds;
  data->phone_keys = std::move(built->phone_keys);
  data->dir = std::make_unique<TempDir>("dataset");
  data->path = *data->dir / snapshot::SnapshotFileName(0);

  const Clock::time_point start = Clock::now();
  {
    index::EpochGuard guard;
    const index::IndexView view = built->store->index().View();
    auto writer = snapshot::SnapshotWriter::Create(data->path, 0);
    if (!writer.ok()) Die("creating the snapshot", writer.status());
    absl::Status added;
    view.ForEach([&](const index::ContactRecord& record) {
      if (added.ok()) added = (*writer)->Add(record);
    });
    if (!added.ok()) Die("writing the snapshot", added);
    auto info = (*writer)->Finish();
    if (!info.ok()) Die("finishing the snapshot", info.status());
    data->bytes = info->bytes;
  }
  data->write_seconds = Seconds(Clock::now() - start);
  KeepCopy(data->path);
  built->store.reset();
  built->email_keys = {};
  index::Epochs().Synchronize();
  // Give the freed store back to the kernel, so that what runs next
  // allocates fresh pages as a new process would: left in malloc's free
  // lists, it made the load's calling thread (main arena) look twice as
  // fast as its helper threads, which a contactd start-up does not show.
  malloc_trim(0);
  std::fprintf(stderr,
               "[durability_bench] %zu contacts: built (BulkLoad) in %.1f s, "
               "snapshot of %.0f MB written in %.1f s\n",
               contacts, data->build_seconds,
               static_cast<double>(data->bytes) / 1e6, data->write_seconds);
  slot = std::move(data);
  return *slot;
}

}  // namespace contactd::bench
