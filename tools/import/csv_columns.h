#pragma once
// CsvColumns: what the columns of an import CSV mean (from its header row),
// and the contact a data row describes. docs/import.md lists the columns.
//
//   ASSIGN_OR_RETURN(CsvColumns columns, CsvColumns::Parse(header_fields));
//   absl::StatusOr<index::Contact> c = columns.ToContact(row_fields);
//
// Header: column names are case-insensitive, in any order, each at most
// once. Fixed columns: customer_id, external_id, first_name, last_name,
// display_name, company, job_title, source, notes, tags. Numbered groups,
// any number of each, N = 1, 2, ... (gaps allowed; order by N):
//   phoneN, phoneN_type, phoneN_primary, emailN, emailN_type, emailN_primary
// An unknown name, a repeated one, an empty one, or phoneN_type /
// phoneN_primary without phoneN (emails alike) is an error naming it.
//
// Rows: every cell is trimmed of ASCII whitespace; an empty cell means "not
// set" (the field keeps its default: source `import`, phone type mobile,
// email type work, not primary). tags are separated by ';'. Types and
// sources are case-insensitive names (contact.h); primary is
// true/false/yes/no/1/0. A type or primary flag in a group whose number
// (address) is empty is an error, as is a row with another number of cells
// than the header. Errors name the column: "phone2_type: 'cell' is not a
// phone type ...".

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/contact.h"

namespace contactd::tools {

class CsvColumns {
 public:
  // Fixed columns, in the order of kFieldNames (csv_columns.cc).
  enum Field {
    kCustomerId,
    kExternalId,
    kFirstName,
    kLastName,
    kDisplayName,
    kCompany,
    kJobTitle,
    kSource,
    kNotes,
    kTags,
    kFieldCount
  };

  // Errors: InvalidArgument naming the column (by name and 1-based position).
  static absl::StatusOr<CsvColumns> Parse(
      const std::vector<std::string>& header);

  size_t column_count() const { return column_count_; }
  bool has(Field field) const { return fields_[field] >= 0; }

  // The contact described by `cells` (one per column). customer_id stays nil
  // when its cell is empty or there is no such column.
  absl::StatusOr<index::Contact> ToContact(
      const std::vector<std::string>& cells) const;

 private:
  // Columns of one phone or email group; -1: absent.
  struct Group {
    int number = 0;  // N
    int value = -1;  // phoneN / emailN
    int type = -1;
    int primary = -1;
  };

  CsvColumns() = default;

  size_t column_count_ = 0;
  int fields_[kFieldCount] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  std::vector<Group> phones_;  // by N
  std::vector<Group> emails_;
};

}  // namespace contactd::tools
