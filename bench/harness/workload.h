#pragma once
// Workload: what a bench run asks — the key list (key_list.h), the optional
// writes, and the RequestPicker that draws the next request with the run's
// hit ratio, email share and write share.
//
//   ASSIGN_OR_RETURN(Workload w, LoadWorkload("keys.tsv", "writes.jsonl"));
//   RequestPicker picker(w, {.hit_ratio = 0.9}, /*stream=*/thread);
//   Op op = picker.Next();   // an index into w.keys or w.writes
//
// Writes file: JSON Lines, one contact as contactd stores it (ids set) per
// line, in the JSON of protocol/contact_json.h. A write UPSERTs it into
// contactd, or SETs every key of it (redis_keys.h) to its JSON in Redis.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/harness/key_list.h"
#include "index/contact.h"

namespace contactd::bench {

struct WriteOp {
  index::Contact contact;
  std::string json;                     // the line, as Redis stores it
  std::vector<std::string> redis_keys;  // one per phone and email
};

struct Workload {
  std::vector<LookupKey> keys;
  std::vector<WriteOp> writes;
};

// `writes_path` may be empty (no writes). Errors: those of ReadKeyList; a
// bad writes line: InvalidArgument "path:line: ...".
absl::StatusOr<Workload> LoadWorkload(const std::string& keys_path,
                                      const std::string& writes_path);
absl::StatusOr<std::vector<WriteOp>> ReadWrites(const std::string& path);

struct PickerOptions {
  double hit_ratio = 0.9;    // of lookups, those whose key is in the dataset
  double email_ratio = 0.1;  // of lookups, those by email
  double write_ratio = 0.0;  // of requests, the writes
  uint64_t seed = 1;
};

enum class OpKind : uint8_t { kLookup, kWrite };
struct Op {
  OpKind kind = OpKind::kLookup;
  uint32_t index = 0;  // into Workload::keys or Workload::writes
};

// Draws requests: a write with probability write_ratio (when there are
// writes); else a lookup by email with probability email_ratio, a hit with
// probability hit_ratio, then a uniformly random key of that (kind, hit)
// class. A class with no keys falls back to the other hit/miss class of the
// same kind, then to the other kind. Deterministic for (seed, stream).
class RequestPicker {
 public:
  // REQUIRES: !workload.keys.empty(). `workload` must outlive the picker.
  RequestPicker(const Workload& workload, const PickerOptions& options,
                uint64_t stream);

  Op Next();

 private:
  uint64_t NextRandom();
  // A uniform double in [0, 1).
  double Uniform() { return static_cast<double>(NextRandom() >> 11) * 0x1p-53; }
  const std::vector<uint32_t>& ClassOf(bool email, bool hit) const;

  PickerOptions options_;
  size_t write_count_;
  // Indexes of the keys by class: [email][hit].
  std::vector<uint32_t> classes_[2][2];
  uint64_t state_;
};

}  // namespace contactd::bench
