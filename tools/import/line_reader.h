#pragma once
// LineReader: the physical lines of an input stream, one at a time, with
// their line numbers, for the import readers (CSV and JSON Lines both report
// bad rows by line).
//
//   LineReader lines(in);
//   std::string_view line;
//   while (true) {
//     absl::StatusOr<bool> more = lines.Next(line);
//     if (!more.ok()) return more.status();  // too long, or an I/O error
//     if (!*more) break;                      // end of input
//     Use(lines.line_number(), line);         // "a,b\n" (the '\n' kept)
//   }
//
// A line keeps its terminating '\n' (the last line may have none), so a
// caller that needs the exact bytes (the CSV parser: a quoted field may
// span lines) gets them. A UTF-8 byte order mark at the start of the input
// (spreadsheet exports write one) is dropped.
//
// Memory is bounded: a line longer than `max_line_bytes` is an error
// (InvalidArgument naming its line), never an unbounded buffer.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace contactd::tools {

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLineBytes = size_t{1} << 20;  // 1 MiB

  // `in` must outlive the reader.
  explicit LineReader(std::istream& in,
                      size_t max_line_bytes = kDefaultMaxLineBytes)
      : in_(in), max_line_bytes_(max_line_bytes) {}

  // Sets `line` to the next line (valid until the next call) and returns
  // true; false at the end of the input. Errors: a line longer than the
  // maximum, a read error.
  absl::StatusOr<bool> Next(std::string_view& line);

  // The number of the line last returned (1-based; 0 before the first).
  int64_t line_number() const { return line_number_; }
  // Bytes of input consumed by the lines returned so far (BOM included).
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  // Appends up to one chunk from `in_` to `buffer_`; false at the end.
  absl::StatusOr<bool> Fill();

  std::istream& in_;
  const size_t max_line_bytes_;
  std::string buffer_;
  size_t pos_ = 0;  // start of the next line in buffer_
  bool eof_ = false;
  int64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace contactd::tools
