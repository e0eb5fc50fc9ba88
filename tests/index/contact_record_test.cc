// Tests for ContactRecord (contact_record.h): the compact immutable form of a
// contact, its round trip back to a Contact, and its slot lookups.

#include "index/contact_record.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/contact.h"
#include "index/e164.h"
#include "index/uuid.h"
#include "index/validation.h"

namespace contactd::index {
namespace {

const absl::Time kCreated = absl::FromUnixMicros(1'700'000'000'123'456);
const absl::Time kUpdated = absl::FromUnixMicros(1'700'000'500'654'321);

Uuid Id(uint8_t last) {
  std::array<uint8_t, Uuid::kSize> bytes{};
  bytes[0] = 0x10;
  bytes[15] = last;
  return Uuid(bytes);
}

// A contact as ContactStore hands it to Build: normalized, ids and times set.
Contact FullContact() {
  Contact c;
  c.id = Id(1);
  c.customer_id = Id(2);
  c.first_name = "Ada";
  c.last_name = "Lovelace";
  c.display_name = "Ada Lovelace";
  c.company = "Analytical Engines Ltd";
  c.job_title = "Programmer";
  c.source = Source::kSync;
  c.external_id = "crm-42";
  c.notes = "first programmer\nmultiline notes";
  c.tags = {"vip", "engineering", "caf\xc3\xa9"};
  c.phone_numbers = {
      // National format: the entered text is stored.
      {Id(10), "(555) 123-4567", "+15551234567", PhoneType::kWork, true,
       kCreated},
      // Entered as E.164: no string stored.
      {Id(11), "+442079460018", "+442079460018", PhoneType::kMobile, false,
       kCreated},
      {Id(12), "555.987.6543", "+15559876543", PhoneType::kFax, false,
       kCreated},
  };
  c.emails = {
      {Id(20), "ada@example.com", EmailType::kWork, false, kCreated},
      {Id(21), "ada.l@example.org", EmailType::kPersonal, true, kCreated},
  };
  c.tm_create = kCreated;
  c.tm_update = kUpdated;
  return c;
}

E164Number Number(std::string_view e164) {
  return *E164Number::FromStrict(e164);
}

TEST(ContactRecordTest, RoundTripKeepsEveryField) {
  const Contact c = FullContact();
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->ToContact(), c);
}

TEST(ContactRecordTest, AccessorsReturnTheHeaderFields) {
  const Contact c = FullContact();
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id(), c.id);
  EXPECT_EQ(r->customer_id(), c.customer_id);
  EXPECT_EQ(r->tm_create(), kCreated);
  EXPECT_EQ(r->tm_update(), kUpdated);
  EXPECT_EQ(r->source(), Source::kSync);
  EXPECT_EQ(r->first_name(), "Ada");
  EXPECT_EQ(r->last_name(), "Lovelace");
  EXPECT_EQ(r->display_name(), "Ada Lovelace");
  EXPECT_EQ(r->company(), "Analytical Engines Ltd");
  EXPECT_EQ(r->job_title(), "Programmer");
  EXPECT_EQ(r->external_id(), "crm-42");
  EXPECT_EQ(r->notes(), c.notes);
  EXPECT_EQ(r->phone_count(), 3u);
  EXPECT_EQ(r->email_count(), 2u);
  ASSERT_EQ(r->tag_count(), 3u);
  EXPECT_EQ(r->tag(2), "caf\xc3\xa9");
}

TEST(ContactRecordTest, PhoneSlotsKeepOrderTypeAndPrimary) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->phone(0).e164, Number("+15551234567"));
  EXPECT_EQ(r->phone(0).type, PhoneType::kWork);
  EXPECT_TRUE(r->phone(0).is_primary());
  EXPECT_EQ(r->phone(1).e164, Number("+442079460018"));
  EXPECT_FALSE(r->phone(1).is_primary());
  EXPECT_EQ(r->phone(2).type, PhoneType::kFax);
  EXPECT_EQ(r->phone(2).id, Id(12));
}

