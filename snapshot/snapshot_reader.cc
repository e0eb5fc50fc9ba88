#include "snapshot/snapshot_reader.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "protocol/wire_reader.h"
#include "snapshot/contact_payload.h"
#include "snapshot/mapped_file.h"

namespace contactd::snapshot {
namespace {

using index::ToAbsl;

// More threads than this only add overhead (and a hostile `threads` value
// must not start thousands).
constexpr int kMaxThreads = 64;

absl::Status Damaged(std::string_view name, size_t offset,
                     absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat(ToAbsl(name), ": offset ", offset, ": ", what));
}

// A block found by the walk: where it starts, its header, and the index of
// its first contact in the result.
struct BlockRef {
  size_t offset = 0;
  BlockHeader header;
  size_t first_record = 0;
};

// What the sequential walk over the block headers found.
struct Layout {
  std::vector<BlockRef> blocks;
  size_t contacts = 0;  // in `blocks`
  // The first problem after the last good block header: where, and what.
  // Not set when the blocks end in a footer whose counts agree with them,
  // with the header's count, and with the file's end.
  std::optional<std::pair<size_t, std::string>> damage;
  std::optional<SnapshotFooter> footer;
};

// Walks the block headers from the end of the header to the footer: cheap
// (one read per block; contacts are not touched), and every length is
// checked against the bytes that remain before the walk moves past it.
Layout Walk(std::span<const uint8_t> bytes, const SnapshotHeader& header) {
  Layout layout;
  size_t pos = kHeaderSize;
  for (;;) {
    const std::span<const uint8_t> rest = bytes.subspan(pos);
    const size_t number = layout.blocks.size();
    if (rest.size() < kBlockMagic.size()) {
      layout.damage.emplace(
          pos, rest.empty() ? absl::StrCat("truncated: the file ends after ",
                                           number, " blocks, without a footer")
                            : absl::StrCat("truncated: ", rest.size(),
                                           " bytes where block ", number,
                                           " or the footer should start"));
      return layout;
    }
    if (StartsFooter(rest)) {
      auto footer = DecodeSnapshotFooter(rest);
      if (!footer.ok()) {
        layout.damage.emplace(pos, std::string(footer.status().message()));
        return layout;
      }
      layout.footer = *footer;
      break;
    }
    auto block = DecodeBlockHeader(rest);
    if (!block.ok()) {
      layout.damage.emplace(
          pos, absl::StrCat("block ", number, ": ", block.status().message()));
      return layout;
    }
    layout.blocks.push_back({pos, *block, layout.contacts});
    layout.contacts += block->contact_count;
    pos += block->total_bytes();
  }
  // The footer at `pos` is intact: check it against the rest of the file.
  const SnapshotFooter& footer = *layout.footer;
  if (const size_t after = bytes.size() - pos - kFooterSize; after != 0) {
    layout.damage.emplace(pos + kFooterSize,
                          absl::StrCat(after, " bytes after the footer"));
  } else if (footer.block_count != layout.blocks.size()) {
    layout.damage.emplace(
        pos,
        absl::StrCat("footer: block count ", footer.block_count,
                     ", but the file holds ", layout.blocks.size(), " blocks"));
  } else if (footer.contact_count != layout.contacts) {
    layout.damage.emplace(
        pos, absl::StrCat("footer: contact count ", footer.contact_count,
                          ", but the blocks hold ", layout.contacts));
  } else if (header.contact_count != layout.contacts) {
    layout.damage.emplace(
        0, absl::StrCat("header: contact count ", header.contact_count,
                        ", but the blocks hold ", layout.contacts));
  }
  return layout;
}

// Verifies and decodes the walked blocks on several threads. Blocks are
// claimed in file order; each block's contacts go to its own range of
// `records` (presized), so the threads share nothing but the claim counter
// and the first failure.
class BlockDecoder {
 public:
  BlockDecoder(std::span<const uint8_t> bytes, std::string_view name,
               const std::vector<BlockRef>& blocks,
               std::vector<index::ContactRecord::Ptr>& records,
               bool decode_contacts)
      : bytes_(bytes),
        name_(name),
        blocks_(blocks),
        records_(records),
        decode_contacts_(decode_contacts),
        first_bad_(blocks.size()) {}

  void Run(int threads) {
    std::vector<std::thread> helpers;
    helpers.reserve(static_cast<size_t>(threads - 1));
    for (int i = 1; i < threads; ++i) helpers.emplace_back([this] { Work(); });
    Work();  // the caller's thread is one of them
    for (std::thread& t : helpers) t.join();
  }

  // The number of the first damaged block (blocks.size() when none) and
  // its error. Read after Run.
  size_t first_bad() const { return first_bad_.load(); }
  const absl::Status& error() const { return error_; }

 private:
  void Work() {
    for (;;) {
      const size_t i = next_.fetch_add(1, std::memory_order_relaxed);
      // Blocks after a damaged one are not needed: with salvage only those
      // before it are kept, and without it the load fails.
      if (i >= blocks_.size() ||
          i > first_bad_.load(std::memory_order_relaxed)) {
        return;
      }
      absl::Status s = DecodeBlock(i);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        if (i < first_bad_.load(std::memory_order_relaxed)) {
          first_bad_.store(i, std::memory_order_relaxed);
          error_ = std::move(s);
        }
      }
    }
  }

