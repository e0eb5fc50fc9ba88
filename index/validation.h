#pragma once
// Field rules for a Contact. Each rule fails with its own reason and a message
// that names the field, so an API client knows exactly what to fix.
//
//   | rule                                      | reason                    |
//   |-------------------------------------------|---------------------------|
//   | customer_id set                           | INVALID_ID                |
//   | first/last name, job title <= 100 bytes   | FIELD_TOO_LONG            |
//   | display name, company <= 200 bytes        | FIELD_TOO_LONG            |
//   | external_id <= 255, notes <= 4096 bytes   | FIELD_TOO_LONG            |
//   | phone as entered <= 64 bytes              | FIELD_TOO_LONG            |
//   | email <= 254 bytes                        | INVALID_EMAIL             |
//   | <= 32 phones, <= 32 emails, <= 64 tags    | TOO_MANY_PHONES/EMAILS/TAGS |
//   | at most one primary phone / email         |
//   MULTIPLE_PRIMARY_PHONES/EMAILS | | a number / address once per contact |
//   DUPLICATE_PHONE/EMAIL     | | tag: 1..64 bytes, no control characters   |
//   INVALID_TAG               | | enum values in range                      |
//   INVALID_ENUM              |
//
// Unknown enum *names* are rejected where they are parsed (contact.h).

#include <cstddef>

#include "absl/status/status.h"
#include "index/contact.h"

namespace contactd::index {

struct FieldLimits {
  static constexpr size_t kName = 100;  // first_name, last_name, job_title
  static constexpr size_t kDisplayName = 200;
  static constexpr size_t kCompany = 200;
  static constexpr size_t kExternalId = 255;
  static constexpr size_t kNotes = 4096;
  static constexpr size_t kPhoneInput = 64;
  static constexpr size_t kEmail = 254;
  static constexpr size_t kTag = 64;
  static constexpr size_t kPhones = 32;
  static constexpr size_t kEmails = 32;
  static constexpr size_t kTags = 64;
};

// Checks every rule above on a contact whose phones and emails are already
// normalized (number_e164 filled in, addresses lowercased). Returns the first
// failure.
absl::Status ValidateContact(const Contact& contact);

// The single-field checks, for partial updates and the HTTP layer.
absl::Status ValidateLength(std::string_view field, std::string_view value,
                            size_t limit);
absl::Status ValidateTag(std::string_view tag);

}  // namespace contactd::index
