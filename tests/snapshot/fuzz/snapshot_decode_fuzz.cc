// libFuzzer target: DecodeSnapshot (snapshot_reader.h) on untrusted bytes,
// with and without salvage, on one thread.
//
// Built with CONTACTD_FUZZING, so checksums are not compared
// (snapshot_format.h): a mutation of a seed snapshot reaches the block walk,
// the count checks and the contact decoders instead of stopping at the
// first checksum.
//
// The contract checked: no crash, no sanitizer report, no allocation beyond
// what the input's size justifies (libFuzzer's -rss_limit_mb), and the
// result is consistent: a salvaged load never holds more contacts than the
// full load would, and a full load that succeeds salvages nothing.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "snapshot/snapshot_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactd::snapshot;
  const std::span<const uint8_t> bytes(data, size);
  auto full = DecodeSnapshot(bytes, "fuzz.snap", {.threads = 1});
  auto salvaged =
      DecodeSnapshot(bytes, "fuzz.snap", {.salvage = true, .threads = 1});
  if (full.ok()) {
    if (!salvaged.ok() || !salvaged->salvaged.empty() ||
        salvaged->records.size() != full->records.size()) {
      std::abort();
    }
    for (const auto& record : full->records) {
      if (record == nullptr) std::abort();
    }
  } else if (!absl::IsDataLoss(full.status())) {
    std::abort();
  }
  if (salvaged.ok()) {
    if (salvaged->info.contact_count != salvaged->records.size()) std::abort();
    for (const auto& record : salvaged->records) {
      if (record == nullptr) std::abort();
    }
  }
  return 0;
}
