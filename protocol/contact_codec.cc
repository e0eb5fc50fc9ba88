#include "protocol/contact_codec.h"

#include <array>

#include "protocol/wire_writer.h"

namespace contactd::protocol {
namespace {

// The wire limits of the enums of index/contact.h.
constexpr uint8_t kMaxPhoneType =
    static_cast<uint8_t>(index::PhoneType::kOther);
constexpr uint8_t kMaxEmailType =
    static_cast<uint8_t>(index::EmailType::kOther);
constexpr uint8_t kMaxSource = static_cast<uint8_t>(index::Source::kSync);

// "+15551234567" as a str, without allocating.
void PutE164(std::string& out, index::E164Number number) {
  std::array<char, index::E164Number::kMaxDigits + 1> text;
  size_t start = text.size();
  uint64_t digits = number.digits();
  do {
    text[--start] = static_cast<char>('0' + digits % 10);
    digits /= 10;
  } while (digits != 0 && start > 1);
  text[--start] = '+';
  PutString(out, std::string_view(text.data() + start, text.size() - start));
}

uint8_t ItemFlags(bool is_primary) { return is_primary ? kItemPrimary : 0; }

bool ReadItemFlags(WireReader& r, std::string_view field) {
  const uint8_t flags = r.U8(field);
  if ((flags & ~kItemPrimary) != 0) r.Fail(field, "unknown flag bits");
  return flags & kItemPrimary;
}

// The fields before the phones: identical for both sources by construction.
template <typename C>
void PutContactHead(std::string& out, const C& c, const index::Uuid& id,
                    const index::Uuid& customer_id, index::Source source,
                    absl::Time tm_create, absl::Time tm_update) {
  PutUuid(out, id);
  PutUuid(out, customer_id);
  PutString(out, c.first_name);
  PutString(out, c.last_name);
  PutString(out, c.display_name);
  PutString(out, c.company);
  PutString(out, c.job_title);
  PutU8(out, static_cast<uint8_t>(source));
  PutString(out, c.external_id);
  PutString(out, c.notes);
  PutTime(out, tm_create);
  PutTime(out, tm_update);
}

// The record's string accessors as members, for PutContactHead.
struct RecordStrings {
  std::string_view first_name, last_name, display_name, company, job_title,
      external_id, notes;
};

void PutRecordPhones(std::string& out, const index::ContactRecord& record) {
  PutU16(out, static_cast<uint16_t>(record.phone_count()));
  for (size_t i = 0; i < record.phone_count(); ++i) {
    const index::PhoneSlot& s = record.phone(i);
    PutUuid(out, s.id);
    if (s.flags & index::PhoneSlot::kEnteredIsE164) {
      PutE164(out, s.e164);
    } else {
      PutString(out, record.phone_entered(i));
    }
    PutE164(out, s.e164);
    PutU8(out, static_cast<uint8_t>(s.type));
    PutU8(out, ItemFlags(s.is_primary()));
    PutTime(out, record.phone_tm_create(i));
  }
}

void PutRecordEmails(std::string& out, const index::ContactRecord& record) {
  PutU16(out, static_cast<uint16_t>(record.email_count()));
  for (size_t i = 0; i < record.email_count(); ++i) {
    const index::EmailSlot& s = record.email(i);
    PutUuid(out, s.id);
    PutString(out, record.email_address(i));
    PutU8(out, static_cast<uint8_t>(s.type));
    PutU8(out, ItemFlags(s.is_primary()));
    PutTime(out, record.email_tm_create(i));
  }
}

void PutRecordTags(std::string& out, const index::ContactRecord& record) {
  PutU16(out, static_cast<uint16_t>(record.tag_count()));
  for (size_t i = 0; i < record.tag_count(); ++i) {
    PutString(out, record.tag(i));
  }
}

// The summary fields after matched_id/type/flags.
void PutSummaryTail(std::string& out, const index::ContactRecord& record) {
  PutString(out, record.first_name());
  PutString(out, record.last_name());
  PutString(out, record.display_name());
  PutString(out, record.company());
  PutRecordTags(out, record);
}

}  // namespace

void PutPhone(std::string& out, const index::PhoneNumber& phone) {
  PutUuid(out, phone.id);
  PutString(out, phone.number);
  PutString(out, phone.number_e164);
  PutU8(out, static_cast<uint8_t>(phone.type));
  PutU8(out, ItemFlags(phone.is_primary));
  PutTime(out, phone.tm_create);
}

void PutEmail(std::string& out, const index::Email& email) {
  PutUuid(out, email.id);
  PutString(out, email.address);
  PutU8(out, static_cast<uint8_t>(email.type));
  PutU8(out, ItemFlags(email.is_primary));
  PutTime(out, email.tm_create);
}

void PutTags(std::string& out, const std::vector<std::string>& tags) {
  const size_t count = std::min(tags.size(), kMaxWireItems);
  PutU16(out, static_cast<uint16_t>(count));
  for (size_t i = 0; i < count; ++i) PutString(out, tags[i]);
}

void PutContact(std::string& out, const index::Contact& c) {
  PutContactHead(out, c, c.id, c.customer_id, c.source, c.tm_create,
                 c.tm_update);
  const size_t phones = std::min(c.phone_numbers.size(), kMaxWireItems);
  PutU16(out, static_cast<uint16_t>(phones));
  for (size_t i = 0; i < phones; ++i) PutPhone(out, c.phone_numbers[i]);
  const size_t emails = std::min(c.emails.size(), kMaxWireItems);
  PutU16(out, static_cast<uint16_t>(emails));
  for (size_t i = 0; i < emails; ++i) PutEmail(out, c.emails[i]);
  PutTags(out, c.tags);
}

void PutContact(std::string& out, const index::ContactRecord& record) {
  const RecordStrings strings{record.first_name(),   record.last_name(),
                              record.display_name(), record.company(),
                              record.job_title(),    record.external_id(),
                              record.notes()};
  PutContactHead(out, strings, record.id(), record.customer_id(),
                 record.source(), record.tm_create(), record.tm_update());
  PutRecordPhones(out, record);
  PutRecordEmails(out, record);
  PutRecordTags(out, record);
}

void PutPhoneSummary(std::string& out, const index::PhoneSlot& matched) {
  const index::ContactRecord& record = matched.record();
  PutUuid(out, record.id());
  PutUuid(out, matched.id);
  PutU8(out, static_cast<uint8_t>(matched.type));
  PutU8(out, ItemFlags(matched.is_primary()));
  PutSummaryTail(out, record);
}

void PutEmailSummary(std::string& out, const index::EmailSlot& matched) {
  const index::ContactRecord& record = matched.record();
  PutUuid(out, record.id());
  PutUuid(out, matched.id);
  PutU8(out, static_cast<uint8_t>(matched.type));
  PutU8(out, ItemFlags(matched.is_primary()));
  PutSummaryTail(out, record);
}

uint8_t ReadEnum(WireReader& r, std::string_view field, uint8_t max) {
  const uint8_t value = r.U8(field);
  if (value > max) r.Fail(field, "unknown enum value");
  return value;
}

// The Read* functions resize `out`'s vectors rather than clear them, and
// assign every field of each item, so decoding into a reused object reuses
// its strings' buffers (snapshot loading decodes millions this way).
void ReadTags(WireReader& r, std::vector<std::string>& out) {
  const uint16_t count = r.Count("tag_count", kMaxWireItems, kMinStringBytes);
  out.resize(r.ok() ? count : 0);
  for (uint16_t i = 0; i < count && r.ok(); ++i) out[i] = r.String("tag");
}

void ReadPhone(WireReader& r, index::PhoneNumber& out) {
  out.id = r.Uuid("phone.id");
  out.number = r.String("phone.number");
  out.number_e164 = r.String("phone.number_e164");
  out.type =
      static_cast<index::PhoneType>(ReadEnum(r, "phone.type", kMaxPhoneType));
  out.is_primary = ReadItemFlags(r, "phone.flags");
  out.tm_create = r.Time("phone.tm_create");
}

void ReadEmail(WireReader& r, index::Email& out) {
  out.id = r.Uuid("email.id");
  out.address = r.String("email.address");
  out.type =
      static_cast<index::EmailType>(ReadEnum(r, "email.type", kMaxEmailType));
  out.is_primary = ReadItemFlags(r, "email.flags");
  out.tm_create = r.Time("email.tm_create");
}

void ReadContact(WireReader& r, index::Contact& out) {
  out.id = r.Uuid("contact.id");
  out.customer_id = r.Uuid("contact.customer_id");
  out.first_name = r.String("contact.first_name");
  out.last_name = r.String("contact.last_name");
  out.display_name = r.String("contact.display_name");
  out.company = r.String("contact.company");
  out.job_title = r.String("contact.job_title");
  out.source =
      static_cast<index::Source>(ReadEnum(r, "contact.source", kMaxSource));
  out.external_id = r.String("contact.external_id");
  out.notes = r.String("contact.notes");
  out.tm_create = r.Time("contact.tm_create");
  out.tm_update = r.Time("contact.tm_update");
  const uint16_t phones =
      r.Count("contact.phone_count", kMaxWireItems, kMinPhoneBytes);
  out.phone_numbers.resize(phones);
  for (uint16_t i = 0; i < phones && r.ok(); ++i) {
    ReadPhone(r, out.phone_numbers[i]);
  }
  const uint16_t emails =
      r.Count("contact.email_count", kMaxWireItems, kMinEmailBytes);
  out.emails.resize(emails);
  for (uint16_t i = 0; i < emails && r.ok(); ++i) ReadEmail(r, out.emails[i]);
  ReadTags(r, out.tags);
}

void ReadContactSummary(WireReader& r, ContactSummary& out) {
  out.contact_id = r.Uuid("summary.contact_id");
  out.matched_id = r.Uuid("summary.matched_id");
  out.matched_type = ReadEnum(r, "summary.matched_type", kMaxPhoneType);
  out.matched_primary = ReadItemFlags(r, "summary.matched_flags");
  out.first_name = r.String("summary.first_name");
  out.last_name = r.String("summary.last_name");
  out.display_name = r.String("summary.display_name");
  out.company = r.String("summary.company");
  ReadTags(r, out.tags);
}

}  // namespace contactd::protocol
