#include "tools/import/line_reader.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace contactd::tools {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

absl::StatusOr<bool> LineReader::Fill() {
  if (eof_) return false;
  // Drop the lines already returned before growing the buffer.
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  const size_t old_size = buffer_.size();
  buffer_.resize(old_size + kChunkBytes);
  in_.read(buffer_.data() + old_size, kChunkBytes);
  const size_t got = static_cast<size_t>(in_.gcount());
  buffer_.resize(old_size + got);
  if (in_.bad()) {
    return absl::UnavailableError(absl::StrCat(
        "read error after line ", line_number_, ": ", std::strerror(errno)));
  }
  if (in_.eof()) eof_ = true;
  return got > 0;
}

absl::StatusOr<bool> LineReader::Next(std::string_view& line) {
  size_t scanned = pos_;  // no '\n' in [pos_, scanned)
  while (true) {
    const size_t newline = buffer_.find('\n', scanned);
    if (newline != std::string::npos) {
      line = std::string_view(buffer_).substr(pos_, newline + 1 - pos_);
      break;
    }
    if (buffer_.size() - pos_ > max_line_bytes_) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number_ + 1, ": longer than ",
                       max_line_bytes_, " bytes"));
    }
    scanned = buffer_.size() - pos_;  // offsets move when Fill compacts
    absl::StatusOr<bool> more = Fill();
    if (!more.ok()) return more.status();
    scanned += pos_;
    if (!*more) {
      if (pos_ == buffer_.size()) return false;       // end, no partial line
      line = std::string_view(buffer_).substr(pos_);  // last line, no '\n'
      break;
    }
  }
  if (line.size() > max_line_bytes_) {
    return absl::InvalidArgumentError(absl::StrCat("line ", line_number_ + 1,
                                                   ": longer than ",
                                                   max_line_bytes_, " bytes"));
  }
  pos_ += line.size();
  bytes_read_ += line.size();
  ++line_number_;
  if (line_number_ == 1 && line.starts_with(kUtf8Bom)) {
    line.remove_prefix(kUtf8Bom.size());
  }
  return true;
}

}  // namespace contactd::tools
