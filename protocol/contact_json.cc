#include "protocol/contact_json.h"

#include <array>
#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::protocol {

namespace {

using index::ToAbsl;

constexpr char kTimeFormat[] = "%Y-%m-%d%ET%H:%M:%E6SZ";

Json IdJson(const index::Uuid& id) {
  return id.is_nil() ? Json(nullptr) : Json(id.ToString());
}
Json TimeJson(absl::Time t) {
  return t == absl::InfinitePast() ? Json(nullptr) : Json(FormatJsonTime(t));
}

Json PhoneJson(const index::PhoneNumber& p) {
  Json j = Json::object();
  j["id"] = IdJson(p.id);
  j["number"] = p.number;
  j["number_e164"] = p.number_e164;
  j["type"] = std::string(index::PhoneTypeName(p.type));
  j["is_primary"] = p.is_primary;
  j["tm_create"] = TimeJson(p.tm_create);
  return j;
}

Json EmailJson(const index::Email& e) {
  Json j = Json::object();
  j["id"] = IdJson(e.id);
  j["address"] = e.address;
  j["type"] = std::string(index::EmailTypeName(e.type));
  j["is_primary"] = e.is_primary;
  j["tm_create"] = TimeJson(e.tm_create);
  return j;
}

// ---- Parsing. `path` names the enclosing object ("" for the contact).

std::string FieldPath(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key)
                      : absl::StrCat(ToAbsl(path), ".", ToAbsl(key));
}

absl::Status FieldError(index::Reason reason, std::string_view path,
                        std::string_view what) {
  return index::InvalidArgument(
      reason, absl::StrCat("contact JSON: ", ToAbsl(path), ": ", ToAbsl(what)));
}

absl::Status TypeError(std::string_view path, std::string_view expected,
                       const Json& value) {
  return FieldError(
      index::Reason::kNone, path,
      absl::StrCat("expected ", ToAbsl(expected), ", got ", value.type_name()));
}

// The value of `key`, or nullptr when absent or null.
const Json* Find(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

absl::Status CheckKeys(const Json& object, std::string_view path,
                       std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (std::string_view k : known) found = found || k == key;
    if (!found) {
      return FieldError(index::Reason::kNone, FieldPath(path, key),
                        "unknown field");
    }
  }
  return absl::OkStatus();
}

absl::Status ReadString(const Json& object, std::string_view path,
                        std::string_view key, std::string& out) {
  const Json* v = Find(object, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_string()) return TypeError(FieldPath(path, key), "a string", *v);
  out = v->get_ref<const std::string&>();
  return absl::OkStatus();
}

absl::Status ReadBool(const Json& object, std::string_view path,
                      std::string_view key, bool& out) {
  const Json* v = Find(object, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_boolean())
    return TypeError(FieldPath(path, key), "true or false", *v);
  out = v->get<bool>();
  return absl::OkStatus();
}

absl::Status ReadUuid(const Json& object, std::string_view path,
                      std::string_view key, index::Uuid& out) {
  std::string text;
  if (absl::Status s = ReadString(object, path, key, text); !s.ok()) return s;
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<index::Uuid> id = index::Uuid::Parse(text);
  if (!id.ok()) {
    return FieldError(
        index::Reason::kInvalidId, FieldPath(path, key),
        absl::StrCat(index::QuoteInput(text, 64), " is not a UUID"));
  }
  out = *id;
  return absl::OkStatus();
}

absl::Status ReadTime(const Json& object, std::string_view path,
                      std::string_view key, absl::Time& out) {
  std::string text;
  if (absl::Status s = ReadString(object, path, key, text); !s.ok()) return s;
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<absl::Time> t = ParseJsonTime(text);
  if (!t.ok())
    return FieldError(index::Reason::kNone, FieldPath(path, key),
                      std::string(t.status().message()));
  out = *t;
  return absl::OkStatus();
}

template <typename Enum>
absl::Status ReadEnum(const Json& object, std::string_view path,
                      std::string_view key,
                      absl::StatusOr<Enum> (*parse)(std::string_view),
                      Enum& out) {
  const Json* v = Find(object, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_string()) return TypeError(FieldPath(path, key), "a string", *v);
  absl::StatusOr<Enum> value = parse(v->get_ref<const std::string&>());
  if (!value.ok()) {
    return FieldError(index::Reason::kInvalidEnum, FieldPath(path, key),
                      std::string(value.status().message()));
  }
  out = *value;
  return absl::OkStatus();
}

