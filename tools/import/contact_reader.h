#pragma once
// ContactReader: the rows of an import file, one contact each, with the line
// where each row starts. CsvContactReader (csv_contact_reader.h) and
// JsonlContactReader (jsonl_contact_reader.h) implement it; docs/import.md
// describes both formats.
//
//   ImportRow row;
//   while (true) {
//     absl::StatusOr<bool> more = reader->Next(row);
//     if (!more.ok()) return more.status();  // the input cannot be read on
//     if (!*more) break;                      // end of input
//     if (!row.contact.ok()) Reject(row.line, row.contact.status());
//     else Import(*std::move(row.contact));
//   }
//
// Two kinds of error:
//   - a bad row (a malformed field, a bad enum name, malformed quoting):
//     row.contact holds the error (InvalidArgument, with the index reason
//     when one fits, e.g. INVALID_ENUM) and reading goes on with the next row;
//   - a fatal error (Next returns it): the input cannot be read further (a
//     line longer than the limit, a read error). Create() functions fail the
//     same way for a bad header.
// Readers do not validate what the index validates (phone numbers, lengths,
// primaries): the store or the server does, with the same messages.
//
// Every contact gets a tenant (the row's customer_id, else the default
// tenant; a row with neither is bad) and, unless the row names one, source
// `import`.

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/contact.h"
#include "index/errors.h"
#include "index/uuid.h"

namespace contactd::tools {

struct ImportRow {
  int64_t line = 0;                        // 1-based line where the row starts
  absl::StatusOr<index::Contact> contact;  // or why the row is bad
};

class ContactReader {
 public:
  virtual ~ContactReader() = default;

  // Reads the next row into `row`: true when there was one, false at the end
  // of the input, an error when the input cannot be read further.
  virtual absl::StatusOr<bool> Next(ImportRow& row) = 0;
  // Input bytes consumed so far (for progress).
  virtual uint64_t bytes_read() const = 0;
  // False when no row can name its tenant (a CSV file without a customer_id
  // column): then a default tenant is required.
  virtual bool rows_may_name_tenant() const = 0;

  // The tenant of rows that name none; nil: such rows are bad.
  void set_default_tenant(const index::Uuid& tenant) {
    default_tenant_ = tenant;
  }
  const index::Uuid& default_tenant() const { return default_tenant_; }

 protected:
  // Gives `contact` the default tenant when it has none; INVALID_ID when
  // there is no default either.
  absl::Status FillTenant(index::Contact& contact) const {
    if (!contact.customer_id.is_nil()) return absl::OkStatus();
    if (default_tenant_.is_nil()) {
      return index::InvalidArgument(
          index::Reason::kInvalidId,
          "customer_id: not in the row, and no --tenant given");
    }
    contact.customer_id = default_tenant_;
    return absl::OkStatus();
  }

 private:
  index::Uuid default_tenant_;
};

}  // namespace contactd::tools
