#include "tools/import/csv_contact_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::tools {
namespace {

bool AllEmpty(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& cell) {
    return absl::StripAsciiWhitespace(cell).empty();
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<CsvContactReader>> CsvContactReader::Create(
    std::istream& in) {
  auto records = std::make_unique<CsvRecordReader>(in);
  CsvRecord header;
  absl::StatusOr<bool> found = records->Next(header);
  if (!found.ok()) return found.status();
  if (!*found) {
    return absl::InvalidArgumentError(
        "the input is empty: a CSV import starts with a header row "
        "(docs/import.md)");
  }
  if (!header.error.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", header.line, ": header: ", header.error.message()));
  }
  absl::StatusOr<CsvColumns> columns = CsvColumns::Parse(header.fields);
  if (!columns.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", header.line, ": ", columns.status().message()));
  }
  return std::unique_ptr<CsvContactReader>(
      new CsvContactReader(std::move(records), *std::move(columns)));
}

absl::StatusOr<bool> CsvContactReader::Next(ImportRow& row) {
  while (true) {
    absl::StatusOr<bool> more = records_->Next(record_);
    if (!more.ok() || !*more) return more;
    if (record_.error.ok() && AllEmpty(record_.fields)) continue;
    row.line = record_.line;
    if (!record_.error.ok()) {
      row.contact = record_.error;
      return true;
    }
    row.contact = columns_.ToContact(record_.fields);
    if (row.contact.ok()) {
      if (absl::Status s = FillTenant(*row.contact); !s.ok()) row.contact = s;
    }
    return true;
  }
}

}  // namespace contactd::tools
