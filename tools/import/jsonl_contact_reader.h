#pragma once
// JsonlContactReader: contacts from JSON Lines, one contact per line in the
// JSON of protocol/contact_json.h (strict: an unknown field is an error
// naming its path).
//
//   {"customer_id": "0b7e...", "display_name": "Ada", "phone_numbers": [...]}
//   {"display_name": "Grace", "external_id": "crm-17"}     <- --tenant's
//
// Lines holding only whitespace are skipped. A line without customer_id gets
// the default tenant; a line without source (or with null) gets `import`.
// A line that is not JSON, or not a valid contact, is a bad row with the
// parser's message ("contact JSON: phone_numbers[0].type: unknown phone
// type 'cell' ...").

#include <istream>
#include <memory>

#include "tools/import/contact_reader.h"
#include "tools/import/line_reader.h"

namespace contactd::tools {

class JsonlContactReader : public ContactReader {
 public:
  // `in` must outlive the reader.
  explicit JsonlContactReader(std::istream& in) : lines_(in) {}

  absl::StatusOr<bool> Next(ImportRow& row) override;
  uint64_t bytes_read() const override { return lines_.bytes_read(); }
  bool rows_may_name_tenant() const override { return true; }

 private:
  LineReader lines_;
};

}  // namespace contactd::tools