TEST(ContactRecordTest, NationalFormatPhoneKeepsTheEnteredText) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->phone_entered(0), "(555) 123-4567");
  EXPECT_FALSE(r->phone(0).flags & PhoneSlot::kEnteredIsE164);
  EXPECT_EQ(r->ToContact().phone_numbers[0].number, "(555) 123-4567");
  EXPECT_EQ(r->ToContact().phone_numbers[0].number_e164, "+15551234567");
}

TEST(ContactRecordTest, PhoneEnteredAsE164StoresNoStringAndRoundTrips) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->phone(1).flags & PhoneSlot::kEnteredIsE164);
  EXPECT_EQ(r->phone_entered(1), "");
  const Contact back = r->ToContact();
  EXPECT_EQ(back.phone_numbers[1].number, "+442079460018");
  EXPECT_EQ(back.phone_numbers[1].number_e164, "+442079460018");
}

TEST(ContactRecordTest, E164EntryIsSmallerThanTheSameNumberEnteredNationally) {
  Contact national;
  national.id = Id(1);
  national.customer_id = Id(2);
  national.phone_numbers = {{Id(3), "5551234567", "+15551234567",
                             PhoneType::kMobile, false, absl::InfinitePast()}};
  Contact e164 = national;
  e164.phone_numbers[0].number = "+15551234567";
  const auto a = ContactRecord::Build(national);
  const auto b = ContactRecord::Build(e164);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->size_bytes(), b->size_bytes() + 10);
}

TEST(ContactRecordTest, ItemTimesEqualToTheContactsAreNotStored) {
  const Contact same = FullContact();
  Contact differs = same;
  differs.emails[1].tm_create = kCreated + absl::Seconds(1);
  const auto a = ContactRecord::Build(same);
  const auto b = ContactRecord::Build(differs);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  // One int64 per phone and email once any item time differs.
  EXPECT_EQ(b->size_bytes(), a->size_bytes() + 8 * (3 + 2));
  EXPECT_EQ(a->phone_tm_create(2), kCreated);
  EXPECT_EQ(a->email_tm_create(1), kCreated);
}

TEST(ContactRecordTest, PerItemTmCreateDifferentFromContactRoundTrips) {
  Contact c = FullContact();
  c.phone_numbers[0].tm_create = kCreated - absl::Hours(24);
  c.phone_numbers[2].tm_create = kCreated + absl::Microseconds(1);
  c.emails[0].tm_create = kCreated + absl::Hours(3);
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->phone_tm_create(0), kCreated - absl::Hours(24));
  EXPECT_EQ(r->phone_tm_create(1), kCreated);
  EXPECT_EQ(r->phone_tm_create(2), kCreated + absl::Microseconds(1));
  EXPECT_EQ(r->email_tm_create(0), kCreated + absl::Hours(3));
  EXPECT_EQ(r->email_tm_create(1), kCreated);
  EXPECT_EQ(r->ToContact(), c);
}

TEST(ContactRecordTest, TimesBefore1970RoundTrip) {
  Contact c = FullContact();
  c.tm_create = absl::FromUnixMicros(-86'400'000'001);
  c.tm_update = absl::FromUnixMicros(-1);
  c.phone_numbers[0].tm_create = absl::FromUnixMicros(-5);
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->ToContact(), c);
}

TEST(ContactRecordTest, EmptyStringsAndNoItemsRoundTrip) {
  Contact c;
  c.id = Id(1);
  c.customer_id = Id(2);
  c.tm_create = kCreated;
  c.tm_update = kCreated;
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->first_name(), "");
  EXPECT_EQ(r->notes(), "");
  EXPECT_EQ(r->phone_count(), 0u);
  EXPECT_EQ(r->email_count(), 0u);
  EXPECT_EQ(r->tag_count(), 0u);
  EXPECT_EQ(r->ToContact(), c);
}

TEST(ContactRecordTest, EmptyFieldsBetweenNonEmptyOnesRoundTrip) {
  Contact c = FullContact();
  c.last_name.clear();
  c.company.clear();
  c.external_id.clear();
  c.phone_numbers[2].number = "";  // stored as entered (not equal to E.164)
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->display_name(), "Ada Lovelace");
  EXPECT_EQ(r->job_title(), "Programmer");
  EXPECT_EQ(r->ToContact(), c);
}

