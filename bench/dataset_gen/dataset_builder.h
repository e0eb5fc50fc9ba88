#pragma once
// GenerateDataset: the bench dataset in a directory, for compare.sh and
// contactd-bench:
//
//   DIR/data/snapshot-00000000000000000000.snap
//       the contacts, written through the import path (tools/import
//       SnapshotSink: normalization, validation, ids, as `contactctl import
//       --out` does); a contactd data directory as it is, or a file for
//       `contactctl reload`
//   DIR/keys.tsv       the lookup keys (bench/harness/key_list.h)
//   DIR/writes.jsonl   contacts to write (a changed company), for
//                      contactd-bench --writes
//   DIR/dataset.json   what was generated, with counts and timings
//
// The Redis side is loaded from the same snapshot (redis_loader.h), so both
// servers hold the same contacts with the same ids.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace contactd::bench {

struct GenerateOptions {
  std::string out_dir;
  size_t contacts = 1'000'000;
  size_t tenants = 100;
  uint64_t seed = 0x5eed'c0ffee;
  size_t keys = 200'000;
  size_t writes = 10'000;
  bool progress = true;  // a line on stderr every 100,000 contacts
};

// The path of the snapshot in `out_dir`.
std::string DatasetSnapshotPath(const std::string& out_dir);

// Errors: a contact the import rejects (Internal, with its reason: the
// generator must only make valid contacts), file errors.
absl::StatusOr<nlohmann::json> GenerateDataset(const GenerateOptions& options);

}  // namespace contactd::bench
