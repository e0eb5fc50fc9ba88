#include "tools/import/csv_columns.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "index/errors.h"

namespace contactd::tools {
namespace {

using index::Reason;

// Names of CsvColumns::Field, in its order.
constexpr std::array<std::string_view, CsvColumns::kFieldCount> kFieldNames = {
    "customer_id", "external_id", "first_name", "last_name", "display_name",
    "company",     "job_title",   "source",     "notes",     "tags"};

constexpr int kMaxGroupNumber = 9999;

std::string_view Trim(std::string_view text) {
  const absl::string_view t = absl::StripAsciiWhitespace(index::ToAbsl(text));
  return {t.data(), t.size()};
}

// `status` with "<column>: " before its message (code and reason kept).
absl::Status InColumn(std::string_view column, const absl::Status& status) {
  return index::MakeError(
      status.code(), index::ReasonOf(status),
      absl::StrCat(index::ToAbsl(column), ": ", status.message()));
}

// A numbered group column: "phone12_type" -> {kind "phone", 12, "_type"}.
struct GroupName {
  std::string_view kind;    // "phone" or "email"
  int number = 0;           // >= 1
  std::string_view suffix;  // "", "_type" or "_primary"
};

std::optional<GroupName> ParseGroupName(std::string_view name) {
  GroupName g;
  for (std::string_view kind : {"phone", "email"}) {
    if (name.starts_with(kind)) g.kind = kind;
  }
  if (g.kind.empty()) return std::nullopt;
  std::string_view rest = name.substr(g.kind.size());
  const size_t digits = rest.find_first_not_of("0123456789");
  const std::string_view number = rest.substr(0, digits);
  if (number.empty() || number[0] == '0' || number.size() > 4) {
    return std::nullopt;
  }
  std::from_chars(number.data(), number.data() + number.size(), g.number);
  g.suffix = digits == std::string_view::npos ? "" : rest.substr(digits);
  if (g.suffix != "" && g.suffix != "_type" && g.suffix != "_primary") {
    return std::nullopt;
  }
  return g;
}

absl::StatusOr<bool> ParseBool(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(index::ToAbsl(text));
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return index::InvalidArgument(
      Reason::kInvalidEnum,
      absl::StrCat(index::QuoteInput(text, 64),
                   " is not a flag (true, false, yes, no, 1, 0)"));
}

std::string Lower(std::string_view text) {
  return absl::AsciiStrToLower(index::ToAbsl(text));
}

// The type and primary cells of group `name` (e.g. "phone2"): `parse_type`
// gets the lowercased type; an empty value with a type or flag is an error.
absl::Status ReadGroupExtras(
    int type_column, int primary_column, const std::string& name,
    bool value_empty, bool* is_primary,
    absl::FunctionRef<absl::Status(std::string_view)> parse_type,
    const std::vector<std::string>& cells) {
  const std::string_view type =
      type_column < 0 ? std::string_view() : Trim(cells[type_column]);
  const std::string_view primary =
      primary_column < 0 ? std::string_view() : Trim(cells[primary_column]);
  if (value_empty) {
    if (type.empty() && primary.empty()) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat(name, type.empty() ? "_primary" : "_type", ": set, but ",
                     name, " is empty"));
  }
  if (!type.empty()) {
    if (absl::Status s = parse_type(Lower(type)); !s.ok()) {
      return InColumn(absl::StrCat(name, "_type"), s);
    }
  }
  if (!primary.empty()) {
    absl::StatusOr<bool> flag = ParseBool(primary);
    if (!flag.ok())
      return InColumn(absl::StrCat(name, "_primary"), flag.status());
    *is_primary = *flag;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CsvColumns> CsvColumns::Parse(
    const std::vector<std::string>& header) {
  CsvColumns columns;
  columns.column_count_ = header.size();
  std::map<std::string, int> seen;  // lowercase name -> column
  std::map<int, Group> phones, emails;
  for (size_t i = 0; i < header.size(); ++i) {
    const int column = static_cast<int>(i);
    const std::string name = Lower(Trim(header[i]));
    const std::string where = absl::StrCat("column ", i + 1);
    if (name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("header: ", where, " has no name"));
    }
    if (auto [it, inserted] = seen.emplace(name, column); !inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("header: column '", name, "' appears twice (columns ",
                       it->second + 1, " and ", i + 1, ")"));
    }
    const auto field = std::find(kFieldNames.begin(), kFieldNames.end(), name);
    if (field != kFieldNames.end()) {
      columns.fields_[field - kFieldNames.begin()] = column;
      continue;
    }
    const std::optional<GroupName> group = ParseGroupName(name);
    if (!group || group->number > kMaxGroupNumber) {
      return absl::InvalidArgumentError(absl::StrCat(
          "header: unknown column ", index::QuoteInput(header[i], 64), " (",
          where, "); known: ",
          absl::StrJoin(
              kFieldNames.begin(), kFieldNames.end(), ", ",
              [](std::string* out, std::string_view n) { out->append(n); }),
          ", phoneN, phoneN_type, phoneN_primary, emailN, emailN_type, "
          "emailN_primary (N = 1, 2, ...)"));
    }
    Group& g = (group->kind == "phone" ? phones : emails)[group->number];
    g.number = group->number;
    int& slot = group->suffix.empty()      ? g.value
                : group->suffix == "_type" ? g.type
                                           : g.primary;
    slot = column;
  }
  for (auto* groups : {&phones, &emails}) {
    const char* kind = groups == &phones ? "phone" : "email";
    for (const auto& [number, g] : *groups) {
      if (g.value < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("header: column '", kind, number,
                         g.type >= 0 ? "_type" : "_primary",
                         "' has no column '", kind, number, "'"));
      }
      (groups == &phones ? columns.phones_ : columns.emails_).push_back(g);
    }
  }
  return columns;
}

