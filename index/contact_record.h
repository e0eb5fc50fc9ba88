#pragma once
// ContactRecord: the immutable, compact form of a contact held by the index.
//
// One heap block per contact. Readers hold plain pointers to it (or into it,
// to one of its phone or email slots) for as long as their epoch guard lives;
// the writer never changes a published record, it builds a new one and
// retires the old (epoch.h). Layout, 8-byte aligned:
//
//   RecordHeader  56 bytes  ids, timestamps, counts, total size
//   PhoneSlot[]   32 bytes each: E.164 as integer, id, type, flags
//   EmailSlot[]   24 bytes each: id, type, flags
//   int64[]       per phone/email tm_create, only when one differs from the
//                 contact's tm_create (kHasItemTimes)
//   uint16[]      end offsets of the strings below (from the string area)
//   char[]        first, last, display, company, job title, external id,
//                 notes, then each phone as entered, each email, each tag
//
// A phone entered exactly as its E.164 form stores no string (kEnteredIsE164).
// Every slot knows its offset from the record start, so an index entry can
// point at a slot and still reach the whole contact. docs/architecture.md
// has the per-contact memory cost.

#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/time/time.h"
#include "index/contact.h"
#include "index/e164.h"
#include "index/uuid.h"

namespace contactd::index {

class ContactRecord;

struct PhoneSlot {
  static constexpr uint8_t kPrimary = 1;
  static constexpr uint8_t kEnteredIsE164 = 2;

  E164Number e164;
  Uuid id;
  uint16_t record_offset;  // bytes from the record start to this slot
  uint8_t index;           // position among the contact's phones
  PhoneType type;
  uint8_t flags;

  bool is_primary() const { return flags & kPrimary; }
  const ContactRecord& record() const {
    return *reinterpret_cast<const ContactRecord*>(
        reinterpret_cast<const char*>(this) - record_offset);
  }
};
static_assert(sizeof(PhoneSlot) == 32);

struct alignas(8) EmailSlot {
  static constexpr uint8_t kPrimary = 1;

  Uuid id;
  uint16_t record_offset;
  uint8_t index;
  EmailType type;
  uint8_t flags;

  bool is_primary() const { return flags & kPrimary; }
  const ContactRecord& record() const {
    return *reinterpret_cast<const ContactRecord*>(
        reinterpret_cast<const char*>(this) - record_offset);
  }
};
static_assert(sizeof(EmailSlot) == 24);

class ContactRecord {
 public:
  struct Deleter {
    void operator()(const ContactRecord* record) const { Destroy(record); }
  };
  using Ptr = std::unique_ptr<const ContactRecord, Deleter>;

  // Builds the record of a contact that passed ValidateContact and
  // normalization (number_e164 set, ids and timestamps assigned).
  static Ptr Build(const Contact& contact);
  static void Destroy(const ContactRecord* record);

  ContactRecord(const ContactRecord&) = delete;
  ContactRecord& operator=(const ContactRecord&) = delete;

  const Uuid& id() const { return header_.id; }
  const Uuid& customer_id() const { return header_.customer_id; }
  absl::Time tm_create() const {
    return absl::FromUnixMicros(header_.tm_create_us);
  }
  absl::Time tm_update() const {
    return absl::FromUnixMicros(header_.tm_update_us);
  }
  Source source() const { return header_.source; }
  // Total bytes of this record's heap block.
  size_t size_bytes() const { return header_.size; }

  std::string_view first_name() const { return String(kFirstName); }
  std::string_view last_name() const { return String(kLastName); }
  std::string_view display_name() const { return String(kDisplayName); }
  std::string_view company() const { return String(kCompany); }
  std::string_view job_title() const { return String(kJobTitle); }
  std::string_view external_id() const { return String(kExternalId); }
  std::string_view notes() const { return String(kNotes); }

  size_t phone_count() const { return header_.phone_count; }
  const PhoneSlot& phone(size_t i) const { return phones()[i]; }
  // The phone as entered ("(555) 123-4567"); empty when entered as E.164.
  std::string_view phone_entered(size_t i) const {
    return String(kFixedStrings + i);
  }
  absl::Time phone_tm_create(size_t i) const { return ItemTime(i); }

  size_t email_count() const { return header_.email_count; }
  const EmailSlot& email(size_t i) const { return emails()[i]; }
  std::string_view email_address(size_t i) const {
    return String(kFixedStrings + header_.phone_count + i);
  }
  absl::Time email_tm_create(size_t i) const {
    return ItemTime(header_.phone_count + i);
  }

  size_t tag_count() const { return header_.tag_count; }
  std::string_view tag(size_t i) const {
    return String(kFixedStrings + header_.phone_count + header_.email_count +
                  i);
  }

  // The slot holding `number` / `address` (normalized), or nullptr.
  const PhoneSlot* FindPhone(E164Number number) const;
  const EmailSlot* FindEmail(std::string_view address) const;
  bool HasTag(std::string_view tag) const;

  // Back to the owning value type.
  Contact ToContact() const;

 private:
  // String indexes in the string table.
  enum : size_t {
    kFirstName,
    kLastName,
    kDisplayName,
    kCompany,
    kJobTitle,
    kExternalId,
    kNotes,
    kFixedStrings
  };
  static constexpr uint8_t kHasItemTimes = 1;

  struct RecordHeader {
    Uuid id;
    Uuid customer_id;
    int64_t tm_create_us;
    int64_t tm_update_us;
    uint16_t size;
    Source source;
    uint8_t phone_count;
    uint8_t email_count;
    uint8_t tag_count;
    uint8_t flags;
  };
  static_assert(sizeof(RecordHeader) == 56);

  ContactRecord() = default;

  const char* base() const { return reinterpret_cast<const char*>(this); }
  const PhoneSlot* phones() const {
    return reinterpret_cast<const PhoneSlot*>(base() + sizeof(RecordHeader));
  }
  const EmailSlot* emails() const {
    return reinterpret_cast<const EmailSlot*>(phones() + header_.phone_count);
  }
  const int64_t* item_times() const {
    return reinterpret_cast<const int64_t*>(emails() + header_.email_count);
  }
  size_t item_time_count() const {
    return (header_.flags & kHasItemTimes)
               ? header_.phone_count + header_.email_count
               : 0;
  }
  const uint16_t* string_ends() const {
    return reinterpret_cast<const uint16_t*>(item_times() + item_time_count());
  }
  size_t string_count() const {
    return kFixedStrings + header_.phone_count + header_.email_count +
           header_.tag_count;
  }
  const char* string_area() const {
    return reinterpret_cast<const char*>(string_ends() + string_count());
  }
  std::string_view String(size_t i) const {
    const uint16_t begin = i == 0 ? 0 : string_ends()[i - 1];
    return {string_area() + begin,
            static_cast<size_t>(string_ends()[i] - begin)};
  }
  absl::Time ItemTime(size_t i) const {
    return (header_.flags & kHasItemTimes)
               ? absl::FromUnixMicros(item_times()[i])
               : tm_create();
  }

  friend class RecordBuilder;
  RecordHeader header_;
};

}  // namespace contactd::index
