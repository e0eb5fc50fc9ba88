#pragma once
// Contact <-> JSON: the JSON shape of a contact, shared by contactctl and
// (later) the HTTP API. The shape follows the reference doc
// (../shared/reference/contact-overview.rst):
//
//   {"id": "0b7e...", "customer_id": "5f1c...",
//    "first_name": "Ada", "last_name": "Lovelace", "display_name": "Ada L.",
//    "company": "Acme", "job_title": "CTO",
//    "phone_numbers": [{"id": "...", "number": "(555) 123-4567",
//                       "number_e164": "+15551234567", "type": "mobile",
//                       "is_primary": true,
//                       "tm_create": "2024-05-01T12:00:00Z"}],
//    "emails": [{"id": "...", "address": "ada@acme.com", "type": "work",
//                "is_primary": true, "tm_create": "..."}],
//    "tags": ["vip"], "source": "api", "external_id": "003Dn00000X1234",
//    "notes": "", "tm_create": "2024-05-01T12:00:00.000000Z",
//    "tm_update": "2024-05-01T12:00:00.250000Z", "tm_delete": null}
//
// Output (ContactToJson): every field, in the order above. Ids are
// lowercase UUID text, times RFC 3339 in UTC with microseconds and "Z"; a
// nil id or an unset time is null (tm_delete is set only in the reply to a
// delete).
//
// Input (ContactFromJson) is strict:
//   - the document is an object; every field is optional, and null is the
//     same as absent (the field keeps its default: "" / nil / unset / [],
//     type "mobile" / "work", source "manual", is_primary false);
//   - UNKNOWN FIELDS ARE REJECTED (a misspelt "fist_name" must not vanish
//     silently during an import);
//   - a value of the wrong JSON type, an unknown enum name, a malformed
//     UUID or time is rejected;
//   - output-only fields (number_e164, tm_create, tm_update, tm_delete, ids)
//     are
//     accepted, so `contactctl get` output can be fed back to `put`; the
//     server recomputes or ignores them (contact_messages.h, UPSERT).
// Errors are InvalidArgument naming the field by its path, e.g.
//   "contact JSON: phone_numbers[1].type: 'cell' is not a phone type ..."
// with reason INVALID_ENUM (enums), INVALID_ID (UUIDs) or none (types).
// Nothing is validated beyond the JSON level (lengths, phone numbers,
// primaries): that is index/validation.h's job on the server.
//
// NOTE: nothing here throws, apart from std::bad_alloc.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "index/contact.h"
#include "nlohmann/json.hpp"
#include "protocol/contact_codec.h"
#include "protocol/lookup_messages.h"

namespace contactd::protocol {

// Objects keep their keys in insertion order, so output reads like the
// reference doc.
using Json = nlohmann::ordered_json;

Json ContactToJson(const index::Contact& contact,
                   absl::Time tm_delete = absl::InfinitePast());
// A lookup summary: contact_id, matched_id, matched_type (a phone type name
// for kPhone lookups, an email type name for kEmail), matched_primary,
// first_name, last_name, display_name, company, tags.
Json ContactSummaryToJson(const ContactSummary& summary, LookupKind kind);

absl::StatusOr<index::Contact> ContactFromJson(const Json& json);
// One element of "phone_numbers" / "emails", by the same rules; errors name
// the field as "phone.type", "email.address".
absl::StatusOr<index::PhoneNumber> PhoneFromJson(const Json& json);
absl::StatusOr<index::Email> EmailFromJson(const Json& json);
// Parses `text` as exactly one JSON document; syntax errors are
// InvalidArgument with the parser's position.
absl::StatusOr<Json> ParseJson(std::string_view text);
// Parses `text` (exactly one JSON document) and then ContactFromJson.
// Syntax errors: InvalidArgument with the parser's position.
absl::StatusOr<index::Contact> ContactFromJsonText(std::string_view text);

// RFC 3339 in UTC with microseconds: "2026-02-07T14:45:59.038962Z".
std::string FormatJsonTime(absl::Time time);
// Accepts any RFC 3339 time ("Z" or an offset, fractional seconds).
absl::StatusOr<absl::Time> ParseJsonTime(std::string_view text);

// `json` as text; invalid UTF-8 in strings becomes U+FFFD instead of an
// exception. indent < 0: one line.
std::string DumpJson(const Json& json, int indent = -1);

}  // namespace contactd::protocol
