#pragma once
// CsvRecordReader: RFC 4180 records (the header and the rows of a CSV file)
// with the line each one starts on, parsed by libcsv (Debian's libcsv-dev)
// in strict mode.
//
//   CsvRecordReader records(in);
//   CsvRecord record;
//   while (true) {
//     absl::StatusOr<bool> more = records.Next(record);
//     if (!more.ok()) return more.status();  // fatal: stop reading
//     if (!*more) break;
//     if (!record.error.ok()) Reject(record.line, record.error);
//     else Use(record.line, record.fields);
//   }
//
// The grammar (RFC 4180, as libcsv reads it):
//   record = field *("," field) ("\n" | "\r\n" | "\r" | end of input)
//   field  = quoted | bare
//   quoted = *space '"' *(any byte but '"' | '""') '"' *space
//            (it may contain ",", "\r" and "\n": a record may span lines)
//   bare   = any bytes but '"', ",", "\r", "\n"
//            (leading and trailing spaces and tabs are dropped)
// Lines that hold only spaces, tabs and line ends are skipped.
//
// The input is fed to libcsv one physical line at a time, so every record
// knows the line where it starts, even when a quoted field spans lines.
//
// Errors:
//   - malformed quoting (a '"' inside a bare field, text after a closing
//     quote): that record is bad (`error` names the line and column); the
//     rest of the physical line is dropped and parsing resumes on the next
//     line;
//   - the input ends inside a quoted field: the record starting there is bad;
//   - fatal (Next fails): a record longer than `max_record_bytes` (an
//     unterminated quote would otherwise swallow the rest of the file into
//     memory), a line too long, a read error, out of memory.
//
// NOTE: a bare '\r' ends a record (libcsv treats CR, LF and CRLF alike) but
// not a line: a file with old Mac line ends is one line for the numbering.

#include <csv.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/import/line_reader.h"

namespace contactd::tools {

struct CsvRecord {
  int64_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
  absl::Status error;  // not OK: malformed record (fields incomplete)
};

class CsvRecordReader {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = size_t{1} << 20;  // 1 MiB

  // `in` must outlive the reader.
  explicit CsvRecordReader(std::istream& in,
                           size_t max_record_bytes = kDefaultMaxRecordBytes);
  ~CsvRecordReader();
  CsvRecordReader(const CsvRecordReader&) = delete;
  CsvRecordReader& operator=(const CsvRecordReader&) = delete;

  // The next record into `record`: true, or false at the end of the input.
  absl::StatusOr<bool> Next(CsvRecord& record);

  uint64_t bytes_read() const { return lines_.bytes_read(); }

 private:
  // libcsv callbacks: end of a field, end of a record.
  static void OnField(void* bytes, size_t size, void* self);
  static void OnRecordEnd(int terminator, void* self);

  // Feeds one physical line; queues the records it completes.
  absl::Status FeedLine(std::string_view line);
  // At the end of the input: completes or rejects the last record.
  void Finish();
  // Queues the record being built as bad, and resets the parser.
  void RejectPending(absl::Status error);
  void ResetParser();

  LineReader lines_;
  const size_t max_record_bytes_;
  csv_parser parser_;
  bool done_ = false;
  int64_t line_ = 0;           // the line being fed
  int64_t pending_start_ = 0;  // where the record being built starts; 0: none
  size_t pending_bytes_ = 0;   // its bytes so far
  std::vector<std::string> pending_fields_;
  std::deque<CsvRecord> ready_;
};

}  // namespace contactd::tools
