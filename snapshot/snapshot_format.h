#pragma once
// The byte format of snapshot files, shared by snapshot_writer.h and
// snapshot_reader.h: file names, the constants, and encoders/decoders of the
// header, a block and the footer. docs/snapshot_format.md is the
// specification (grammar, worked example, write protocol, loading).
//
//   snapshot = header block* footer                 every integer little-endian
//   header   = magic:"CDSNAPHD" version:u32 flags:u32 contact_count:u64
//              last_sequence:u64 created:i64 reserved:u64{2}
//              checksum:u64                         XXH3-64 of bytes [0, 56)
//   block    = magic:"CDBK" length:u32 contact_count:u32
//              contact{contact_count}               `length` bytes in all
//              checksum:u64                         XXH3-64, seed = block
//              number,
//                                                   of magic..last contact
//   footer   = magic:"CDFT" reserved:u32 block_count:u64 contact_count:u64
//              checksum:u64                         XXH3-64 of bytes [0, 24)
//
// `contact` is the stored contact encoding of contact_payload.h (the
// protocol's full contact, docs/protocol.md §4.6). Blocks are numbered from
// 0; seeding each block's checksum with its number makes a block that moved
// (duplicated, swapped, dropped) fail its checksum.
//
// The helpers here know one structure each and nothing about files: their
// errors (DATA_LOSS) say what is wrong ("bad magic", "checksum mismatch")
// and the reader prefixes the file name, the byte offset and the block.
//
// NOTE: built with CONTACTD_FUZZING (the fuzz target only), the decoders do
// not compare checksums, so that mutated inputs reach the decoders behind
// them. Never define it in a production build.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace contactd::snapshot {

// "snapshot-00000000000000004711.snap" (20 digits: names sort by sequence).
std::string SnapshotFileName(uint64_t last_sequence);
// The sequence of a snapshot file name; nullopt for other names (".tmp").
std::optional<uint64_t> ParseSnapshotFileName(std::string_view name);

struct SnapshotInfo {
  uint64_t last_sequence = 0;  // the last WAL record the snapshot holds
  uint64_t contact_count = 0;
  uint64_t bytes = 0;  // file size
  absl::Time created;
};

// --- Constants. Do not change: persisted in every snapshot file. ---------

// The first 8 bytes of a snapshot file. Do not change: persisted.
inline constexpr std::string_view kHeaderMagic = "CDSNAPHD";
// The format this code writes and the only one it reads. Do not change:
// persisted (a new layout gets a new version; version 1 stays readable).
inline constexpr uint32_t kFormatVersion = 1;
// Do not change: persisted.
inline constexpr size_t kHeaderSize = 64;
inline constexpr size_t kHeaderChecksumOffset = 56;

// The first 4 bytes of every block. Do not change: persisted.
inline constexpr std::string_view kBlockMagic = "CDBK";
// magic, length, contact_count. Do not change: persisted.
inline constexpr size_t kBlockHeaderSize = 12;
// The checksum after the contacts. Do not change: persisted.
inline constexpr size_t kBlockChecksumSize = 8;

// The first 4 bytes of the footer. Do not change: persisted.
inline constexpr std::string_view kFooterMagic = "CDFT";
// Do not change: persisted.
inline constexpr size_t kFooterSize = 32;
inline constexpr size_t kFooterChecksumOffset = 24;

static_assert(kHeaderMagic.size() == 8);
static_assert(kBlockMagic.size() == 4 && kFooterMagic.size() == 4);
static_assert(kHeaderChecksumOffset + 8 == kHeaderSize);
static_assert(kFooterChecksumOffset + 8 == kFooterSize);

// The writer closes a block once its contacts fill this many bytes (a block
// is at most this plus one contact). Not persisted: readers accept any
// block up to kMaxBlockBytes.
inline constexpr size_t kTargetBlockBytes = 1 << 20;
// The longest block `length` a reader accepts (corruption otherwise). Do
// not lower: files written with larger blocks would become unreadable.
inline constexpr size_t kMaxBlockBytes = 64 << 20;
// The smallest stored contact (protocol::kMinContactBytes): a block of
// `length` bytes holds at most length / kMinStoredContactBytes contacts.
inline constexpr size_t kMinStoredContactBytes = 69;

