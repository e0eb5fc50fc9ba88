#pragma once
// The byte format of the write-ahead log: segment names, the segment header,
// the record encoding, and ScanWalSegment, the pure (no I/O) checker that
// both replay and the fuzz target run. docs/wal_format.md is the
// specification, with a worked example and the recovery rules;
// wal_writer.h writes this format, wal_replay.h reads it.
//
// The log is a sequence of segment files in the data directory, named by
// the sequence number of their first record:
//
//   wal-00000000000000000001.log   records 1..4711
//   wal-00000000000000004712.log   records 4712..
//
// Grammar (every integer little-endian; see docs/wal_format.md):
//
//   segment = segment_header record*
//   segment_header (24 bytes)
//     0  magic:u32            "CDWL" (43 44 57 4c)
//     4  version:u16          1
//     6  reserved:u16         0
//     8  first_sequence:u64   sequence of the segment's first record (>= 1)
//    16  checksum:u64         XXH3-64 of bytes 0..15
//   record (25 + length bytes)
//     0  length:u32           payload bytes, <= kWalMaxPayloadBytes
//     4  sequence:u64         previous record's + 1 (the first: first_sequence)
//    12  type:u8              WalRecordType
//    13  header_check:u32     low 32 bits of XXH3-64 of bytes 0..12
//    17  payload:u8{length}
//    17+length checksum:u64   XXH3-64 of bytes 0..16+length (all of the above)
//
// header_check lets a reader trust `length` before it trusts the payload: a
// damaged length in the middle of the last segment is then reported as
// damage, not mistaken for a torn (incomplete) last record.
//
//   std::string bytes;
//   AppendWalSegmentHeader(bytes, 1);
//   AppendWalRecord(bytes, 1, WalRecordType::kPut, payload);
//   ASSIGN_OR_RETURN(WalScan scan, ScanWalSegment(Span(bytes), on_record));

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace contactd::snapshot {

// NOTE: persisted in every WAL record. Do not change; append new values. A
// retired value stays here as a comment and is never reused.
enum class WalRecordType : uint8_t {
  kPut = 1,     // payload: a stored contact (contact_payload.h)
  kDelete = 2,  // payload: a DeletedContact
};
// Whether `type` is a value of WalRecordType this build knows.
bool IsKnownWalRecordType(uint8_t type);

struct WalRecord {
  uint64_t sequence = 0;
  WalRecordType type = WalRecordType::kPut;
  // Points into the scanned bytes: valid only during the callback.
  std::span<const uint8_t> payload;
  // Byte offset of the record in its segment (for error messages).
  uint64_t offset = 0;
};

// "wal-00000000000000004712.log" (20 digits: names sort by sequence).
std::string WalSegmentName(uint64_t first_sequence);
// The first sequence of a segment file name; nullopt for other names
// (including a first sequence of 0, which no segment has).
std::optional<uint64_t> ParseWalSegmentName(std::string_view name);

// --- Segment header. Do not change: persisted.
inline constexpr uint32_t kWalMagic = 0x4c574443;  // bytes "CDWL"
inline constexpr uint16_t kWalFormatVersion = 1;
inline constexpr size_t kWalMagicOffset = 0;
inline constexpr size_t kWalVersionOffset = 4;
inline constexpr size_t kWalReservedOffset = 6;
inline constexpr size_t kWalFirstSequenceOffset = 8;
inline constexpr size_t kWalHeaderChecksumOffset = 16;
inline constexpr size_t kWalSegmentHeaderSize = 24;
static_assert(kWalHeaderChecksumOffset + 8 == kWalSegmentHeaderSize);

// --- Record. Do not change: persisted.
inline constexpr size_t kWalLengthOffset = 0;
inline constexpr size_t kWalSequenceOffset = 4;
inline constexpr size_t kWalTypeOffset = 12;
inline constexpr size_t kWalHeaderCheckOffset = 13;
inline constexpr size_t kWalRecordHeaderSize = 17;  // the payload starts here
inline constexpr size_t kWalRecordTrailerSize = 8;  // the checksum
inline constexpr size_t kWalRecordOverhead =
    kWalRecordHeaderSize + kWalRecordTrailerSize;
static_assert(kWalHeaderCheckOffset + 4 == kWalRecordHeaderSize);
static_assert(kWalRecordOverhead == 25);
// The largest payload a reader accepts (a length above it is damage). Do
// not lower it: persisted records may be that large.
inline constexpr uint32_t kWalMaxPayloadBytes = 16u << 20;

// Appends a segment header for `first_sequence` (>= 1) to `out`.
void AppendWalSegmentHeader(std::string& out, uint64_t first_sequence);
// Appends one record to `out`.
// REQUIRES: payload.size() <= kWalMaxPayloadBytes.
void AppendWalRecord(std::string& out, uint64_t sequence, WalRecordType type,
                     std::string_view payload);
// The bytes AppendWalRecord appends for a payload of `payload_bytes`.
constexpr uint64_t WalRecordSize(uint64_t payload_bytes) {
  return kWalRecordOverhead + payload_bytes;
}

// What a scan of one segment's bytes found (pure: no I/O, fuzzed).
struct WalScan {
  enum class End {
    kClean,    // the bytes end exactly after a record (or the header)
    kTorn,     // the last record is incomplete, or the tail is all zeros
    kCorrupt,  // a bad header, checksum or sequence before the end
  };
  End end = End::kClean;
  // Bytes up to the end of the last good record; the header's size when
  // there is none; 0 when the header itself is torn or bad.
  uint64_t valid_bytes = 0;
  uint64_t first_sequence = 0;  // from the segment header; 0 when bad/torn
  uint64_t last_sequence = 0;   // of the last good record; 0 when none
  uint64_t records = 0;
  // For kTorn/kCorrupt: "offset 1234: record 57: checksum mismatch". The
  // offset is always valid_bytes: where the problem starts.
  std::string problem;
};

// Checks the segment header and each record in order, calling on_record for
// each good one; stops at the first problem or when on_record fails (its
// status is returned). A sequence that is not one more than the previous
// record's (or, for the first record, the header's first_sequence) is
// corruption.
//
// Torn (End::kTorn), what an interrupted append leaves at the end:
//  - fewer bytes than a segment header or a record header;
//  - a record whose length runs past the end of the bytes (its header
//    check passed, so the length is trustworthy);
//  - a complete record with a bad checksum that ends exactly at the end of
//    the bytes (its size reached the disk, some of its data did not);
//  - from some offset on, nothing but zero bytes (including a header of
//    zeros).
// Everything else that is wrong is End::kCorrupt. Whether a torn end is
// harmless depends on the segment being the last one: the caller decides.
absl::StatusOr<WalScan> ScanWalSegment(
    std::span<const uint8_t> bytes,
    absl::FunctionRef<absl::Status(const WalRecord&)> on_record);

}  // namespace contactd::snapshot
