// Writes and checks the WAL's byte format:
//
//   segment        = segment_header record*
//   segment_header = magic:u32 version:u16 reserved:u16 first_sequence:u64
//                    checksum:u64
//   record         = length:u32 sequence:u64 type:u8 header_check:u32
//                    payload:u8{length} checksum:u64
//
// (little-endian; checksums are XXH3-64; header_check is the low 32 bits of
// the XXH3-64 of length, sequence and type; see wal_format.h.)

#include "snapshot/wal_format.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "protocol/little_endian.h"

namespace contactd::snapshot {
namespace {

using protocol::AppendLittleEndian;
using protocol::LoadLittleEndian;

uint64_t Checksum(const uint8_t* data, size_t size) {
  return XXH3_64bits(data, size);
}

uint32_t HeaderCheck(const uint8_t* record) {
  return static_cast<uint32_t>(Checksum(record, kWalHeaderCheckOffset));
}

const uint8_t* Bytes(const std::string& s, size_t offset) {
  return reinterpret_cast<const uint8_t*>(s.data()) + offset;
}

bool AllZero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(),
                     [](uint8_t b) { return b == 0; });
}

// Ends a scan at `offset` with `problem`: torn when nothing but zero bytes
// follows (an extension of the file whose data never reached the disk) or
// when `torn`, corrupt otherwise.
void Stop(WalScan& scan, std::span<const uint8_t> bytes, uint64_t offset,
          bool torn, std::string_view problem) {
  const std::span<const uint8_t> rest = bytes.subspan(offset);
  scan.valid_bytes = offset;
  if (!rest.empty() && AllZero(rest)) {
    scan.end = WalScan::End::kTorn;
    scan.problem = absl::StrCat("offset ", offset, ": ", rest.size(),
                                " zero bytes at the end");
    return;
  }
  scan.end = torn ? WalScan::End::kTorn : WalScan::End::kCorrupt;
  scan.problem = absl::StrCat("offset ", offset, ": ", std::string(problem));
}

// Checks the segment header; false (and `scan` ended) when it is bad.
bool ScanHeader(std::span<const uint8_t> bytes, WalScan& scan) {
  if (bytes.size() < kWalSegmentHeaderSize) {
    Stop(scan, bytes, 0, /*torn=*/true,
         absl::StrCat("segment header truncated (", bytes.size(), " of ",
                      kWalSegmentHeaderSize, " bytes)"));
    return false;
  }
  const uint8_t* h = bytes.data();
  if (LoadLittleEndian<uint32_t>(h + kWalMagicOffset) != kWalMagic) {
    Stop(scan, bytes, 0, false, "not a WAL segment (bad magic)");
    return false;
  }
  if (LoadLittleEndian<uint64_t>(h + kWalHeaderChecksumOffset) !=
      Checksum(h, kWalHeaderChecksumOffset)) {
    Stop(scan, bytes, 0, false, "segment header checksum mismatch");
    return false;
  }
  const uint16_t version = LoadLittleEndian<uint16_t>(h + kWalVersionOffset);
  if (version != kWalFormatVersion) {
    Stop(scan, bytes, 0, false,
         absl::StrCat("unsupported WAL format version ", version));
    return false;
  }
  if (LoadLittleEndian<uint16_t>(h + kWalReservedOffset) != 0) {
    Stop(scan, bytes, 0, false, "segment header: reserved field is not 0");
    return false;
  }
  const uint64_t first =
      LoadLittleEndian<uint64_t>(h + kWalFirstSequenceOffset);
  if (first == 0) {
    Stop(scan, bytes, 0, false, "segment header: first sequence is 0");
    return false;
  }
  scan.first_sequence = first;
  scan.valid_bytes = kWalSegmentHeaderSize;
  return true;
}

}  // namespace

bool IsKnownWalRecordType(uint8_t type) {
  return type == static_cast<uint8_t>(WalRecordType::kPut) ||
         type == static_cast<uint8_t>(WalRecordType::kDelete);
}

std::string WalSegmentName(uint64_t first_sequence) {
  char name[32];
  std::snprintf(name, sizeof(name), "wal-%020llu.log",
                static_cast<unsigned long long>(first_sequence));
  return name;
}

std::optional<uint64_t> ParseWalSegmentName(std::string_view name) {
  constexpr std::string_view kPrefix = "wal-";
  constexpr std::string_view kSuffix = ".log";
  constexpr size_t kDigits = 20;
  if (name.size() != kPrefix.size() + kDigits + kSuffix.size() ||
      !name.starts_with(kPrefix) || !name.ends_with(kSuffix)) {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (const char c : name.substr(kPrefix.size(), kDigits)) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;  // overflow
    value = value * 10 + digit;
  }
  if (value == 0) return std::nullopt;
  return value;
}

