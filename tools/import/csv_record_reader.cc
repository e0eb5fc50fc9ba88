#include "tools/import/csv_record_reader.h"

#include <new>
#include <utility>

#include "absl/strings/str_cat.h"

namespace contactd::tools {
namespace {

// Strict: malformed quoting is an error. Strict fini: so is an input that
// ends inside a quoted field.
constexpr unsigned char kOptions = CSV_STRICT | CSV_STRICT_FINI;

// Whether libcsv skips `line` between records (spaces, tabs, line ends).
bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

}  // namespace

CsvRecordReader::CsvRecordReader(std::istream& in, size_t max_record_bytes)
    : lines_(in, max_record_bytes), max_record_bytes_(max_record_bytes) {
  csv_init(&parser_, kOptions);  // fails only for a null parser
  // Grow the field buffer in 4 KiB steps rather than 128 bytes.
  csv_set_blk_size(&parser_, 4096);
}

CsvRecordReader::~CsvRecordReader() { csv_free(&parser_); }

void CsvRecordReader::OnField(void* bytes, size_t size, void* self) {
  auto* reader = static_cast<CsvRecordReader*>(self);
  // A record that starts after a bare '\r' in the middle of a line.
  if (reader->pending_start_ == 0) reader->pending_start_ = reader->line_;
  reader->pending_fields_.emplace_back(static_cast<const char*>(bytes), size);
}

void CsvRecordReader::OnRecordEnd(int, void* self) {
  auto* reader = static_cast<CsvRecordReader*>(self);
  reader->ready_.push_back(CsvRecord{reader->pending_start_,
                                     std::move(reader->pending_fields_),
                                     absl::OkStatus()});
  reader->pending_fields_.clear();
  reader->pending_start_ = 0;
  reader->pending_bytes_ = 0;
}

void CsvRecordReader::ResetParser() {
  csv_free(&parser_);
  csv_init(&parser_, kOptions);
  csv_set_blk_size(&parser_, 4096);
  pending_fields_.clear();
  pending_start_ = 0;
  pending_bytes_ = 0;
}

void CsvRecordReader::RejectPending(absl::Status error) {
  ready_.push_back(CsvRecord{
      pending_start_ != 0 ? pending_start_ : line_, {}, std::move(error)});
  ResetParser();
}

absl::Status CsvRecordReader::FeedLine(std::string_view line) {
  // A record starts on this line unless one is already under way (a quoted
  // field spanning lines) or libcsv skips the line as blank.
  if (pending_start_ == 0 && !IsBlank(line)) pending_start_ = line_;
  const size_t parsed = csv_parse(&parser_, line.data(), line.size(), &OnField,
                                  &OnRecordEnd, this);
  if (parsed < line.size()) {
    const int error = csv_error(&parser_);
    if (error != CSV_EPARSE) {  // CSV_ENOMEM, CSV_ETOOBIG
      return absl::ResourceExhaustedError(
          absl::StrCat("line ", line_, ": CSV parser: ", csv_strerror(error)));
    }
    // OnRecordEnd may have queued records earlier on this line (after a bare
    // '\r'); the bad one is the one under way.
    RejectPending(absl::InvalidArgumentError(absl::StrCat(
        "malformed CSV quoting at line ", line_, ", column ", parsed + 1,
        ": a '\"' inside an unquoted field, or text after a closing quote "
        "(quote the whole field and double the quotes inside it)")));
    return absl::OkStatus();
  }
  if (pending_start_ != 0) {
    pending_bytes_ += line.size();
    if (pending_bytes_ > max_record_bytes_) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", pending_start_, ": a CSV record longer than ",
                       max_record_bytes_,
                       " bytes starts here (is a quoted field not closed?)"));
    }
  }
  return absl::OkStatus();
}

void CsvRecordReader::Finish() {
  done_ = true;
  if (csv_fini(&parser_, &OnField, &OnRecordEnd, this) != 0) {
    RejectPending(absl::InvalidArgumentError(
        "the input ends inside a quoted field of the record starting here (a "
        "'\"' is not closed)"));
    return;
  }
  ResetParser();
}

absl::StatusOr<bool> CsvRecordReader::Next(CsvRecord& record) {
  while (ready_.empty() && !done_) {
    std::string_view line;
    absl::StatusOr<bool> more = lines_.Next(line);
    if (!more.ok()) return more.status();
    if (!*more) {
      Finish();
      break;
    }
    line_ = lines_.line_number();
    if (absl::Status s = FeedLine(line); !s.ok()) return s;
  }
  if (ready_.empty()) return false;
  record = std::move(ready_.front());
  ready_.pop_front();
  return true;
}

}  // namespace contactd::tools