  absl::Status DecodeBlock(size_t number) {
    const BlockRef& block = blocks_[number];
    const std::span<const uint8_t> bytes = bytes_.subspan(block.offset);
    if (!VerifyBlockChecksum(bytes, block.header, number)) {
      return Damaged(name_, block.offset,
                     absl::StrCat("block ", number, ": checksum mismatch"));
    }
    if (!decode_contacts_) return absl::OkStatus();
    const size_t contacts_offset = block.offset + kBlockHeaderSize;
    protocol::WireReader r(BlockContacts(bytes, block.header),
                           "stored contact");
    index::ContactRecord::Ptr* out = records_.data() + block.first_record;
    for (uint32_t c = 0; c < block.header.contact_count; ++c) {
      const size_t at = contacts_offset + r.position();
      auto record = DecodeStoredContact(r);
      if (!record.ok()) {
        return Damaged(name_, at,
                       absl::StrCat("block ", number, ": contact ", c, " of ",
                                    block.header.contact_count, ": ",
                                    record.status().message()));
      }
      out[c] = *std::move(record);
    }
    if (r.remaining() != 0) {
      return Damaged(
          name_, contacts_offset + r.position(),
          absl::StrCat("block ", number, ": ", r.remaining(),
                       " bytes follow its ", block.header.contact_count,
                       " contacts (contact count too low)"));
    }
    return absl::OkStatus();
  }

  const std::span<const uint8_t> bytes_;
  const std::string_view name_;
  const std::vector<BlockRef>& blocks_;
  std::vector<index::ContactRecord::Ptr>& records_;
  const bool decode_contacts_;

  std::atomic<size_t> next_{0};
  std::atomic<size_t> first_bad_;  // written under mu_
  std::mutex mu_;
  absl::Status error_;  // of block first_bad_; guarded by mu_
};

}  // namespace

absl::StatusOr<LoadedSnapshot> DecodeSnapshot(
    std::span<const uint8_t> bytes, std::string_view name,
    const SnapshotLoadOptions& options) {
  auto header = DecodeSnapshotHeader(bytes);
  if (!header.ok()) return Damaged(name, 0, header.status().message());

  const Layout layout = Walk(bytes, *header);
  // Without salvage a damaged file fails whatever its blocks hold: only the
  // checksums are verified, to report damage earlier in the file first (a
  // bad length sends the walk astray; the block's checksum names it).
  const bool decode_contacts = options.salvage || !layout.damage.has_value();
  // Presized from the walk, not the header: each block's count was checked
  // against its length, so this is bounded by the input's size.
  LoadedSnapshot loaded;
  if (decode_contacts) loaded.records.resize(layout.contacts);
  BlockDecoder decoder(bytes, name, layout.blocks, loaded.records,
                       decode_contacts);
  const int threads = std::clamp(
      std::min(options.threads, static_cast<int>(std::min<size_t>(
                                    layout.blocks.size(), kMaxThreads))),
      1, kMaxThreads);
  decoder.Run(threads);

  // The first damage in file order: a block that failed, else what the
  // walk found.
  absl::Status damage;
  size_t good_blocks = layout.blocks.size();
  if (decoder.first_bad() < layout.blocks.size()) {
    good_blocks = decoder.first_bad();
    damage = decoder.error();
  } else if (layout.damage.has_value()) {
    damage = Damaged(name, layout.damage->first, layout.damage->second);
  }

  loaded.info.last_sequence = header->last_sequence;
  loaded.info.created = header->created;
  loaded.info.bytes = bytes.size();
  if (!damage.ok()) {
    if (!options.salvage) return damage;
    const size_t kept = good_blocks < layout.blocks.size()
                            ? layout.blocks[good_blocks].first_record
                            : layout.contacts;
    loaded.records.resize(kept);
    loaded.salvaged = absl::StrCat(
        damage.message(), "; salvage kept ", good_blocks, " blocks (", kept,
        " contacts) and dropped the rest; the header counts ",
        header->contact_count, " contacts");
    if (layout.footer.has_value()) {
      absl::StrAppend(&loaded.salvaged, ", the footer ",
                      layout.footer->block_count, " blocks");
    }
  }
  loaded.info.contact_count = loaded.records.size();
  return loaded;
}

absl::StatusOr<LoadedSnapshot> LoadSnapshot(
    const std::string& path, const SnapshotLoadOptions& options) {
  auto file = MappedFile::Open(path);
  if (!file.ok()) return file.status();
  return DecodeSnapshot(file->bytes(), path, options);
}

absl::StatusOr<SnapshotInfo> ReadSnapshotInfo(const std::string& path) {
  auto file = MappedFile::Open(path);
  if (!file.ok()) return file.status();
  auto header = DecodeSnapshotHeader(file->bytes());
  if (!header.ok()) return Damaged(path, 0, header.status().message());
  SnapshotInfo info;
  info.last_sequence = header->last_sequence;
  info.contact_count = header->contact_count;
  info.bytes = file->bytes().size();
  info.created = header->created;
  return info;
}

}  // namespace contactd::snapshot