void AppendWalSegmentHeader(std::string& out, uint64_t first_sequence) {
  const size_t start = out.size();
  AppendLittleEndian<uint32_t>(out, kWalMagic);
  AppendLittleEndian<uint16_t>(out, kWalFormatVersion);
  AppendLittleEndian<uint16_t>(out, 0);
  AppendLittleEndian<uint64_t>(out, first_sequence);
  AppendLittleEndian<uint64_t>(
      out, Checksum(Bytes(out, start), kWalHeaderChecksumOffset));
}

void AppendWalRecord(std::string& out, uint64_t sequence, WalRecordType type,
                     std::string_view payload) {
  const size_t start = out.size();
  out.reserve(start + WalRecordSize(payload.size()));
  AppendLittleEndian<uint32_t>(out, static_cast<uint32_t>(payload.size()));
  AppendLittleEndian<uint64_t>(out, sequence);
  AppendLittleEndian<uint8_t>(out, static_cast<uint8_t>(type));
  AppendLittleEndian<uint32_t>(out, HeaderCheck(Bytes(out, start)));
  out.append(payload);
  AppendLittleEndian<uint64_t>(out,
                               Checksum(Bytes(out, start), out.size() - start));
}

absl::StatusOr<WalScan> ScanWalSegment(
    std::span<const uint8_t> bytes,
    absl::FunctionRef<absl::Status(const WalRecord&)> on_record) {
  WalScan scan;
  if (!ScanHeader(bytes, scan)) return scan;
  uint64_t expected = scan.first_sequence;
  uint64_t pos = kWalSegmentHeaderSize;
  while (pos < bytes.size()) {
    const uint64_t rest = bytes.size() - pos;
    const uint8_t* r = bytes.data() + pos;
    if (rest < kWalRecordHeaderSize) {
      Stop(scan, bytes, pos, /*torn=*/true,
           absl::StrCat("record header truncated (", rest, " of ",
                        kWalRecordHeaderSize, " bytes)"));
      return scan;
    }
    if (LoadLittleEndian<uint32_t>(r + kWalHeaderCheckOffset) !=
        HeaderCheck(r)) {
      Stop(scan, bytes, pos, false, "record header checksum mismatch");
      return scan;
    }
    // The header is intact: its fields are what the writer wrote (or a
    // writer of another version, or garbage that passed a 32-bit check).
    const uint32_t length = LoadLittleEndian<uint32_t>(r + kWalLengthOffset);
    const uint64_t sequence =
        LoadLittleEndian<uint64_t>(r + kWalSequenceOffset);
    const uint8_t type = r[kWalTypeOffset];
    if (length > kWalMaxPayloadBytes) {
      Stop(scan, bytes, pos, false,
           absl::StrCat("record ", sequence, ": bad length ", length,
                        " (at most ", kWalMaxPayloadBytes, ")"));
      return scan;
    }
    if (!IsKnownWalRecordType(type)) {
      Stop(scan, bytes, pos, false,
           absl::StrCat("record ", sequence, ": unknown type ",
                        static_cast<unsigned>(type)));
      return scan;
    }
    if (sequence != expected) {
      Stop(scan, bytes, pos, false,
           absl::StrCat("record ", sequence, ": sequence out of order (",
                        expected, " expected)"));
      return scan;
    }
    const uint64_t size = WalRecordSize(length);
    if (rest < size) {
      Stop(scan, bytes, pos, /*torn=*/true,
           absl::StrCat("record ", sequence, ": truncated (", rest, " of ",
                        size, " bytes)"));
      return scan;
    }
    const uint64_t checked = kWalRecordHeaderSize + length;
    if (LoadLittleEndian<uint64_t>(r + checked) != Checksum(r, checked)) {
      // Complete but wrong: torn only if it is the very last thing.
      Stop(scan, bytes, pos, /*torn=*/rest == size,
           absl::StrCat("record ", sequence, ": checksum mismatch"));
      return scan;
    }
    const WalRecord record{sequence, static_cast<WalRecordType>(type),
                           bytes.subspan(pos + kWalRecordHeaderSize, length),
                           pos};
    if (absl::Status s = on_record(record); !s.ok()) return s;
    ++scan.records;
    scan.last_sequence = sequence;
    ++expected;
    pos += size;
    scan.valid_bytes = pos;
  }
  scan.end = WalScan::End::kClean;
  return scan;
}

}  // namespace contactd::snapshot