absl::Status ReadTags(const Json& object, std::vector<std::string>& out) {
  const Json* v = Find(object, "tags");
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_array()) return TypeError("tags", "an array of strings", *v);
  out.clear();
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& tag = (*v)[i];
    if (!tag.is_string()) {
      return TypeError(absl::StrCat("tags[", i, "]"), "a string", tag);
    }
    out.push_back(tag.get<std::string>());
  }
  return absl::OkStatus();
}

#define RETURN_IF_ERROR_JSON(expr)                     \
  do {                                                 \
    if (absl::Status _s = (expr); !_s.ok()) return _s; \
  } while (0)

absl::Status ReadPhone(const Json& j, const std::string& path,
                       index::PhoneNumber& out) {
  if (!j.is_object()) return TypeError(path, "an object", j);
  RETURN_IF_ERROR_JSON(CheckKeys(
      j, path,
      {"id", "number", "number_e164", "type", "is_primary", "tm_create"}));
  RETURN_IF_ERROR_JSON(ReadUuid(j, path, "id", out.id));
  RETURN_IF_ERROR_JSON(ReadString(j, path, "number", out.number));
  RETURN_IF_ERROR_JSON(ReadString(j, path, "number_e164", out.number_e164));
  RETURN_IF_ERROR_JSON(
      ReadEnum(j, path, "type", &index::ParsePhoneType, out.type));
  RETURN_IF_ERROR_JSON(ReadBool(j, path, "is_primary", out.is_primary));
  return ReadTime(j, path, "tm_create", out.tm_create);
}

absl::Status ReadEmail(const Json& j, const std::string& path,
                       index::Email& out) {
  if (!j.is_object()) return TypeError(path, "an object", j);
  RETURN_IF_ERROR_JSON(
      CheckKeys(j, path, {"id", "address", "type", "is_primary", "tm_create"}));
  RETURN_IF_ERROR_JSON(ReadUuid(j, path, "id", out.id));
  RETURN_IF_ERROR_JSON(ReadString(j, path, "address", out.address));
  RETURN_IF_ERROR_JSON(
      ReadEnum(j, path, "type", &index::ParseEmailType, out.type));
  RETURN_IF_ERROR_JSON(ReadBool(j, path, "is_primary", out.is_primary));
  return ReadTime(j, path, "tm_create", out.tm_create);
}

// Reads the array `key` of objects with `read` into `out`.
template <typename Item>
absl::Status ReadItems(const Json& object, std::string_view key,
                       absl::Status (*read)(const Json&, const std::string&,
                                            Item&),
                       std::vector<Item>& out) {
  const Json* v = Find(object, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_array()) return TypeError(key, "an array", *v);
  out.clear();
  for (size_t i = 0; i < v->size(); ++i) {
    Item item;
    RETURN_IF_ERROR_JSON(
        read((*v)[i], absl::StrCat(ToAbsl(key), "[", i, "]"), item));
    out.push_back(std::move(item));
  }
  return absl::OkStatus();
}

absl::Status ReadNames(const Json& j, index::Contact& c) {
  RETURN_IF_ERROR_JSON(ReadString(j, "", "first_name", c.first_name));
  RETURN_IF_ERROR_JSON(ReadString(j, "", "last_name", c.last_name));
  RETURN_IF_ERROR_JSON(ReadString(j, "", "display_name", c.display_name));
  RETURN_IF_ERROR_JSON(ReadString(j, "", "company", c.company));
  RETURN_IF_ERROR_JSON(ReadString(j, "", "job_title", c.job_title));
  RETURN_IF_ERROR_JSON(ReadString(j, "", "external_id", c.external_id));
  return ReadString(j, "", "notes", c.notes);
}

}  // namespace

std::string FormatJsonTime(absl::Time time) {
  return absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseJsonTime(std::string_view text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, ToAbsl(text), &t, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        index::QuoteInput(text, 64), " is not an RFC 3339 time (", error, ")"));
  }
  return t;
}

