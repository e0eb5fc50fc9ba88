#pragma once
// CsvContactReader: contacts from a CSV file with a header row
// (csv_columns.h says what the columns mean, csv_record_reader.h how the
// file is parsed; docs/import.md for users).
//
//   std::istringstream in("customer_id,first_name,phone1\n"
//                         "0b7e...,Ada,+15551234567\n");
//   ASSIGN_OR_RETURN(auto reader, CsvContactReader::Create(in));
//   ImportRow row;
//   while (*reader->Next(row)) ...   // row.line == 2
//
// Create reads the header: an empty input, a malformed header or an unknown
// column is an error there (InvalidArgument, "line 1: header: ..."). Rows
// whose cells are all empty (spreadsheets export them) are skipped, like
// blank lines.

#include <istream>
#include <memory>

#include "absl/status/statusor.h"
#include "tools/import/contact_reader.h"
#include "tools/import/csv_columns.h"
#include "tools/import/csv_record_reader.h"

namespace contactd::tools {

class CsvContactReader : public ContactReader {
 public:
  // `in` must outlive the reader.
  static absl::StatusOr<std::unique_ptr<CsvContactReader>> Create(
      std::istream& in);

  absl::StatusOr<bool> Next(ImportRow& row) override;
  uint64_t bytes_read() const override { return records_->bytes_read(); }
  bool rows_may_name_tenant() const override {
    return columns_.has(CsvColumns::kCustomerId);
  }

  const CsvColumns& columns() const { return columns_; }

 private:
  CsvContactReader(std::unique_ptr<CsvRecordReader> records, CsvColumns columns)
      : records_(std::move(records)), columns_(std::move(columns)) {}

  std::unique_ptr<CsvRecordReader> records_;
  CsvColumns columns_;
  CsvRecord record_;  // reused: its vectors keep their capacity
};

}  // namespace contactd::tools