TEST(ContactRecordTest, EmbeddedNulBytesRoundTrip) {
  Contact c = FullContact();
  c.notes = std::string("a\0b\0c", 5);
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->notes().size(), 5u);
  EXPECT_EQ(r->ToContact(), c);
}

// Every field, phone, email and tag at the limit of validation.h.
Contact MaxContact() {
  Contact c;
  c.id = Id(1);
  c.customer_id = Id(2);
  c.first_name = std::string(FieldLimits::kName, 'f');
  c.last_name = std::string(FieldLimits::kName, 'l');
  c.job_title = std::string(FieldLimits::kName, 'j');
  c.display_name = std::string(FieldLimits::kDisplayName, 'd');
  c.company = std::string(FieldLimits::kCompany, 'c');
  c.external_id = std::string(FieldLimits::kExternalId, 'e');
  c.notes = std::string(FieldLimits::kNotes, 'n');
  c.tm_create = kCreated;
  c.tm_update = kUpdated;
  for (size_t i = 0; i < FieldLimits::kPhones; ++i) {
    const std::string e164 = "+1555000" + std::to_string(1000 + i);
    std::string entered(FieldLimits::kPhoneInput, ' ');
    entered.replace(0, e164.size(), e164);
    c.phone_numbers.push_back({Id(static_cast<uint8_t>(100 + i)), entered, e164,
                               PhoneType::kHome, i == 7,
                               kCreated + absl::Seconds(i)});
  }
  for (size_t i = 0; i < FieldLimits::kEmails; ++i) {
    std::string address = std::to_string(1000 + i) + "@example.com";
    address = std::string(FieldLimits::kEmail - address.size(), 'a') + address;
    c.emails.push_back({Id(static_cast<uint8_t>(200 + i)), address,
                        EmailType::kOther, i == 31,
                        kCreated - absl::Seconds(i)});
  }
  for (size_t i = 0; i < FieldLimits::kTags; ++i) {
    std::string tag = std::to_string(1000 + i);
    c.tags.push_back(std::string(FieldLimits::kTag - tag.size(), 't') + tag);
  }
  return c;
}

TEST(ContactRecordTest, MaxSizeContactIsValidAndRoundTrips) {
  const Contact c = MaxContact();
  ASSERT_TRUE(ValidateContact(c).ok()) << ValidateContact(c);
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->phone_count(), 32u);
  EXPECT_EQ(r->email_count(), 32u);
  EXPECT_EQ(r->tag_count(), 64u);
  EXPECT_EQ(r->ToContact(), c);
}

TEST(ContactRecordTest, MaxSizeContactSlotsPointBackToTheRecord) {
  const ContactRecord::Ptr r = ContactRecord::Build(MaxContact());
  ASSERT_NE(r, nullptr);
  for (size_t i = 0; i < r->phone_count(); ++i) {
    EXPECT_EQ(&r->phone(i).record(), r.get()) << i;
  }
  for (size_t i = 0; i < r->email_count(); ++i) {
    EXPECT_EQ(&r->email(i).record(), r.get()) << i;
  }
}

TEST(ContactRecordTest, RecordOver64KiBIsNotBuilt) {
  // Beyond what validation allows: Build refuses rather than truncating.
  Contact c = FullContact();
  c.notes = std::string(70000, 'n');
  EXPECT_EQ(ContactRecord::Build(c), nullptr);
}

TEST(ContactRecordTest, SizeBytesCountsTheWholeBlock) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  const size_t strings = 3 + 8 + 12 + 22 + 10 + 6 + 32 +  // fixed fields
                         14 + 0 + 12 +                    // phones as entered
                         15 + 17 +                        // emails
                         3 + 11 + 5;                      // tags
  // Header, 3 phone slots, 2 email slots, 15 string ends, the strings.
  EXPECT_EQ(r->size_bytes(), 56 + 3 * 32 + 2 * 24 + 2 * 15 + strings);
}

