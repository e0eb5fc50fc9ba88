// libFuzzer target: ScanWalSegment (snapshot/wal_format.h) on untrusted
// bytes. The first input byte picks the mode:
//
//  - even: the rest of the input is a segment, scanned as it is;
//  - odd: the rest describes a segment that the real encoders build (first
//    sequence, records with random payloads, now and then an unknown type
//    or a skipped sequence), then damage it once (cut it, flip a bit,
//    append zeros). Checksums in such a segment are right, so the scan gets
//    past them to the length, type and sequence checks and the torn/corrupt
//    decision, which a mutated checksum would hide from raw bytes; and the
//    outcome is known, so it is checked exactly.
//
// Checked on every input: no crash and no sanitizer report; records are
// reported contiguously from the header on, consecutive, inside the input;
// the good prefix (valid_bytes) re-encodes to exactly the same bytes; a
// clean scan covers every byte; a problem names offset valid_bytes; and a
// failing callback stops the scan with its status.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/wal_format.h"

namespace contactd::snapshot {
namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

std::string_view AsChars(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The invariants of any scan; returns it.
WalScan ScanAndCheck(std::span<const uint8_t> bytes) {
  std::string reencoded;
  uint64_t next_offset = kWalSegmentHeaderSize;
  uint64_t count = 0;
  uint64_t previous = 0;
  auto scan = ScanWalSegment(bytes, [&](const WalRecord& r) {
    Check(r.offset == next_offset);
    Check(r.payload.data() == bytes.data() + r.offset + kWalRecordHeaderSize);
    Check(r.payload.size() <= kWalMaxPayloadBytes);
    Check(r.offset + WalRecordSize(r.payload.size()) <= bytes.size());
    Check(IsKnownWalRecordType(static_cast<uint8_t>(r.type)));
    Check(count == 0 || r.sequence == previous + 1);
    AppendWalRecord(reencoded, r.sequence, r.type, AsChars(r.payload));
    next_offset += WalRecordSize(r.payload.size());
    previous = r.sequence;
    ++count;
    return absl::OkStatus();
  });
  Check(scan.ok());  // the callback never fails
  Check(scan->valid_bytes <= bytes.size());
  Check(scan->records == count);
  if (scan->end == WalScan::End::kClean) {
    Check(scan->valid_bytes == bytes.size());
    Check(scan->problem.empty());
  } else {
    const std::string prefix =
        "offset " + std::to_string(scan->valid_bytes) + ": ";
    Check(scan->problem.starts_with(prefix));
  }
  if (scan->valid_bytes >= kWalSegmentHeaderSize) {
    Check(scan->first_sequence != 0);
    Check(count == 0 ? scan->last_sequence == 0
                     : scan->last_sequence == previous &&
                           scan->first_sequence + count - 1 == previous);
    std::string good;
    AppendWalSegmentHeader(good, scan->first_sequence);
    good += reencoded;
    Check(good == AsChars(bytes.first(scan->valid_bytes)));
  } else {
    Check(scan->valid_bytes == 0 && count == 0 && scan->first_sequence == 0);
  }

  // A callback that fails stops the scan there, with its status.
  if (count > 0) {
    const uint64_t stop_at = count / 2;
    uint64_t calls = 0;
    auto stopped = ScanWalSegment(bytes, [&](const WalRecord&) {
      return calls++ == stop_at ? absl::CancelledError("stop")
                                : absl::OkStatus();
    });
    Check(stopped.status() == absl::CancelledError("stop"));
    Check(calls == stop_at + 1);
  }
  return *scan;
}

void FuzzBuiltSegment(std::span<const uint8_t> input) {
  FuzzedDataProvider p(input.data(), input.size());
  const uint64_t first = p.ConsumeIntegralInRange<uint64_t>(1, 1ull << 62);
  const int n = p.ConsumeIntegralInRange<int>(0, 8);
  std::string segment;
  AppendWalSegmentHeader(segment, first);
  std::vector<uint64_t> offsets;
  int first_bad = -1;  // the first record with an unknown type or sequence
  for (int i = 0; i < n; ++i) {
    offsets.push_back(segment.size());
    uint64_t sequence = first + static_cast<uint64_t>(i);
    uint8_t type = p.ConsumeBool() ? 1 : 2;
    switch (p.ConsumeIntegralInRange<int>(0, 15)) {
      case 0:
        type = p.ConsumeIntegral<uint8_t>();
        break;
      case 1:
        sequence += p.ConsumeIntegralInRange<uint64_t>(1, 3);
        break;
      default:
        break;
    }
    if (first_bad < 0 &&
        (!IsKnownWalRecordType(type) || sequence != first + i)) {
      first_bad = i;
    }
    AppendWalRecord(segment, sequence, static_cast<WalRecordType>(type),
                    p.ConsumeRandomLengthString(80));
  }
  offsets.push_back(segment.size());
  // The record holding byte `at` (-1: the segment header).
  auto record_at = [&](uint64_t at) {
    int k = -1;
    for (int i = 0; i < n; ++i) {
      if (offsets[i] <= at) k = i;
    }
    return k;
  };

  const int damage = p.ConsumeIntegralInRange<int>(0, 3);
  const uint64_t at = p.ConsumeIntegralInRange<uint64_t>(0, segment.size() - 1);
  switch (damage) {
    case 1:  // cut
      segment.resize(at);
      break;
    case 2:  // flip a bit
      segment[at] = static_cast<char>(segment[at] ^
                                      (1 << p.ConsumeIntegralInRange(0, 7)));
      break;
    case 3:  // zeros after the end
      segment.append(p.ConsumeIntegralInRange<size_t>(1, 64), '\0');
      break;
    default:
      break;
  }
  const WalScan scan = ScanAndCheck(
      {reinterpret_cast<const uint8_t*>(segment.data()), segment.size()});

  const int k = damage == 0 || damage == 3 ? n : record_at(at);
  if (first_bad >= 0 && first_bad < k) {
    // The scan stops at the first bad record, before the damage.
    Check(scan.end == WalScan::End::kCorrupt);
    Check(scan.valid_bytes == offsets[first_bad]);
    return;
  }
  switch (damage) {
    case 0:
      Check(scan.end == WalScan::End::kClean);
      Check(scan.records == static_cast<uint64_t>(n));
      break;
    case 1:
      if (k < 0) {
        Check(scan.end == WalScan::End::kTorn && scan.valid_bytes == 0);
      } else if (at == offsets[k]) {  // between records: all before are good
        Check(scan.end == WalScan::End::kClean && scan.valid_bytes == at);
      } else {
        Check(scan.valid_bytes == offsets[k]);
        Check(scan.end == WalScan::End::kTorn ||
              (first_bad == k && scan.end == WalScan::End::kCorrupt));
      }
      break;
    case 2:
      if (k < 0) {
        Check(scan.end == WalScan::End::kCorrupt && scan.valid_bytes == 0);
      } else {
        Check(scan.valid_bytes == offsets[k]);
        // Torn only for a complete last record with a bad checksum.
        Check(scan.end == WalScan::End::kCorrupt ||
              (scan.end == WalScan::End::kTorn && k == n - 1));
      }
      break;
    case 3:
      Check(scan.end == WalScan::End::kTorn);
      Check(scan.valid_bytes == offsets[n]);
      break;
  }
}

}  // namespace
}  // namespace contactd::snapshot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::span<const uint8_t> rest(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    contactd::snapshot::ScanAndCheck(rest);
  } else {
    contactd::snapshot::FuzzBuiltSegment(rest);
  }
  return 0;
}
