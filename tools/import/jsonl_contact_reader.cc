#include "tools/import/jsonl_contact_reader.h"

#include "absl/strings/ascii.h"
#include "protocol/contact_json.h"

namespace contactd::tools {
namespace {

// The contact on one line (no exceptions: a line that does not parse is
// handed to ContactFromJsonText, which says where it fails).
absl::StatusOr<index::Contact> ParseLine(std::string_view line) {
  protocol::Json json = protocol::Json::parse(line.begin(), line.end(),
                                              /*cb=*/nullptr,
                                              /*allow_exceptions=*/false);
  if (json.is_discarded()) return protocol::ContactFromJsonText(line);
  absl::StatusOr<index::Contact> contact = protocol::ContactFromJson(json);
  if (!contact.ok()) return contact;
  const auto source = json.find("source");
  if (source == json.end() || source->is_null()) {
    contact->source = index::Source::kImport;
  }
  return contact;
}

}  // namespace

absl::StatusOr<bool> JsonlContactReader::Next(ImportRow& row) {
  while (true) {
    std::string_view line;
    absl::StatusOr<bool> more = lines_.Next(line);
    if (!more.ok() || !*more) return more;
    const absl::string_view trimmed =
        absl::StripAsciiWhitespace(index::ToAbsl(line));
    if (trimmed.empty()) continue;
    row.line = lines_.line_number();
    row.contact = ParseLine(std::string_view(trimmed.data(), trimmed.size()));
    if (row.contact.ok()) {
      if (absl::Status s = FillTenant(*row.contact); !s.ok()) row.contact = s;
    }
    return true;
  }
}

}  // namespace contactd::tools
