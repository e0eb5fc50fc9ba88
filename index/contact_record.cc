#include "index/contact_record.h"

#include <cstring>
#include <limits>
#include <new>

#include "absl/container/inlined_vector.h"

namespace contactd::index {

// Lays a Contact out in one block; see the layout in contact_record.h.
class RecordBuilder {
 public:
  explicit RecordBuilder(const Contact& c) : c_(c) {
    CollectStrings();
    has_item_times_ = AnyItemTimeDiffers();
  }

  ContactRecord::Ptr Build() {
    const size_t size = TotalSize();
    if (size > std::numeric_limits<uint16_t>::max()) return nullptr;
    char* block = static_cast<char*>(::operator new(size));
    auto* record = new (block) ContactRecord();
    WriteHeader(record->header_, size);
    char* out = block + sizeof(ContactRecord::RecordHeader);
    out = WritePhones(out, block);
    out = WriteEmails(out, block);
    out = WriteItemTimes(out);
    WriteStrings(out);
    return ContactRecord::Ptr(record);
  }

 private:
  void CollectStrings() {
    strings_.assign({c_.first_name, c_.last_name, c_.display_name, c_.company,
                     c_.job_title, c_.external_id, c_.notes});
    for (const PhoneNumber& p : c_.phone_numbers) {
      strings_.push_back(EnteredIsE164(p) ? std::string_view() : p.number);
    }
    for (const Email& e : c_.emails) strings_.push_back(e.address);
    for (const std::string& t : c_.tags) strings_.push_back(t);
  }

  static bool EnteredIsE164(const PhoneNumber& p) {
    return p.number == p.number_e164;
  }

  bool AnyItemTimeDiffers() const {
    for (const PhoneNumber& p : c_.phone_numbers) {
      if (p.tm_create != c_.tm_create) return true;
    }
    for (const Email& e : c_.emails) {
      if (e.tm_create != c_.tm_create) return true;
    }
    return false;
  }

  size_t TotalSize() const {
    size_t size = sizeof(ContactRecord::RecordHeader) +
                  sizeof(PhoneSlot) * c_.phone_numbers.size() +
                  sizeof(EmailSlot) * c_.emails.size() +
                  sizeof(uint16_t) * strings_.size();
    if (has_item_times_) {
      size += sizeof(int64_t) * (c_.phone_numbers.size() + c_.emails.size());
    }
    for (std::string_view s : strings_) size += s.size();
    return size;
  }

  void WriteHeader(ContactRecord::RecordHeader& h, size_t size) const {
    h.id = c_.id;
    h.customer_id = c_.customer_id;
    h.tm_create_us = absl::ToUnixMicros(c_.tm_create);
    h.tm_update_us = absl::ToUnixMicros(c_.tm_update);
    h.size = static_cast<uint16_t>(size);
    h.source = c_.source;
    h.phone_count = static_cast<uint8_t>(c_.phone_numbers.size());
    h.email_count = static_cast<uint8_t>(c_.emails.size());
    h.tag_count = static_cast<uint8_t>(c_.tags.size());
    h.flags = has_item_times_ ? ContactRecord::kHasItemTimes : 0;
  }

  char* WritePhones(char* out, const char* block) const {
    for (size_t i = 0; i < c_.phone_numbers.size(); ++i) {
      const PhoneNumber& p = c_.phone_numbers[i];
      auto* slot = new (out) PhoneSlot();
      slot->e164 = E164Number::FromStrict(p.number_e164).value_or(E164Number());
      slot->id = p.id;
      slot->record_offset = static_cast<uint16_t>(out - block);
      slot->index = static_cast<uint8_t>(i);
      slot->type = p.type;
      slot->flags = (p.is_primary ? PhoneSlot::kPrimary : 0) |
                    (EnteredIsE164(p) ? PhoneSlot::kEnteredIsE164 : 0);
      out += sizeof(PhoneSlot);
    }
    return out;
  }