TEST(ContactRecordTest, RecordAndSlotsAreAligned) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(r.get()) % 8, 0u);
  for (size_t i = 0; i < r->phone_count(); ++i) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(&r->phone(i)) % 8, 0u);
  }
  for (size_t i = 0; i < r->email_count(); ++i) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(&r->email(i)) % 8, 0u);
  }
}

// ---- Slot lookups
// ---------------------------------------------------------------

TEST(ContactRecordTest, FindPhoneReturnsTheSlotOfTheNumber) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  const PhoneSlot* slot = r->FindPhone(Number("+15559876543"));
  ASSERT_NE(slot, nullptr);
  EXPECT_EQ(slot, &r->phone(2));
  EXPECT_EQ(slot->index, 2);
  EXPECT_EQ(slot->id, Id(12));
}

TEST(ContactRecordTest, FindPhoneOfAnotherNumberIsNull) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->FindPhone(Number("+15551234568")), nullptr);
  EXPECT_EQ(r->FindPhone(E164Number()), nullptr);
}

TEST(ContactRecordTest, FindEmailReturnsTheSlotOfTheAddress) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  const EmailSlot* slot = r->FindEmail("ada.l@example.org");
  ASSERT_NE(slot, nullptr);
  EXPECT_EQ(slot, &r->email(1));
  EXPECT_EQ(slot->index, 1);
  EXPECT_TRUE(slot->is_primary());
  EXPECT_EQ(slot->type, EmailType::kPersonal);
}

TEST(ContactRecordTest, FindEmailComparesNormalizedAddressesExactly) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  // The record holds normalized (lowercase) addresses; callers normalize.
  EXPECT_EQ(r->FindEmail("ADA@example.com"), nullptr);
  EXPECT_EQ(r->FindEmail("ada@example.co"), nullptr);
  EXPECT_EQ(r->FindEmail(""), nullptr);
}

TEST(ContactRecordTest, HasTagMatchesWholeTagsOnly) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->HasTag("vip"));
  EXPECT_TRUE(r->HasTag("caf\xc3\xa9"));
  EXPECT_FALSE(r->HasTag("vi"));
  EXPECT_FALSE(r->HasTag("VIP"));
  EXPECT_FALSE(r->HasTag(""));
}

TEST(ContactRecordTest, ContactWithoutTagsHasNoTag) {
  Contact c = FullContact();
  c.tags.clear();
  const ContactRecord::Ptr r = ContactRecord::Build(c);
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->HasTag("vip"));
  EXPECT_FALSE(r->HasTag(""));
}

TEST(ContactRecordTest, PhoneSlotRecordPointsBackToTheRecord) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  for (size_t i = 0; i < r->phone_count(); ++i) {
    const PhoneSlot& slot = r->phone(i);
    EXPECT_EQ(&slot.record(), r.get());
    EXPECT_EQ(slot.index, i);
    EXPECT_EQ(slot.record_offset, 56 + 32 * i);
  }
}

TEST(ContactRecordTest, EmailSlotRecordPointsBackToTheRecord) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  for (size_t i = 0; i < r->email_count(); ++i) {
    const EmailSlot& slot = r->email(i);
    EXPECT_EQ(&slot.record(), r.get());
    EXPECT_EQ(slot.index, i);
    EXPECT_EQ(slot.record_offset, 56 + 32 * 3 + 24 * i);
    EXPECT_EQ(slot.record().email_address(slot.index),
              FullContact().emails[i].address);
  }
}

TEST(ContactRecordTest, SlotFoundByLookupReachesTheWholeContact) {
  const ContactRecord::Ptr r = ContactRecord::Build(FullContact());
  ASSERT_NE(r, nullptr);
  const PhoneSlot* slot = r->FindPhone(Number("+442079460018"));
  ASSERT_NE(slot, nullptr);
  EXPECT_EQ(slot->record().first_name(), "Ada");
  EXPECT_EQ(slot->record().external_id(), "crm-42");
}

TEST(ContactRecordTest, DestroyOfNullIsANoOp) {
  ContactRecord::Destroy(nullptr);
}

}  // namespace
}  // namespace contactd::index
