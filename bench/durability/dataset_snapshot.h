// The durability benchmarks' datasets (bench/dataset.h) as snapshot files:
// each size built and written once, kept in a temporary directory until
// exit, with the phone keys to look its contacts up by.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/dataset.h"
#include "bench/durability/bench_support.h"

namespace contactd::bench {

struct DatasetSnapshot {
  std::unique_ptr<ContactGenerator> gen;
  std::unique_ptr<TempDir> dir;
  std::string path;  // snapshot-…0.snap in `dir`
  uint64_t bytes = 0;
  std::vector<PhoneLookupKey> phone_keys;
  double build_seconds = 0;
  double write_seconds = 0;
};

// Builds the dataset with BulkLoad, writes its snapshot (sequence 0) as a
// checkpoint would (IndexView in tenant, id order), then frees the store.
const DatasetSnapshot& GetDatasetSnapshot(size_t contacts);

}  // namespace contactd::bench
