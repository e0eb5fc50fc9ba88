#include "index/validation.h"

#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::index {
namespace {

absl::Status ValidateNames(const Contact& c) {
  struct Field {
    std::string_view name;
    const std::string& value;
    size_t limit;
  };
  const Field fields[] = {
      {"first_name", c.first_name, FieldLimits::kName},
      {"last_name", c.last_name, FieldLimits::kName},
      {"job_title", c.job_title, FieldLimits::kName},
      {"display_name", c.display_name, FieldLimits::kDisplayName},
      {"company", c.company, FieldLimits::kCompany},
      {"external_id", c.external_id, FieldLimits::kExternalId},
      {"notes", c.notes, FieldLimits::kNotes},
  };
  for (const Field& f : fields) {
    if (auto st = ValidateLength(f.name, f.value, f.limit); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status ValidateEnums(const Contact& c) {
  auto bad = [](std::string_view what, int value) {
    return InvalidArgument(
        Reason::kInvalidEnum,
        absl::StrCat(std::string(what), " value ", value, " is unknown"));
  };
  if (static_cast<int>(c.source) > static_cast<int>(Source::kSync)) {
    return bad("source", static_cast<int>(c.source));
  }
  for (const PhoneNumber& p : c.phone_numbers) {
    if (static_cast<int>(p.type) > static_cast<int>(PhoneType::kOther)) {
      return bad("phone type", static_cast<int>(p.type));
    }
  }
  for (const Email& e : c.emails) {
    if (static_cast<int>(e.type) > static_cast<int>(EmailType::kOther)) {
      return bad("email type", static_cast<int>(e.type));
    }
  }
  return absl::OkStatus();
}

// Whether values[i] equals an earlier value. Pairwise: a contact has at
// most 32 phones (emails), and a set would allocate on every write and on
// every contact of a snapshot load.
template <typename Item, typename Value>
bool RepeatsAnEarlier(const std::vector<Item>& items, size_t i, Value value) {
  for (size_t j = 0; j < i; ++j) {
    if (value(items[j]) == value(items[i])) return true;
  }
  return false;
}

absl::Status ValidatePhones(const std::vector<PhoneNumber>& phones) {
  if (phones.size() > FieldLimits::kPhones) {
    return InvalidArgument(
        Reason::kTooManyPhones,
        absl::StrCat("a contact has at most ", FieldLimits::kPhones,
                     " phone numbers, got ", phones.size()));
  }
  int primaries = 0;
  for (size_t i = 0; i < phones.size(); ++i) {
    const PhoneNumber& p = phones[i];
    if (auto st = ValidateLength("phone_numbers.number", p.number,
                                 FieldLimits::kPhoneInput);
        !st.ok()) {
      return st;
    }
    if (p.number_e164.empty()) {
      return InvalidArgument(
          Reason::kInvalidPhone,
          absl::StrCat("phone number '", p.number, "' is not normalized"));
    }
    if (RepeatsAnEarlier(phones, i, [](const PhoneNumber& q) {
          return std::string_view(q.number_e164);
        })) {
      return InvalidArgument(Reason::kDuplicatePhone,
                             absl::StrCat("phone number ", p.number_e164,
                                          " appears more than once"));
    }
    primaries += p.is_primary ? 1 : 0;
  }
  if (primaries > 1) {
    return InvalidArgument(Reason::kMultiplePrimaryPhones,
                           "at most one phone number may be primary");
  }
  return absl::OkStatus();
}

absl::Status ValidateEmails(const std::vector<Email>& emails) {
  if (emails.size() > FieldLimits::kEmails) {
    return InvalidArgument(
        Reason::kTooManyEmails,
        absl::StrCat("a contact has at most ", FieldLimits::kEmails,
                     " emails, got ", emails.size()));
  }
  int primaries = 0;
  for (size_t i = 0; i < emails.size(); ++i) {
    const Email& e = emails[i];
    if (e.address.empty() || e.address.size() > FieldLimits::kEmail) {
      return InvalidArgument(
          Reason::kInvalidEmail,
          absl::StrCat("email address must be 1 to ", FieldLimits::kEmail,
                       " bytes, got ", e.address.size()));
    }
    if (RepeatsAnEarlier(emails, i, [](const Email& f) {
          return std::string_view(f.address);
        })) {
      return InvalidArgument(
          Reason::kDuplicateEmail,
          absl::StrCat("email ", e.address, " appears more than once"));
    }
    primaries += e.is_primary ? 1 : 0;
  }
  if (primaries > 1) {
    return InvalidArgument(Reason::kMultiplePrimaryEmails,
                           "at most one email may be primary");
  }
  return absl::OkStatus();
}

absl::Status ValidateTags(const std::vector<std::string>& tags) {
  if (tags.size() > FieldLimits::kTags) {
    return InvalidArgument(
        Reason::kTooManyTags,
        absl::StrCat("a contact has at most ", FieldLimits::kTags,
                     " tags, got ", tags.size()));
  }
  for (const std::string& tag : tags) {
    if (auto st = ValidateTag(tag); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateLength(std::string_view field, std::string_view value,
                            size_t limit) {
  if (value.size() <= limit) return absl::OkStatus();
  return InvalidArgument(Reason::kFieldTooLong,
                         absl::StrCat(std::string(field), " is ", value.size(),
                                      " bytes; the limit is ", limit));
}

absl::Status ValidateTag(std::string_view tag) {
  if (tag.empty() || tag.size() > FieldLimits::kTag) {
    return InvalidArgument(Reason::kInvalidTag,
                           absl::StrCat("a tag is 1 to ", FieldLimits::kTag,
                                        " bytes, got ", tag.size()));
  }
  for (unsigned char c : tag) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgument(Reason::kInvalidTag,
                             "a tag may not contain control characters");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateContact(const Contact& c) {
  if (c.customer_id.is_nil()) {
    return InvalidArgument(Reason::kInvalidId, "customer_id is required");
  }
  if (auto st = ValidateNames(c); !st.ok()) return st;
  if (auto st = ValidateEnums(c); !st.ok()) return st;
  if (auto st = ValidatePhones(c.phone_numbers); !st.ok()) return st;
  if (auto st = ValidateEmails(c.emails); !st.ok()) return st;
  return ValidateTags(c.tags);
}

}  // namespace contactd::index