Json ContactToJson(const index::Contact& c, absl::Time tm_delete) {
  Json j = Json::object();
  j["id"] = IdJson(c.id);
  j["customer_id"] = IdJson(c.customer_id);
  j["first_name"] = c.first_name;
  j["last_name"] = c.last_name;
  j["display_name"] = c.display_name;
  j["company"] = c.company;
  j["job_title"] = c.job_title;
  j["phone_numbers"] = Json::array();
  for (const auto& p : c.phone_numbers)
    j["phone_numbers"].push_back(PhoneJson(p));
  j["emails"] = Json::array();
  for (const auto& e : c.emails) j["emails"].push_back(EmailJson(e));
  j["tags"] = c.tags;
  j["source"] = std::string(index::SourceName(c.source));
  j["external_id"] = c.external_id;
  j["notes"] = c.notes;
  j["tm_create"] = TimeJson(c.tm_create);
  j["tm_update"] = TimeJson(c.tm_update);
  j["tm_delete"] = TimeJson(tm_delete);
  return j;
}

Json ContactSummaryToJson(const ContactSummary& s, LookupKind kind) {
  Json j = Json::object();
  j["contact_id"] = IdJson(s.contact_id);
  j["matched_id"] = IdJson(s.matched_id);
  j["matched_type"] = kind == LookupKind::kPhone
                          ? std::string(index::PhoneTypeName(
                                static_cast<index::PhoneType>(s.matched_type)))
                          : std::string(index::EmailTypeName(
                                static_cast<index::EmailType>(s.matched_type)));
  j["matched_primary"] = s.matched_primary;
  j["first_name"] = s.first_name;
  j["last_name"] = s.last_name;
  j["display_name"] = s.display_name;
  j["company"] = s.company;
  j["tags"] = s.tags;
  return j;
}

absl::StatusOr<index::Contact> ContactFromJson(const Json& j) {
  if (!j.is_object()) return TypeError("(document)", "an object", j);
  RETURN_IF_ERROR_JSON(CheckKeys(
      j, "",
      {"id", "customer_id", "first_name", "last_name", "display_name",
       "company", "job_title", "phone_numbers", "emails", "tags", "source",
       "external_id", "notes", "tm_create", "tm_update", "tm_delete"}));
  index::Contact c;
  RETURN_IF_ERROR_JSON(ReadUuid(j, "", "id", c.id));
  RETURN_IF_ERROR_JSON(ReadUuid(j, "", "customer_id", c.customer_id));
  RETURN_IF_ERROR_JSON(ReadNames(j, c));
  RETURN_IF_ERROR_JSON(ReadItems<index::PhoneNumber>(
      j, "phone_numbers", &ReadPhone, c.phone_numbers));
  RETURN_IF_ERROR_JSON(
      ReadItems<index::Email>(j, "emails", &ReadEmail, c.emails));
  RETURN_IF_ERROR_JSON(ReadTags(j, c.tags));
  RETURN_IF_ERROR_JSON(
      ReadEnum(j, "", "source", &index::ParseSource, c.source));
  RETURN_IF_ERROR_JSON(ReadTime(j, "", "tm_create", c.tm_create));
  RETURN_IF_ERROR_JSON(ReadTime(j, "", "tm_update", c.tm_update));
  return c;
}

absl::StatusOr<index::PhoneNumber> PhoneFromJson(const Json& json) {
  index::PhoneNumber phone;
  RETURN_IF_ERROR_JSON(ReadPhone(json, "phone", phone));
  return phone;
}

absl::StatusOr<index::Email> EmailFromJson(const Json& json) {
  index::Email email;
  RETURN_IF_ERROR_JSON(ReadEmail(json, "email", email));
  return email;
}

absl::StatusOr<Json> ParseJson(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (
      const Json::exception& e) {  // the edge: nlohmann reports by throwing
    return absl::InvalidArgumentError(
        absl::StrCat("not valid JSON: ", e.what()));
  }
}

absl::StatusOr<index::Contact> ContactFromJsonText(std::string_view text) {
  absl::StatusOr<Json> j = ParseJson(text);
  if (!j.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("contact JSON: ", j.status().message()));
  }
  return ContactFromJson(*j);
}

std::string DumpJson(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace contactd::protocol