absl::StatusOr<index::Contact> CsvColumns::ToContact(
    const std::vector<std::string>& cells) const {
  if (cells.size() != column_count_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the row has ", cells.size(), " fields, the header ", column_count_));
  }
  auto cell = [&](int column) -> std::string_view {
    return column < 0 ? std::string_view() : Trim(cells[column]);
  };
  auto field = [&](Field f) { return cell(fields_[f]); };

  index::Contact c;
  c.source = index::Source::kImport;
  if (const std::string_view id = field(kCustomerId); !id.empty()) {
    absl::StatusOr<index::Uuid> tenant = index::Uuid::Parse(id);
    if (!tenant.ok()) {
      return index::InvalidArgument(
          Reason::kInvalidId,
          absl::StrCat("customer_id: ", index::QuoteInput(id, 64),
                       " is not a UUID"));
    }
    c.customer_id = *tenant;
  }
  c.external_id = field(kExternalId);
  c.first_name = field(kFirstName);
  c.last_name = field(kLastName);
  c.display_name = field(kDisplayName);
  c.company = field(kCompany);
  c.job_title = field(kJobTitle);
  c.notes = field(kNotes);
  if (const std::string_view source = field(kSource); !source.empty()) {
    absl::StatusOr<index::Source> parsed = index::ParseSource(Lower(source));
    if (!parsed.ok()) return InColumn("source", parsed.status());
    c.source = *parsed;
  }
  // tags: "vip; enterprise" -> {"vip", "enterprise"}; empty parts dropped.
  std::string_view tags = field(kTags);
  while (!tags.empty()) {
    const size_t end = std::min(tags.find(';'), tags.size());
    if (const std::string_view tag = Trim(tags.substr(0, end)); !tag.empty()) {
      c.tags.emplace_back(tag);
    }
    tags.remove_prefix(std::min(end + 1, tags.size()));
  }
  for (const Group& g : phones_) {
    const std::string name = absl::StrCat("phone", g.number);
    index::PhoneNumber phone;
    phone.number = cell(g.value);
    absl::Status s = ReadGroupExtras(
        g.type, g.primary, name, phone.number.empty(), &phone.is_primary,
        [&](std::string_view type) {
          absl::StatusOr<index::PhoneType> t = index::ParsePhoneType(type);
          if (t.ok()) phone.type = *t;
          return t.status();
        },
        cells);
    if (!s.ok()) return s;
    if (!phone.number.empty()) c.phone_numbers.push_back(std::move(phone));
  }
  for (const Group& g : emails_) {
    const std::string name = absl::StrCat("email", g.number);
    index::Email email;
    email.address = cell(g.value);
    absl::Status s = ReadGroupExtras(
        g.type, g.primary, name, email.address.empty(), &email.is_primary,
        [&](std::string_view type) {
          absl::StatusOr<index::EmailType> t = index::ParseEmailType(type);
          if (t.ok()) email.type = *t;
          return t.status();
        },
        cells);
    if (!s.ok()) return s;
    if (!email.address.empty()) c.emails.push_back(std::move(email));
  }
  return c;
}

}  // namespace contactd::tools
