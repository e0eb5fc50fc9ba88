#pragma once
// Contact: the owning, mutable value type of one contact, as the API sees it.
//
// Requests are parsed into a Contact, validated (validation.h), normalized
// (phone_normalizer.h, email_normalizer.h) and stored in the index as an
// immutable ContactRecord (contact_record.h), which converts back with
// ContactRecord::ToContact(). Field rules are in docs/architecture.md and
// ../shared/reference/contact-overview.rst.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "index/uuid.h"

namespace contactd::index {

// NOTE: the numeric values of these enums are persisted (snapshots, WAL) and
// sent on the wire. Do not change them; append new values at the end.
enum class PhoneType : uint8_t {
  kMobile = 0,
  kWork = 1,
  kHome = 2,
  kFax = 3,
  kOther = 4
};
enum class EmailType : uint8_t { kWork = 0, kPersonal = 1, kOther = 2 };
enum class Source : uint8_t { kManual = 0, kImport = 1, kApi = 2, kSync = 3 };

// Names as used in JSON and on the CLI: "mobile", "personal", "import", ...
std::string_view PhoneTypeName(PhoneType type);
std::string_view EmailTypeName(EmailType type);
std::string_view SourceName(Source source);
// Parse the names above; errors carry Reason::kInvalidEnum.
absl::StatusOr<PhoneType> ParsePhoneType(std::string_view name);
absl::StatusOr<EmailType> ParseEmailType(std::string_view name);
absl::StatusOr<Source> ParseSource(std::string_view name);

struct PhoneNumber {
  Uuid id;                  // assigned by the index when nil
  std::string number;       // as entered, e.g. "(555) 123-4567"
  std::string number_e164;  // "+15551234567"; filled in by normalization
  PhoneType type = PhoneType::kMobile;
  bool is_primary = false;
  absl::Time tm_create = absl::InfinitePast();  // assigned by the index
};

struct Email {
  Uuid id;
  std::string address;  // lowercased by normalization
  EmailType type = EmailType::kWork;
  bool is_primary = false;
  absl::Time tm_create = absl::InfinitePast();
};

struct Contact {
  Uuid id;           // assigned by the index when nil
  Uuid customer_id;  // the tenant; never nil
  std::string first_name;
  std::string last_name;
  std::string display_name;
  std::string company;
  std::string job_title;
  Source source = Source::kManual;
  std::string external_id;  // CRM record id; unique per tenant when set
  std::string notes;
  std::vector<std::string> tags;
  std::vector<PhoneNumber> phone_numbers;
  std::vector<Email> emails;
  absl::Time tm_create = absl::InfinitePast();  // assigned by the index
  absl::Time tm_update = absl::InfinitePast();

  friend bool operator==(const Contact&, const Contact&) = default;
};

bool operator==(const PhoneNumber& a, const PhoneNumber& b);
bool operator==(const Email& a, const Email& b);

}  // namespace contactd::index