  char* WriteEmails(char* out, const char* block) const {
    for (size_t i = 0; i < c_.emails.size(); ++i) {
      const Email& e = c_.emails[i];
      auto* slot = new (out) EmailSlot();
      slot->id = e.id;
      slot->record_offset = static_cast<uint16_t>(out - block);
      slot->index = static_cast<uint8_t>(i);
      slot->type = e.type;
      slot->flags = e.is_primary ? EmailSlot::kPrimary : 0;
      out += sizeof(EmailSlot);
    }
    return out;
  }

  char* WriteItemTimes(char* out) const {
    if (!has_item_times_) return out;
    auto put = [&out](absl::Time t) {
      const int64_t us = absl::ToUnixMicros(t);
      std::memcpy(out, &us, sizeof(us));
      out += sizeof(us);
    };
    for (const PhoneNumber& p : c_.phone_numbers) put(p.tm_create);
    for (const Email& e : c_.emails) put(e.tm_create);
    return out;
  }

  void WriteStrings(char* out) const {
    char* area = out + sizeof(uint16_t) * strings_.size();
    uint16_t end = 0;
    for (std::string_view s : strings_) {
      // An empty view may have a null data() (a phone entered as E.164), and
      // memcpy from null is undefined even for 0 bytes.
      if (!s.empty()) std::memcpy(area + end, s.data(), s.size());
      end = static_cast<uint16_t>(end + s.size());
      std::memcpy(out, &end, sizeof(end));
      out += sizeof(end);
    }
  }

  const Contact& c_;
  // Inline for typical contacts: no allocation besides the record itself.
  absl::InlinedVector<std::string_view, 24> strings_;
  bool has_item_times_ = false;
};

ContactRecord::Ptr ContactRecord::Build(const Contact& contact) {
  return RecordBuilder(contact).Build();
}

void ContactRecord::Destroy(const ContactRecord* record) {
  if (record == nullptr) return;
  record->~ContactRecord();
  ::operator delete(const_cast<ContactRecord*>(record));
}

const PhoneSlot* ContactRecord::FindPhone(E164Number number) const {
  for (size_t i = 0; i < phone_count(); ++i) {
    if (phones()[i].e164 == number) return &phones()[i];
  }
  return nullptr;
}

const EmailSlot* ContactRecord::FindEmail(std::string_view address) const {
  for (size_t i = 0; i < email_count(); ++i) {
    if (email_address(i) == address) return &emails()[i];
  }
  return nullptr;
}

bool ContactRecord::HasTag(std::string_view wanted) const {
  for (size_t i = 0; i < tag_count(); ++i) {
    if (tag(i) == wanted) return true;
  }
  return false;
}

Contact ContactRecord::ToContact() const {
  Contact c;
  c.id = id();
  c.customer_id = customer_id();
  c.first_name = first_name();
  c.last_name = last_name();
  c.display_name = display_name();
  c.company = company();
  c.job_title = job_title();
  c.source = source();
  c.external_id = external_id();
  c.notes = notes();
  c.tm_create = tm_create();
  c.tm_update = tm_update();
  for (size_t i = 0; i < phone_count(); ++i) {
    const PhoneSlot& s = phone(i);
    const std::string e164 = s.e164.ToString();
    const bool as_e164 = s.flags & PhoneSlot::kEnteredIsE164;
    c.phone_numbers.push_back(
        {s.id, as_e164 ? e164 : std::string(phone_entered(i)), e164, s.type,
         s.is_primary(), phone_tm_create(i)});
  }
  for (size_t i = 0; i < email_count(); ++i) {
    const EmailSlot& s = email(i);
    c.emails.push_back({s.id, std::string(email_address(i)), s.type,
                        s.is_primary(), email_tm_create(i)});
  }
  for (size_t i = 0; i < tag_count(); ++i) c.tags.emplace_back(tag(i));
  return c;
}

}  // namespace contactd::index
