#include "protocol/contact_codec.h"

#include <gtest/gtest.h>

#include "protocol/wire_writer.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;

index::Contact Decode(const std::string& bytes) {
  WireReader r(Bytes(bytes), "contact");
  index::Contact c;
  ReadContact(r, c);
  EXPECT_TRUE(r.Finish().ok()) << r.Finish();
  return c;
}

TEST(ContactCodecTest, FullContactRoundTrips) {
  const index::Contact c = testing::TypicalContact();
  std::string out;
  PutContact(out, c);
  EXPECT_EQ(Decode(out), c);
}

TEST(ContactCodecTest, UnsetTimesRoundTrip) {
  index::Contact c;
  c.customer_id = testing::TestTenant();
  c.phone_numbers.push_back({});
  std::string out;
  PutContact(out, c);
  EXPECT_EQ(out.size(), kMinContactBytes + kMinPhoneBytes);
  EXPECT_EQ(Decode(out), c);
}

TEST(ContactCodecTest, RecordAndContactEncodingsAreByteIdentical) {
  for (const index::Contact& c :
       {testing::TypicalContact(), testing::ExampleContact()}) {
    const index::ContactRecord::Ptr record = index::ContactRecord::Build(c);
    std::string from_contact, from_record;
    PutContact(from_contact, c);
    PutContact(from_record, *record);
    EXPECT_EQ(testing::Hex(from_record), testing::Hex(from_contact));
    std::string from_to_contact;
    PutContact(from_to_contact, record->ToContact());
    EXPECT_EQ(from_record, from_to_contact);
  }
}

TEST(ContactCodecTest, PhoneSummaryNamesTheMatchedPhone) {
  const index::ContactRecord::Ptr record =
      index::ContactRecord::Build(testing::TypicalContact());
  std::string out;
  PutPhoneSummary(out, record->phone(1));
  WireReader r(Bytes(out), "summary");
  ContactSummary s;
  ReadContactSummary(r, s);
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_EQ(s.contact_id, record->id());
  EXPECT_EQ(s.matched_id, record->phone(1).id);
  EXPECT_EQ(s.matched_type, static_cast<uint8_t>(index::PhoneType::kWork));
  EXPECT_FALSE(s.matched_primary);
  EXPECT_EQ(s.display_name, "Margaret Hamilton-Smythe");
  EXPECT_EQ(s.company, "Apollo Guidance Ltd");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"customer", "vip"}));
}

TEST(ContactCodecTest, EmailSummaryNamesTheMatchedEmail) {
  const index::ContactRecord::Ptr record =
      index::ContactRecord::Build(testing::TypicalContact());
  std::string out;
  PutEmailSummary(out, record->email(0));
  WireReader r(Bytes(out), "summary");
  ContactSummary s;
  ReadContactSummary(r, s);
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_EQ(s.matched_id, record->email(0).id);
  EXPECT_TRUE(s.matched_primary);
  EXPECT_EQ(s.first_name, "Margaret");
}

TEST(ContactCodecTest, UnknownPhoneTypeIsAnError) {
  index::Contact c = testing::ExampleContact();
  std::string out;
  PutContact(out, c);
  // The phone's type byte follows id, number and number_e164.
  const size_t phone_at = out.find("+15551234567") - 2 - 16;
  const size_t type_at = phone_at + 16 + 14 + 14;
  ASSERT_EQ(out[type_at], 1);  // kWork
  out[type_at] = 9;
  WireReader r(Bytes(out), "contact");
  index::Contact decoded;
  ReadContact(r, decoded);
  EXPECT_NE(r.status().message().find("phone.type"), std::string::npos)
      << r.status();
}

TEST(ContactCodecTest, UnknownItemFlagBitsAreAnError) {
  std::string out;
  PutEmail(out, testing::TypicalContact().emails[0]);
  out[out.size() - 9] = 0x03;  // flags precede the 8-byte tm_create
  WireReader r(Bytes(out), "email");
  index::Email e;
  ReadEmail(r, e);
  EXPECT_FALSE(r.ok());
}

TEST(ContactCodecTest, UnknownSourceIsAnError) {
  std::string out;
  PutContact(out, index::Contact{});
  out[32 + 10] = 4;  // source follows the ids and five empty strings
  WireReader r(Bytes(out), "contact");
  index::Contact c;
  ReadContact(r, c);
  EXPECT_NE(r.status().message().find("contact.source"), std::string::npos);
}

TEST(ContactCodecTest, PhoneCountBeyondTheRemainingBytesFailsBeforeAllocating) {
  std::string out;
  PutContact(out, index::Contact{});
  // Point phone_count at 255 phones with no bytes for them.
  out[kMinContactBytes - 6] = static_cast<char>(0xFF);
  WireReader r(Bytes(out), "contact");
  index::Contact c;
  ReadContact(r, c);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(c.phone_numbers.empty());
}

TEST(ContactCodecTest, TagCountBeyondTheWireLimitIsAnError) {
  std::string out;
  PutU16(out, kMaxWireItems + 1);
  for (size_t i = 0; i <= kMaxWireItems; ++i) PutString(out, "t");
  WireReader r(Bytes(out), "tags");
  std::vector<std::string> tags;
  ReadTags(r, tags);
  EXPECT_NE(r.status().message().find("count exceeds"), std::string::npos);
}

}  // namespace
}  // namespace contactd::protocol
