#include "snapshot/snapshot_format.h"

#include <xxhash.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "protocol/contact_codec.h"
#include "protocol/little_endian.h"
#include "protocol/wire_writer.h"

namespace contactd::snapshot {
namespace {

using protocol::LoadLittleEndian;
using protocol::StoreLittleEndian;

static_assert(kMinStoredContactBytes == protocol::kMinContactBytes);

constexpr std::string_view kNamePrefix = "snapshot-";
constexpr std::string_view kNameSuffix = ".snap";
constexpr size_t kNameDigits = 20;

#ifdef CONTACTD_FUZZING
constexpr bool kVerifyChecksums = false;
#else
constexpr bool kVerifyChecksums = true;
#endif

bool HasMagic(std::span<const uint8_t> bytes, std::string_view magic) {
  return bytes.size() >= magic.size() &&
         std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

uint64_t Checksum(std::span<const uint8_t> bytes, uint64_t seed) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool AllZero(std::span<const uint8_t> bytes) {
  for (const uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace

std::string SnapshotFileName(uint64_t last_sequence) {
  const std::string digits = std::to_string(last_sequence);
  std::string name(kNamePrefix);
  name.append(kNameDigits - digits.size(), '0');
  name += digits;
  name += kNameSuffix;
  return name;
}

std::optional<uint64_t> ParseSnapshotFileName(std::string_view name) {
  if (name.size() != kNamePrefix.size() + kNameDigits + kNameSuffix.size() ||
      !name.starts_with(kNamePrefix) || !name.ends_with(kNameSuffix)) {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (const char c : name.substr(kNamePrefix.size(), kNameDigits)) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;  // overflow
    value = value * 10 + digit;
  }
  return value;
}

// header = magic:"CDSNAPHD" version:u32 flags:u32 contact_count:u64
//          last_sequence:u64 created:i64 reserved:u64{2} checksum:u64
std::string EncodeSnapshotHeader(const SnapshotHeader& header) {
  std::string out(kHeaderMagic);
  protocol::PutU32(out, kFormatVersion);
  protocol::PutU32(out, 0);  // flags
  protocol::PutU64(out, header.contact_count);
  protocol::PutU64(out, header.last_sequence);
  protocol::PutI64(out, absl::ToUnixMicros(header.created));
  protocol::PutU64(out, 0);  // reserved
  protocol::PutU64(out, 0);
  protocol::PutU64(out, Checksum(AsBytes(out), 0));
  return out;
}

absl::StatusOr<SnapshotHeader> DecodeSnapshotHeader(
    std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) {
    return absl::DataLossError(absl::StrCat("header: truncated (", bytes.size(),
                                            " bytes; the header takes ",
                                            kHeaderSize, ")"));
  }
  const uint8_t* p = bytes.data();
  if (!HasMagic(bytes, kHeaderMagic)) {
    return absl::DataLossError("header: bad magic (not a snapshot file)");
  }
  const auto version = LoadLittleEndian<uint32_t>(p + 8);
  if (version != kFormatVersion) {
    return absl::DataLossError(
        absl::StrCat("header: unsupported format version ", version,
                     " (this build reads ", kFormatVersion, ")"));
  }
  const uint64_t stored = LoadLittleEndian<uint64_t>(p + kHeaderChecksumOffset);
  if (kVerifyChecksums &&
      stored != Checksum(bytes.first(kHeaderChecksumOffset), 0)) {
    return absl::DataLossError("header: checksum mismatch");
  }
  if (!AllZero(bytes.subspan(12, 4)) || !AllZero(bytes.subspan(40, 16))) {
    return absl::DataLossError("header: flags or reserved bytes are not zero");
  }
  SnapshotHeader header;
  header.contact_count = LoadLittleEndian<uint64_t>(p + 16);
  header.last_sequence = LoadLittleEndian<uint64_t>(p + 24);
  header.created = absl::FromUnixMicros(LoadLittleEndian<int64_t>(p + 32));
  return header;
}

// block = magic:"CDBK" length:u32 contact_count:u32 contact{contact_count}
//         checksum:u64
size_t BeginBlock(std::string& out) {
  const size_t start = out.size();
  out.append(kBlockMagic);
  out.append(kBlockHeaderSize - kBlockMagic.size(), '\0');
  return start;
}

void EndBlock(std::string& out, size_t start, uint32_t contact_count,
              uint64_t block_number) {
  auto* p = reinterpret_cast<uint8_t*>(out.data() + start);
  const size_t length = out.size() - start - kBlockHeaderSize;
  StoreLittleEndian<uint32_t>(p + 4, static_cast<uint32_t>(length));
  StoreLittleEndian<uint32_t>(p + 8, contact_count);
  const uint64_t checksum =
      BlockChecksum({p, kBlockHeaderSize + length}, block_number);
  protocol::PutU64(out, checksum);
}

absl::StatusOr<BlockHeader> DecodeBlockHeader(std::span<const uint8_t> bytes) {
  if (bytes.size() < kBlockHeaderSize) {
    return absl::DataLossError(absl::StrCat(
        "truncated block header (", bytes.size(),
        " bytes remain; a block header takes ", kBlockHeaderSize, ")"));
  }
  if (!HasMagic(bytes, kBlockMagic)) {
    return absl::DataLossError("bad block magic");
  }
  BlockHeader header;
  header.length = LoadLittleEndian<uint32_t>(bytes.data() + 4);
  header.contact_count = LoadLittleEndian<uint32_t>(bytes.data() + 8);
  if (header.length > kMaxBlockBytes) {
    return absl::DataLossError(absl::StrCat(
        "length ", header.length, " exceeds the maximum ", kMaxBlockBytes));
  }
  // Both sides fit easily in size_t (length <= kMaxBlockBytes).
  if (header.total_bytes() > bytes.size()) {
    return absl::DataLossError(absl::StrCat(
        "length ", header.length, " runs past the end of the file (",
        bytes.size(), " bytes remain for a block of ", header.total_bytes(),
        ")"));
  }
  if (header.contact_count == 0 ||
      header.contact_count > header.length / kMinStoredContactBytes) {
    return absl::DataLossError(
        absl::StrCat("contact count ", header.contact_count,
                     " does not fit a block of ", header.length, " bytes"));
  }
  return header;
}

uint64_t BlockChecksum(std::span<const uint8_t> block, uint64_t block_number) {
  return Checksum(block, block_number);
}

bool VerifyBlockChecksum(std::span<const uint8_t> bytes,
                         const BlockHeader& header, uint64_t block_number) {
  if (!kVerifyChecksums) return true;
  const size_t covered = kBlockHeaderSize + header.length;
  const auto stored = LoadLittleEndian<uint64_t>(bytes.data() + covered);
  return stored == BlockChecksum(bytes.first(covered), block_number);
}

// footer = magic:"CDFT" reserved:u32 block_count:u64 contact_count:u64
//          checksum:u64
std::string EncodeSnapshotFooter(const SnapshotFooter& footer) {
  std::string out(kFooterMagic);
  protocol::PutU32(out, 0);  // reserved
  protocol::PutU64(out, footer.block_count);
  protocol::PutU64(out, footer.contact_count);
  protocol::PutU64(out, Checksum(AsBytes(out), 0));
  return out;
}

absl::StatusOr<SnapshotFooter> DecodeSnapshotFooter(
    std::span<const uint8_t> bytes) {
  if (bytes.size() < kFooterSize) {
    return absl::DataLossError(absl::StrCat("footer: truncated (", bytes.size(),
                                            " bytes remain; the footer takes ",
                                            kFooterSize, ")"));
  }
  if (!HasMagic(bytes, kFooterMagic)) {
    return absl::DataLossError("footer: bad magic");
  }
  const uint8_t* p = bytes.data();
  const auto stored = LoadLittleEndian<uint64_t>(p + kFooterChecksumOffset);
  if (kVerifyChecksums &&
      stored != Checksum(bytes.first(kFooterChecksumOffset), 0)) {
    return absl::DataLossError("footer: checksum mismatch");
  }
  if (!AllZero(bytes.subspan(4, 4))) {
    return absl::DataLossError("footer: reserved bytes are not zero");
  }
  SnapshotFooter footer;
  footer.block_count = LoadLittleEndian<uint64_t>(p + 8);
  footer.contact_count = LoadLittleEndian<uint64_t>(p + 16);
  return footer;
}

bool StartsFooter(std::span<const uint8_t> bytes) {
  return HasMagic(bytes, kFooterMagic);
}

}  // namespace contactd::snapshot