// --- Header --------------------------------------------------------------

struct SnapshotHeader {
  uint64_t contact_count = 0;
  uint64_t last_sequence = 0;
  absl::Time created = absl::UnixEpoch();  // stored in unix microseconds
};

// The kHeaderSize bytes of `header`, checksum included.
std::string EncodeSnapshotHeader(const SnapshotHeader& header);
// Checks magic, version, the zero flags/reserved fields and the checksum of
// the first kHeaderSize bytes of `bytes`. DATA_LOSS: "header: bad magic",
// "header: truncated (...)", "header: checksum mismatch", ...
absl::StatusOr<SnapshotHeader> DecodeSnapshotHeader(
    std::span<const uint8_t> bytes);

// --- Blocks --------------------------------------------------------------

// Appends a block header placeholder to `out` and returns the block's start
// offset in `out`; append the stored contacts, then call EndBlock.
//
//   const size_t start = BeginBlock(out);
//   for (...) EncodeStoredContact(out, record);
//   EndBlock(out, start, contact_count, block_number);
size_t BeginBlock(std::string& out);
// Fills in the header of the block that starts at `start` (its length is
// everything appended since BeginBlock) and appends its checksum.
// REQUIRES: out.size() - start - kBlockHeaderSize <= kMaxBlockBytes.
void EndBlock(std::string& out, size_t start, uint32_t contact_count,
              uint64_t block_number);

struct BlockHeader {
  uint32_t length = 0;         // bytes of contacts
  uint32_t contact_count = 0;  // >= 1, <= length / kMinStoredContactBytes
  // Header, contacts and checksum.
  size_t total_bytes() const {
    return kBlockHeaderSize + length + kBlockChecksumSize;
  }
};

// Reads the header of the block at the front of `bytes` (which run to the
// end of the file) and checks it against them: the magic, a length that
// fits in kMaxBlockBytes and in `bytes` (with the checksum), and a contact
// count that is not zero and fits in the length. The checksum is not
// checked (VerifyBlockChecksum). DATA_LOSS: "bad block magic", "length
// 1048600 runs past the end of the file (5000 bytes remain)", ...
absl::StatusOr<BlockHeader> DecodeBlockHeader(std::span<const uint8_t> bytes);
// The checksum of a block's header and contacts (`block` without the
// trailing checksum).
uint64_t BlockChecksum(std::span<const uint8_t> block, uint64_t block_number);
// Whether the stored checksum of the block at the front of `bytes`, whose
// header is `header` (as decoded from them), matches. Always true under
// CONTACTD_FUZZING.
bool VerifyBlockChecksum(std::span<const uint8_t> bytes,
                         const BlockHeader& header, uint64_t block_number);
// The contacts of that block.
inline std::span<const uint8_t> BlockContacts(std::span<const uint8_t> bytes,
                                              const BlockHeader& header) {
  return bytes.subspan(kBlockHeaderSize, header.length);
}

// --- Footer --------------------------------------------------------------

struct SnapshotFooter {
  uint64_t block_count = 0;
  uint64_t contact_count = 0;
};

// The kFooterSize bytes of `footer`, checksum included.
std::string EncodeSnapshotFooter(const SnapshotFooter& footer);
// Checks magic, the zero reserved field and the checksum of the first
// kFooterSize bytes of `bytes`. DATA_LOSS: "footer: ...".
absl::StatusOr<SnapshotFooter> DecodeSnapshotFooter(
    std::span<const uint8_t> bytes);

// Whether the bytes at the front of `bytes` start a footer (its magic)
// rather than a block. REQUIRES: bytes.size() >= 4.
bool StartsFooter(std::span<const uint8_t> bytes);

}  // namespace contactd::snapshot
