// Tests for ContactStore (contact_store.h) and, through it, the semantics of
// ContactIndex (contact_index.h): upsert resolution, lookups and their order,
// tenant isolation, tag lists, every partial mutation, and a large randomized
// run checked against a simple model.
//
// Times are whole seconds from a fixed base (WriteOptions.now), never the
// wall clock; random data comes from fixed-seed generators.

#include "index/contact_store.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/contact.h"
#include "index/e164.h"
#include "index/email_normalizer.h"
#include "index/epoch.h"
#include "index/errors.h"
#include "index/list_index.h"
#include "index/uuid.h"

namespace contactd::index {

// Lets gtest print a Reason by name and a Uuid as text.
void PrintTo(Reason reason, std::ostream* os) { *os << ReasonName(reason); }
void PrintTo(const Uuid& id, std::ostream* os) { *os << id.ToString(); }

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

absl::Time At(int64_t seconds) {
  return absl::FromUnixSeconds(1'700'000'000 + seconds);
}
WriteOptions AtTime(int64_t seconds, std::string region = "") {
  WriteOptions options;
  options.now = At(seconds);
  options.region = std::move(region);
  return options;
}

// Ids whose order is obvious: MakeId(1) < MakeId(2) < ...
Uuid MakeId(uint32_t n, uint8_t top = 0x42) {
  std::array<uint8_t, Uuid::kSize> bytes{};
  bytes[0] = top;
  bytes[12] = static_cast<uint8_t>(n >> 24);
  bytes[13] = static_cast<uint8_t>(n >> 16);
  bytes[14] = static_cast<uint8_t>(n >> 8);
  bytes[15] = static_cast<uint8_t>(n);
  return Uuid(bytes);
}

const Uuid kTenantA = MakeId(1, 0xa0);
const Uuid kTenantB = MakeId(2, 0xb0);

E164Number Num(std::string_view e164) {
  const std::optional<E164Number> n = E164Number::FromStrict(e164);
  EXPECT_TRUE(n.has_value()) << e164;
  return n.value_or(E164Number());
}

PhoneNumber Phone(std::string number, bool primary = false,
                  PhoneType type = PhoneType::kMobile) {
  PhoneNumber p;
  p.number = std::move(number);
  p.is_primary = primary;
  p.type = type;
  return p;
}

Email Mail(std::string address, bool primary = false,
           EmailType type = EmailType::kWork) {
  Email e;
  e.address = std::move(address);
  e.is_primary = primary;
  e.type = type;
  return e;
}

Contact NewContact(const Uuid& tenant, std::string first_name,
                   std::vector<PhoneNumber> phones = {},
                   std::vector<Email> emails = {},
                   std::vector<std::string> tags = {}) {
  Contact c;
  c.customer_id = tenant;
  c.first_name = std::move(first_name);
  c.phone_numbers = std::move(phones);
  c.emails = std::move(emails);
  c.tags = std::move(tags);
  return c;
}

void ExpectError(const absl::Status& status, absl::StatusCode code,
                 Reason reason) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_EQ(ReasonOf(status), reason) << status;
}

std::set<std::string> E164Set(const Contact& c) {
  std::set<std::string> out;
  for (const PhoneNumber& p : c.phone_numbers) out.insert(p.number_e164);
  return out;
}

class ContactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ContactStore>> store =
        ContactStore::Create("US");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  const ContactIndex& index() const { return store_->index(); }

  // Upserts and expects success.
  UpsertResult Put(Contact c, const WriteOptions& options = AtTime(0)) {
    absl::StatusOr<UpsertResult> r = store_->Upsert(std::move(c), options);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : UpsertResult{};
  }
  Uuid Create(Contact c, const WriteOptions& options = AtTime(0)) {
    return Put(std::move(c), options).contact.id;
  }

  // The stored contact, or nullopt.
  std::optional<Contact> Get(const Uuid& tenant, const Uuid& id) const {
    EpochGuard guard;
    const ContactRecord* r = index().FindById(tenant, id);
    if (r == nullptr) return std::nullopt;
    return r->ToContact();
  }

  struct Hit {
    std::optional<Uuid> first;
    uint32_t count = 0;
  };
  Hit ByPhone(const Uuid& tenant, std::string_view e164) const {
    EpochGuard guard;
    const E164Number number = Num(e164);
    const Lookup<PhoneSlot> hit = index().FindByPhone(tenant, number);
    if (hit.first == nullptr) {
      EXPECT_EQ(hit.match_count, 0u);
      return {};
    }
    EXPECT_NE(hit.first->record().FindPhone(number), nullptr);
    EXPECT_EQ(hit.first->record().customer_id(), tenant);
    return {hit.first->record().id(), hit.match_count};
  }
  Hit ByEmail(const Uuid& tenant, std::string_view raw_address) const {
    const absl::StatusOr<NormalizedEmail> address = NormalizeEmail(raw_address);
    EXPECT_TRUE(address.ok()) << address.status();
    EpochGuard guard;
    const Lookup<EmailSlot> hit = index().FindByEmail(tenant, address->view());
    if (hit.first == nullptr) {
      EXPECT_EQ(hit.match_count, 0u);
      return {};
    }
    EXPECT_NE(hit.first->record().FindEmail(address->view()), nullptr);
    EXPECT_EQ(hit.first->record().customer_id(), tenant);
    return {hit.first->record().id(), hit.match_count};
  }
  std::vector<Uuid> AllByPhone(const Uuid& tenant, std::string_view e164,
                               size_t max = ContactIndex::kMaxMatches,
                               size_t* total = nullptr) const {
    EpochGuard guard;
    std::vector<const PhoneSlot*> out(max);
    const size_t n =
        index().FindAllByPhone(tenant, Num(e164), absl::MakeSpan(out));
    if (total != nullptr) *total = n;
    std::vector<Uuid> ids;
    for (size_t i = 0; i < std::min(n, max); ++i)
      ids.push_back(out[i]->record().id());
    return ids;
  }
  std::vector<Uuid> AllByEmail(const Uuid& tenant,
                               std::string_view address) const {
    EpochGuard guard;
    std::vector<const EmailSlot*> out(ContactIndex::kMaxMatches);
    const size_t n =
        index().FindAllByEmail(tenant, address, absl::MakeSpan(out));
    std::vector<Uuid> ids;
    for (size_t i = 0; i < std::min(n, out.size()); ++i) {
      ids.push_back(out[i]->record().id());
    }
    return ids;
  }
  std::optional<Uuid> ByExternalId(const Uuid& tenant,
                                   std::string_view external_id) const {
    EpochGuard guard;
    const ContactRecord* r = index().FindByExternalId(tenant, external_id);
    if (r == nullptr) return std::nullopt;
    return r->id();
  }
  // One page of a list.
  std::vector<Uuid> ListPage(const Uuid& tenant, std::string_view tag,
                             const Uuid* after, size_t page) const {
    EpochGuard guard;
    std::vector<const ContactRecord*> out(page);
    const size_t n = index().List(tenant, tag, after, absl::MakeSpan(out));
    std::vector<Uuid> ids;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(out[i]->customer_id(), tenant);
      if (tag != kAllContacts) {
        EXPECT_TRUE(out[i]->HasTag(tag));
      }
      ids.push_back(out[i]->id());
    }
    return ids;
  }
  // The whole list, fetched in pages of `page`.
  std::vector<Uuid> ListAll(const Uuid& tenant, std::string_view tag,
                            size_t page = 1000) const {
    std::vector<Uuid> all;
    std::optional<Uuid> after;
    while (true) {
      const std::vector<Uuid> ids =
          ListPage(tenant, tag, after ? &*after : nullptr, page);
      all.insert(all.end(), ids.begin(), ids.end());
      if (ids.size() < page) break;
      after = ids.back();
    }
    return all;
  }
  size_t ListSize(const Uuid& tenant, std::string_view tag) const {
    EpochGuard guard;
    return index().ListSize(tenant, tag);
  }
  IndexStats Stats() const {
    EpochGuard guard;
    return index().Stats();
  }

  std::unique_ptr<ContactStore> store_;
};

// ---- Upsert: create
// ---------------------------------------------------------------

TEST_F(ContactStoreTest, UpsertCreatesAContactWithIdsAndTimesAssigned) {
  const UpsertResult r =
      Put(NewContact(kTenantA, "Ada", {Phone("+15551230001")},
                     {Mail("ada@example.com")}),
          AtTime(10));
  EXPECT_TRUE(r.created);
  EXPECT_FALSE(r.contact.id.is_nil());
  EXPECT_EQ(r.contact.tm_create, At(10));
  EXPECT_EQ(r.contact.tm_update, At(10));
  ASSERT_EQ(r.contact.phone_numbers.size(), 1u);
  EXPECT_FALSE(r.contact.phone_numbers[0].id.is_nil());
  EXPECT_EQ(r.contact.phone_numbers[0].tm_create, At(10));
  ASSERT_EQ(r.contact.emails.size(), 1u);
  EXPECT_FALSE(r.contact.emails[0].id.is_nil());
  EXPECT_EQ(r.contact.emails[0].tm_create, At(10));
  EXPECT_EQ(index().size(), 1u);
}

TEST_F(ContactStoreTest, UpsertResultEqualsTheStoredContact) {
  const UpsertResult r =
      Put(NewContact(kTenantA, "Ada", {Phone("(555) 123-0001", true)},
                     {Mail("Ada@Example.com")}, {"vip"}),
          AtTime(10));
  EXPECT_EQ(Get(kTenantA, r.contact.id), r.contact);
}

TEST_F(ContactStoreTest,
       UpsertResultEqualsTheStoredContactForASubMicrosecondNow) {
  // The default WriteOptions.now is absl::Now(), which has nanoseconds.
  WriteOptions options;
  options.now = absl::FromUnixNanos(1'700'000'000'123'456'789);
  const UpsertResult r =
      Put(NewContact(kTenantA, "Ada", {Phone("+15551230001")},
                     {Mail("ada@example.com")}),
          options);
  EXPECT_EQ(Get(kTenantA, r.contact.id), r.contact);
}

TEST_F(ContactStoreTest, UpsertKeepsACallerChosenNewId) {
  Contact c = NewContact(kTenantA, "Ada");
  c.id = MakeId(77);
  const UpsertResult r = Put(c);
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.contact.id, MakeId(77));
  EXPECT_TRUE(Get(kTenantA, MakeId(77)).has_value());
}

TEST_F(ContactStoreTest, UpsertNormalizesPhonesAndKeepsTheEnteredText) {
  const UpsertResult r =
      Put(NewContact(kTenantA, "Ada", {Phone("(555) 123-4567")}));
  ASSERT_EQ(r.contact.phone_numbers.size(), 1u);
  EXPECT_EQ(r.contact.phone_numbers[0].number, "(555) 123-4567");
  EXPECT_EQ(r.contact.phone_numbers[0].number_e164, "+15551234567");
  EXPECT_EQ(Get(kTenantA, r.contact.id)->phone_numbers[0].number,
            "(555) 123-4567");
}

TEST_F(ContactStoreTest, UpsertIgnoresAClientSuppliedE164Form) {
  Contact c = NewContact(kTenantA, "Ada", {Phone("(555) 123-4567")});
  c.phone_numbers[0].number_e164 = "+19999999999";  // untrusted; recomputed
  const UpsertResult r = Put(c);
  EXPECT_EQ(r.contact.phone_numbers[0].number_e164, "+15551234567");
  EXPECT_FALSE(ByPhone(kTenantA, "+19999999999").first.has_value());
}

TEST_F(ContactStoreTest, UpsertUsesTheRegionOverrideForNationalNumbers) {
  const UpsertResult r = Put(
      NewContact(kTenantA, "Ada", {Phone("020 7946 0018")}), AtTime(0, "GB"));
  ASSERT_EQ(r.contact.phone_numbers.size(), 1u);
  EXPECT_EQ(r.contact.phone_numbers[0].number_e164, "+442079460018");
  EXPECT_EQ(ByPhone(kTenantA, "+442079460018").first, r.contact.id);
}

TEST_F(ContactStoreTest, UpsertLowercasesEmails) {
  const UpsertResult r =
      Put(NewContact(kTenantA, "Ada", {}, {Mail("  Ada@Example.COM ")}));
  ASSERT_EQ(r.contact.emails.size(), 1u);
  EXPECT_EQ(r.contact.emails[0].address, "ada@example.com");
}

TEST_F(ContactStoreTest, UpsertDropsRepeatedTagsKeepingTheFirst) {
  const UpsertResult r =
      Put(NewContact(kTenantA, "Ada", {}, {}, {"b", "a", "b", "a", "c"}));
  EXPECT_THAT(r.contact.tags, ElementsAre("b", "a", "c"));
  EXPECT_EQ(ListSize(kTenantA, "b"), 1u);
}

TEST_F(ContactStoreTest, UpsertWithNilCustomerIdIsInvalidId) {
  const absl::StatusOr<UpsertResult> r =
      store_->Upsert(NewContact(Uuid(), "Ada"));
  ExpectError(r.status(), absl::StatusCode::kInvalidArgument,
              Reason::kInvalidId);
  EXPECT_EQ(index().size(), 0u);
}

TEST_F(ContactStoreTest, UpsertWithAnonymousPhoneIsInvalidPhone) {
  const absl::StatusOr<UpsertResult> r =
      store_->Upsert(NewContact(kTenantA, "Ada", {Phone("anonymous")}));
  ExpectError(r.status(), absl::StatusCode::kInvalidArgument,
              Reason::kInvalidPhone);
  EXPECT_EQ(index().size(), 0u);
}

TEST_F(ContactStoreTest, UpsertWithMalformedEmailIsInvalidEmail) {
  const absl::StatusOr<UpsertResult> r =
      store_->Upsert(NewContact(kTenantA, "Ada", {}, {Mail("ada@localhost")}));
  ExpectError(r.status(), absl::StatusCode::kInvalidArgument,
              Reason::kInvalidEmail);
  EXPECT_EQ(index().size(), 0u);
}

TEST_F(ContactStoreTest, UpsertWithTooLongFieldStoresNothing) {
  Contact c =
      NewContact(kTenantA, std::string(101, 'a'), {Phone("+15551230001")});
  const absl::StatusOr<UpsertResult> r = store_->Upsert(c);
  ExpectError(r.status(), absl::StatusCode::kInvalidArgument,
              Reason::kFieldTooLong);
  EXPECT_EQ(index().size(), 0u);
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230001").first.has_value());
}

TEST_F(ContactStoreTest, UpsertWithSameNumberInTwoFormatsIsDuplicatePhone) {
  const absl::StatusOr<UpsertResult> r = store_->Upsert(NewContact(
      kTenantA, "Ada", {Phone("(555) 123-4567"), Phone("+1 555 123 4567")}));
  ExpectError(r.status(), absl::StatusCode::kInvalidArgument,
              Reason::kDuplicatePhone);
}

TEST_F(ContactStoreTest, UpsertWithSameEmailInTwoCasesIsDuplicateEmail) {
  const absl::StatusOr<UpsertResult> r = store_->Upsert(NewContact(
      kTenantA, "Ada", {}, {Mail("ada@example.com"), Mail("ADA@example.com")}));
  ExpectError(r.status(), absl::StatusCode::kInvalidArgument,
              Reason::kDuplicateEmail);
}

// ---- Upsert: update
// -----------------------------------------------------------------

TEST_F(ContactStoreTest, UpsertWithSameExternalIdUpdatesTheSameContact) {
  Contact c = NewContact(kTenantA, "Ada");
  c.external_id = "crm-1";
  const UpsertResult first = Put(c, AtTime(1));
  c.first_name = "Ada B.";
  const UpsertResult second = Put(c, AtTime(2));
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.contact.id, first.contact.id);
  EXPECT_EQ(second.contact.tm_create, At(1));
  EXPECT_EQ(second.contact.tm_update, At(2));
  EXPECT_EQ(index().size(), 1u);
  EXPECT_EQ(ListSize(kTenantA, kAllContacts), 1u);
  EXPECT_EQ(Get(kTenantA, first.contact.id)->first_name, "Ada B.");
}

TEST_F(ContactStoreTest, UpsertUpdateKeepsPhoneIdsOfNumbersThatStay) {
  Contact c = NewContact(kTenantA, "Ada",
                         {Phone("+15551230001"), Phone("+15551230002")});
  c.external_id = "crm-1";
  const UpsertResult first = Put(c, AtTime(1));
  // Same first number in another format, second dropped, a new third.
  c.phone_numbers = {Phone("(555) 123-0001"), Phone("+15551230003")};
  const UpsertResult second = Put(c, AtTime(2));
  ASSERT_EQ(second.contact.phone_numbers.size(), 2u);
  EXPECT_EQ(second.contact.phone_numbers[0].id,
            first.contact.phone_numbers[0].id);
  EXPECT_EQ(second.contact.phone_numbers[0].tm_create, At(1));
  EXPECT_NE(second.contact.phone_numbers[1].id,
            first.contact.phone_numbers[1].id);
  EXPECT_EQ(second.contact.phone_numbers[1].tm_create, At(2));
  EXPECT_EQ(Get(kTenantA, first.contact.id), second.contact);
}

TEST_F(ContactStoreTest, UpsertTrustsOnlyItemIdsOfTheStoredContact) {
  const Uuid chosen = Uuid::Random();
  Contact c = NewContact(kTenantA, "Ada",
                         {Phone("+15551230001"), Phone("+15551230002")},
                         {Mail("a@example.com")});
  c.phone_numbers[0].id = chosen;  // names nothing stored: not kept
  c.phone_numbers[1].id = chosen;
  c.emails[0].id = chosen;
  const UpsertResult first = Put(c, AtTime(1));
  const auto& phones = first.contact.phone_numbers;
  ASSERT_EQ(phones.size(), 2u);
  EXPECT_NE(phones[0].id, chosen);
  EXPECT_NE(phones[1].id, chosen);
  EXPECT_NE(phones[0].id, phones[1].id);
  EXPECT_NE(first.contact.emails[0].id, chosen);
  // The stored id, sent twice: the first item keeps it, the second is new.
  Contact again = first.contact;
  again.phone_numbers[1].id = phones[0].id;
  const UpsertResult second = Put(again, AtTime(2));
  EXPECT_EQ(second.contact.phone_numbers[0].id, phones[0].id);
  EXPECT_NE(second.contact.phone_numbers[1].id, phones[0].id);
  EXPECT_EQ(second.contact.phone_numbers[1].tm_create, At(2));
}

TEST_F(ContactStoreTest, UpsertUpdateReKeysThePhoneIndex) {
  Contact c = NewContact(kTenantA, "Ada",
                         {Phone("+15551230001"), Phone("+15551230002")});
  c.external_id = "crm-1";
  const Uuid id = Create(c, AtTime(1));
  c.phone_numbers = {Phone("+15551230001"), Phone("+15551230003")};
  Put(c, AtTime(2));
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, id);
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230002").first.has_value());
  EXPECT_EQ(ByPhone(kTenantA, "+15551230003").first, id);
}

TEST_F(ContactStoreTest, UpsertUpdateKeepsEmailIdsOfAddressesThatStay) {
  Contact c = NewContact(kTenantA, "Ada", {},
                         {Mail("a@example.com"), Mail("b@example.com")});
  c.external_id = "crm-1";
  const UpsertResult first = Put(c, AtTime(1));
  c.emails = {Mail("A@EXAMPLE.COM"), Mail("c@example.com")};
  const UpsertResult second = Put(c, AtTime(2));
  ASSERT_EQ(second.contact.emails.size(), 2u);
  EXPECT_EQ(second.contact.emails[0].id, first.contact.emails[0].id);
  EXPECT_EQ(second.contact.emails[0].tm_create, At(1));
  EXPECT_EQ(second.contact.emails[1].tm_create, At(2));
  EXPECT_FALSE(ByEmail(kTenantA, "b@example.com").first.has_value());
  EXPECT_EQ(ByEmail(kTenantA, "c@example.com").first, first.contact.id);
}

TEST_F(ContactStoreTest, UpsertByIdReplacesTheWholeContact) {
  Contact c = NewContact(kTenantA, "Ada", {Phone("+15551230001")},
                         {Mail("a@example.com")}, {"vip"});
  c.company = "Engines";
  const Uuid id = Create(c, AtTime(1));
  Contact replacement = NewContact(kTenantA, "Ada L.");
  replacement.id = id;
  const UpsertResult r = Put(replacement, AtTime(2));
  EXPECT_FALSE(r.created);
  EXPECT_EQ(r.contact.tm_create, At(1));
  const std::optional<Contact> stored = Get(kTenantA, id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->company, "");
  EXPECT_THAT(stored->phone_numbers, IsEmpty());
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230001").first.has_value());
  EXPECT_FALSE(ByEmail(kTenantA, "a@example.com").first.has_value());
  EXPECT_EQ(ListSize(kTenantA, "vip"), 0u);
  EXPECT_EQ(ListSize(kTenantA, kAllContacts), 1u);
}

TEST_F(ContactStoreTest, UpsertWithoutIdOrExternalIdAlwaysCreates) {
  const Uuid a = Create(NewContact(kTenantA, "Ada"));
  const Uuid b = Create(NewContact(kTenantA, "Ada"));
  EXPECT_NE(a, b);
  EXPECT_EQ(index().size(), 2u);
}

TEST_F(ContactStoreTest,
       UpsertByIdWithAnotherContactsExternalIdIsExternalIdConflict) {
  Contact a = NewContact(kTenantA, "Ada");
  a.external_id = "crm-1";
  const Uuid a_id = Create(a);
  Contact b = NewContact(kTenantA, "Bob");
  b.external_id = "crm-2";
  const Uuid b_id = Create(b);
  b.id = b_id;
  b.external_id = "crm-1";
  const absl::StatusOr<UpsertResult> r = store_->Upsert(b, AtTime(5));
  ExpectError(r.status(), absl::StatusCode::kAlreadyExists,
              Reason::kExternalIdConflict);
  EXPECT_EQ(ByExternalId(kTenantA, "crm-1"), a_id);
  EXPECT_EQ(ByExternalId(kTenantA, "crm-2"), b_id);
  EXPECT_EQ(Get(kTenantA, b_id)->external_id, "crm-2");
}

TEST_F(ContactStoreTest,
       UpsertNewIdWithAnotherContactsExternalIdIsExternalIdConflict) {
  Contact a = NewContact(kTenantA, "Ada");
  a.external_id = "crm-1";
  Create(a);
  Contact b = NewContact(kTenantA, "Bob");
  b.id = MakeId(9);
  b.external_id = "crm-1";
  ExpectError(store_->Upsert(b).status(), absl::StatusCode::kAlreadyExists,
              Reason::kExternalIdConflict);
  EXPECT_EQ(index().size(), 1u);
}

TEST_F(ContactStoreTest, UpsertChangingExternalIdReleasesTheOldOne) {
  Contact c = NewContact(kTenantA, "Ada");
  c.external_id = "crm-1";
  const Uuid id = Create(c);
  c.id = id;
  c.external_id = "crm-9";
  Put(c, AtTime(1));
  EXPECT_FALSE(ByExternalId(kTenantA, "crm-1").has_value());
  EXPECT_EQ(ByExternalId(kTenantA, "crm-9"), id);
  Contact other = NewContact(kTenantA, "Bob");
  other.external_id = "crm-1";
  EXPECT_TRUE(Put(other, AtTime(2)).created);
}

TEST_F(ContactStoreTest,
       UpsertWithTheIdOfAnotherTenantsContactIsAlreadyExists) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  Contact intruder = NewContact(kTenantB, "Mallory", {Phone("+15551230002")});
  intruder.id = id;
  const absl::StatusOr<UpsertResult> r = store_->Upsert(intruder, AtTime(1));
  ExpectError(r.status(), absl::StatusCode::kAlreadyExists,
              Reason::kAlreadyExists);
  EXPECT_EQ(Get(kTenantA, id)->first_name, "Ada");
  EXPECT_FALSE(Get(kTenantB, id).has_value());
  EXPECT_FALSE(ByPhone(kTenantB, "+15551230002").first.has_value());
}

TEST_F(ContactStoreTest, ExternalIdsAreScopedPerTenant) {
  Contact a = NewContact(kTenantA, "Ada");
  a.external_id = "crm-1";
  Contact b = NewContact(kTenantB, "Bob");
  b.external_id = "crm-1";
  const UpsertResult ra = Put(a);
  const UpsertResult rb = Put(b);
  EXPECT_TRUE(rb.created);
  EXPECT_NE(ra.contact.id, rb.contact.id);
  EXPECT_EQ(ByExternalId(kTenantA, "crm-1"), ra.contact.id);
  EXPECT_EQ(ByExternalId(kTenantB, "crm-1"), rb.contact.id);
}

// ---- Lookups
// --------------------------------------------------------------------------

TEST_F(ContactStoreTest, NumberStoredInNationalFormatIsFoundByItsE164Form) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {Phone("(555) 123-4567")}));
  const Hit hit = ByPhone(kTenantA, "+15551234567");
  EXPECT_EQ(hit.first, id);
  EXPECT_EQ(hit.count, 1u);
}

TEST_F(ContactStoreTest, EmailLookupIsCaseInsensitiveThroughNormalization) {
  const Uuid id = Create(
      NewContact(kTenantA, "Ada", {}, {Mail("Ada.Lovelace@Example.COM")}));
  EXPECT_EQ(ByEmail(kTenantA, "ADA.LOVELACE@example.com").first, id);
  EXPECT_EQ(ByEmail(kTenantA, "ada.lovelace@example.com").first, id);
}

TEST_F(ContactStoreTest, UnknownNumberFindsNothing) {
  Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  const Hit hit = ByPhone(kTenantA, "+15551230002");
  EXPECT_FALSE(hit.first.has_value());
  EXPECT_EQ(hit.count, 0u);
  size_t total = 99;
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230002", 10, &total), IsEmpty());
  EXPECT_EQ(total, 0u);
}

TEST_F(ContactStoreTest, FirstMatchIsTheContactWhereTheNumberIsPrimary) {
  // The older contact has the number as a secondary phone.
  const Uuid older =
      Create(NewContact(kTenantA, "Old",
                        {Phone("+15550000001", true), Phone("+15551230001")}),
             AtTime(1));
  const Uuid newer = Create(
      NewContact(kTenantA, "New", {Phone("+15551230001", true)}), AtTime(2));
  const Hit hit = ByPhone(kTenantA, "+15551230001");
  EXPECT_EQ(hit.first, newer);
  EXPECT_EQ(hit.count, 2u);
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001"), ElementsAre(newer, older));
}

TEST_F(ContactStoreTest, FirstMatchAmongNonPrimaryIsTheOldestTmCreate) {
  // Written in the other order: tm_create decides, not insertion order.
  Contact late = NewContact(kTenantA, "Late", {Phone("+15551230001")});
  late.id = MakeId(1);  // the smaller id, so the id cannot be what decides
  const Uuid late_id = Create(late, AtTime(20));
  Contact early = NewContact(kTenantA, "Early", {Phone("+15551230001")});
  early.id = MakeId(2);
  const Uuid early_id = Create(early, AtTime(10));
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, early_id);
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001"),
              ElementsAre(early_id, late_id));
}

TEST_F(ContactStoreTest, FirstMatchAmongBothPrimaryIsTheOldestTmCreate) {
  Contact late = NewContact(kTenantA, "Late", {Phone("+15551230001", true)});
  late.id = MakeId(1);
  const Uuid late_id = Create(late, AtTime(20));
  Contact early = NewContact(kTenantA, "Early", {Phone("+15551230001", true)});
  early.id = MakeId(2);
  const Uuid early_id = Create(early, AtTime(10));
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001"),
              ElementsAre(early_id, late_id));
}

TEST_F(ContactStoreTest, FirstMatchAmongEqualTmCreateIsTheSmallestId) {
  Contact big = NewContact(kTenantA, "Big", {Phone("+15551230001")});
  big.id = MakeId(200);
  Create(big, AtTime(5));
  Contact small = NewContact(kTenantA, "Small", {Phone("+15551230001")});
  small.id = MakeId(100);
  Create(small, AtTime(5));
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, MakeId(100));
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001"),
              ElementsAre(MakeId(100), MakeId(200)));
}

TEST_F(ContactStoreTest, UpdateKeepsTheContactsPlaceInLookupOrder) {
  // tm_create, not tm_update, orders matches: updating the older contact
  // does not move it behind the newer one.
  const Uuid older =
      Create(NewContact(kTenantA, "Old", {Phone("+15551230001")}), AtTime(1));
  const Uuid newer =
      Create(NewContact(kTenantA, "New", {Phone("+15551230001")}), AtTime(2));
  FieldUpdate u;
  u.notes = "touched";
  ASSERT_TRUE(store_->UpdateFields(kTenantA, older, u, AtTime(3)).ok());
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001"), ElementsAre(older, newer));
}

TEST_F(ContactStoreTest, FirstEmailMatchIsTheContactWhereTheAddressIsPrimary) {
  const Uuid older =
      Create(NewContact(kTenantA, "Old", {},
                        {Mail("x@example.com"), Mail("s@example.com")}),
             AtTime(1));
  const Uuid newer =
      Create(NewContact(kTenantA, "New", {}, {Mail("s@example.com", true)}),
             AtTime(2));
  const Hit hit = ByEmail(kTenantA, "s@example.com");
  EXPECT_EQ(hit.first, newer);
  EXPECT_EQ(hit.count, 2u);
  EXPECT_THAT(AllByEmail(kTenantA, "s@example.com"), ElementsAre(newer, older));
}

TEST_F(ContactStoreTest, FirstEmailMatchAmongEqualTmCreateIsTheSmallestId) {
  Contact big = NewContact(kTenantA, "Big", {}, {Mail("s@example.com")});
  big.id = MakeId(9);
  Create(big, AtTime(5));
  Contact small = NewContact(kTenantA, "Small", {}, {Mail("s@example.com")});
  small.id = MakeId(3);
  Create(small, AtTime(5));
  EXPECT_THAT(AllByEmail(kTenantA, "s@example.com"),
              ElementsAre(MakeId(3), MakeId(9)));
}

TEST_F(ContactStoreTest, MatchCountCountsEveryContactWithTheNumber) {
  for (int i = 0; i < 7; ++i) {
    Create(NewContact(kTenantA, absl::StrCat("c", i), {Phone("+15551230001")}),
           AtTime(i));
  }
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").count, 7u);
}

TEST_F(ContactStoreTest, FindAllByPhoneReturnsEveryMatchInLookupOrder) {
  // primary+t3, primary+t3 (larger id), non-primary t1, non-primary t2.
  Contact a = NewContact(kTenantA, "a", {Phone("+15551230001")});
  a.id = MakeId(50);
  Create(a, AtTime(2));
  Contact b = NewContact(kTenantA, "b", {Phone("+15551230001", true)});
  b.id = MakeId(20);
  Create(b, AtTime(3));
  Contact c = NewContact(kTenantA, "c", {Phone("+15551230001")});
  c.id = MakeId(60);
  Create(c, AtTime(1));
  Contact d = NewContact(kTenantA, "d", {Phone("+15551230001", true)});
  d.id = MakeId(10);
  Create(d, AtTime(3));
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001"),
              ElementsAre(MakeId(10), MakeId(20), MakeId(60), MakeId(50)));
}

TEST_F(ContactStoreTest, FindAllByPhoneFillsAShortOutputAndReportsTheTotal) {
  for (uint32_t i = 1; i <= 5; ++i) {
    Contact c = NewContact(kTenantA, "c", {Phone("+15551230001")});
    c.id = MakeId(i);
    Create(c, AtTime(0));
  }
  size_t total = 0;
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001", 2, &total),
              ElementsAre(MakeId(1), MakeId(2)));
  EXPECT_EQ(total, 5u);
}

TEST_F(ContactStoreTest,
       FindAllByPhoneWithMoreThanMaxMatchesReportsTheExactTotal) {
  for (int i = 0; i < 130; ++i) {
    Create(NewContact(kTenantA, "c", {Phone("+15551230001")}), AtTime(i));
  }
  size_t total = 0;
  EXPECT_EQ(
      AllByPhone(kTenantA, "+15551230001", ContactIndex::kMaxMatches, &total)
          .size(),
      ContactIndex::kMaxMatches);
  EXPECT_EQ(total, 130u);
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").count, 130u);
}

TEST_F(ContactStoreTest, RemovingOneOfTwoHoldersLeavesTheOther) {
  const Uuid a = Create(
      NewContact(kTenantA, "a", {Phone("+15551230001", true)}), AtTime(1));
  const Uuid b =
      Create(NewContact(kTenantA, "b", {Phone("+15551230001")}), AtTime(2));
  ASSERT_TRUE(store_->Delete(kTenantA, a).ok());
  const Hit hit = ByPhone(kTenantA, "+15551230001");
  EXPECT_EQ(hit.first, b);
  EXPECT_EQ(hit.count, 1u);
}

TEST_F(ContactStoreTest, MakingANumberPrimaryMovesItsContactFirst) {
  const Uuid a =
      Create(NewContact(kTenantA, "a", {Phone("+15551230001")}), AtTime(1));
  const Uuid b =
      Create(NewContact(kTenantA, "b", {Phone("+15551230001")}), AtTime(2));
  ASSERT_EQ(ByPhone(kTenantA, "+15551230001").first, a);
  const Uuid phone_id = Get(kTenantA, b)->phone_numbers[0].id;
  PhoneUpdate u;
  u.is_primary = true;
  ASSERT_TRUE(store_->UpdatePhone(kTenantA, b, phone_id, u, AtTime(3)).ok());
  EXPECT_THAT(AllByPhone(kTenantA, "+15551230001"), ElementsAre(b, a));
}

// ---- Tenant isolation
// ------------------------------------------------------------------

TEST_F(ContactStoreTest, SameNumberInTwoTenantsEachSeesOnlyItsOwn) {
  const Uuid a = Create(
      NewContact(kTenantA, "a", {Phone("+15551230001")}, {Mail("s@x.com")}));
  const Uuid b = Create(
      NewContact(kTenantB, "b", {Phone("+15551230001")}, {Mail("s@x.com")}));
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, a);
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").count, 1u);
  EXPECT_EQ(ByPhone(kTenantB, "+15551230001").first, b);
  EXPECT_EQ(ByPhone(kTenantB, "+15551230001").count, 1u);
  EXPECT_EQ(ByEmail(kTenantA, "s@x.com").first, a);
  EXPECT_EQ(ByEmail(kTenantB, "s@x.com").first, b);
}

TEST_F(ContactStoreTest, DeletingInOneTenantLeavesTheOtherTenantsNumber) {
  const Uuid a = Create(NewContact(kTenantA, "a", {Phone("+15551230001")}));
  const Uuid b = Create(NewContact(kTenantB, "b", {Phone("+15551230001")}));
  ASSERT_TRUE(store_->Delete(kTenantA, a).ok());
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230001").first.has_value());
  EXPECT_EQ(ByPhone(kTenantB, "+15551230001").first, b);
}

TEST_F(ContactStoreTest, NumberOfAnotherTenantOnlyFindsNothing) {
  Create(NewContact(kTenantB, "b", {Phone("+15551230001")}));
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230001").first.has_value());
}

TEST_F(ContactStoreTest, FindByIdWithTheWrongTenantIsNull) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"));
  EXPECT_TRUE(Get(kTenantA, id).has_value());
  EXPECT_FALSE(Get(kTenantB, id).has_value());
  EpochGuard guard;
  EXPECT_TRUE(index().HasId(id));
}

TEST_F(ContactStoreTest, FindByExternalIdWithTheWrongTenantIsNull) {
  Contact c = NewContact(kTenantA, "Ada");
  c.external_id = "crm-1";
  Create(c);
  EXPECT_FALSE(ByExternalId(kTenantB, "crm-1").has_value());
}

TEST_F(ContactStoreTest, ListNeverCrossesTenants) {
  std::set<Uuid> in_a;
  for (int i = 0; i < 30; ++i) {
    in_a.insert(Create(NewContact(kTenantA, "a", {}, {}, {"shared"})));
    Create(NewContact(kTenantB, "b", {}, {}, {"shared"}));
  }
  const std::vector<Uuid> all = ListAll(kTenantA, kAllContacts, 7);
  EXPECT_EQ(std::set<Uuid>(all.begin(), all.end()), in_a);
  const std::vector<Uuid> tagged = ListAll(kTenantA, "shared", 7);
  EXPECT_EQ(std::set<Uuid>(tagged.begin(), tagged.end()), in_a);
  EXPECT_EQ(ListSize(kTenantA, "shared"), 30u);
  EXPECT_EQ(ListSize(kTenantB, "shared"), 30u);
}

TEST_F(ContactStoreTest, MutationWithTheWrongTenantIsContactNotFound) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"));
  FieldUpdate u;
  u.first_name = "Mallory";
  ExpectError(store_->UpdateFields(kTenantB, id, u).status(),
              absl::StatusCode::kNotFound, Reason::kContactNotFound);
  ExpectError(store_->AddTag(kTenantB, id, "x").status(),
              absl::StatusCode::kNotFound, Reason::kContactNotFound);
  EXPECT_EQ(Get(kTenantA, id)->first_name, "Ada");
}

TEST_F(ContactStoreTest, DeleteWithTheWrongTenantIsContactNotFound) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"));
  ExpectError(store_->Delete(kTenantB, id).status(),
              absl::StatusCode::kNotFound, Reason::kContactNotFound);
  EXPECT_TRUE(Get(kTenantA, id).has_value());
}

// ---- Lists and tags
// -----------------------------------------------------------------

TEST_F(ContactStoreTest, ListByTagReturnsContactsWithTheTagInIdOrder) {
  std::vector<Uuid> tagged;
  for (uint32_t i = 0; i < 20; ++i) {
    Contact c = NewContact(
        kTenantA, "c", {}, {},
        i % 2 ? std::vector<std::string>{"vip"} : std::vector<std::string>{});
    c.id = MakeId(1000 - i * 13);
    Create(c);
    if (i % 2) tagged.push_back(c.id);
  }
  std::sort(tagged.begin(), tagged.end());
  EXPECT_EQ(ListAll(kTenantA, "vip"), tagged);
}

TEST_F(ContactStoreTest, ListPagingWithAfterVisitsEveryContactOnce) {
  std::vector<Uuid> ids;
  for (int i = 0; i < 25; ++i)
    ids.push_back(Create(NewContact(kTenantA, "c", {}, {}, {"t"})));
  std::sort(ids.begin(), ids.end());
  const std::vector<Uuid> p1 = ListPage(kTenantA, "t", nullptr, 10);
  ASSERT_EQ(p1.size(), 10u);
  const std::vector<Uuid> p2 = ListPage(kTenantA, "t", &p1.back(), 10);
  ASSERT_EQ(p2.size(), 10u);
  const std::vector<Uuid> p3 = ListPage(kTenantA, "t", &p2.back(), 10);
  ASSERT_EQ(p3.size(), 5u);
  EXPECT_THAT(ListPage(kTenantA, "t", &p3.back(), 10), IsEmpty());
  std::vector<Uuid> all = p1;
  all.insert(all.end(), p2.begin(), p2.end());
  all.insert(all.end(), p3.begin(), p3.end());
  EXPECT_EQ(all, ids);
}

TEST_F(ContactStoreTest, ListPagingSurvivesDeletionOfTheAfterContact) {
  std::vector<Uuid> ids;
  for (int i = 0; i < 10; ++i)
    ids.push_back(Create(NewContact(kTenantA, "c", {}, {}, {"t"})));
  std::sort(ids.begin(), ids.end());
  ASSERT_TRUE(store_->Delete(kTenantA, ids[4]).ok());
  EXPECT_THAT(ListPage(kTenantA, "t", &ids[4], 2), ElementsAre(ids[5], ids[6]));
}

TEST_F(ContactStoreTest, ListSizeCountsTheContactsWithTheTag) {
  for (int i = 0; i < 12; ++i) {
    Create(NewContact(kTenantA, "c", {}, {},
                      i < 5 ? std::vector<std::string>{"vip", "x"}
                            : std::vector<std::string>{"x"}));
  }
  EXPECT_EQ(ListSize(kTenantA, "vip"), 5u);
  EXPECT_EQ(ListSize(kTenantA, "x"), 12u);
  EXPECT_EQ(ListSize(kTenantA, kAllContacts), 12u);
}

TEST_F(ContactStoreTest, AllContactsListHasEveryContactOfTheTenant) {
  std::set<Uuid> ids;
  for (int i = 0; i < 8; ++i) {
    ids.insert(Create(NewContact(
        kTenantA, "c", {}, {},
        i % 3 ? std::vector<std::string>{"t"} : std::vector<std::string>{})));
  }
  const std::vector<Uuid> all = ListAll(kTenantA, kAllContacts);
  EXPECT_EQ(std::set<Uuid>(all.begin(), all.end()), ids);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

TEST_F(ContactStoreTest, ListOfAnUnknownTagIsEmpty) {
  Create(NewContact(kTenantA, "c", {}, {}, {"t"}));
  EXPECT_THAT(ListAll(kTenantA, "nope"), IsEmpty());
  EXPECT_EQ(ListSize(kTenantA, "nope"), 0u);
  EXPECT_THAT(ListAll(kTenantB, kAllContacts), IsEmpty());
}

TEST_F(ContactStoreTest, ListIntoAnEmptyOutputWritesNothing) {
  Create(NewContact(kTenantA, "c", {}, {}, {"t"}));
  EXPECT_THAT(ListPage(kTenantA, "t", nullptr, 0), IsEmpty());
}

TEST_F(ContactStoreTest, AddTagPutsTheContactOnTheTagList) {
  const Uuid id = Create(NewContact(kTenantA, "c"));
  const absl::StatusOr<Contact> r =
      store_->AddTag(kTenantA, id, "vip", AtTime(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->tags, ElementsAre("vip"));
  EXPECT_EQ(r->tm_update, At(1));
  EXPECT_THAT(ListAll(kTenantA, "vip"), ElementsAre(id));
}

TEST_F(ContactStoreTest, AddTagTheContactHasIsANoOp) {
  const Uuid id = Create(NewContact(kTenantA, "c", {}, {}, {"a", "vip"}));
  const absl::StatusOr<Contact> r =
      store_->AddTag(kTenantA, id, "vip", AtTime(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->tags, ElementsAre("a", "vip"));
  EXPECT_EQ(ListSize(kTenantA, "vip"), 1u);
  EXPECT_THAT(Get(kTenantA, id)->tags, ElementsAre("a", "vip"));
}

TEST_F(ContactStoreTest, AddInvalidTagIsInvalidTag) {
  const Uuid id = Create(NewContact(kTenantA, "c"));
  ExpectError(store_->AddTag(kTenantA, id, "").status(),
              absl::StatusCode::kInvalidArgument, Reason::kInvalidTag);
  ExpectError(store_->AddTag(kTenantA, id, "a\tb").status(),
              absl::StatusCode::kInvalidArgument, Reason::kInvalidTag);
  ExpectError(store_->AddTag(kTenantA, id, std::string(65, 't')).status(),
              absl::StatusCode::kInvalidArgument, Reason::kInvalidTag);
}

TEST_F(ContactStoreTest, AddingThe65thTagIsTooManyTags) {
  Contact c = NewContact(kTenantA, "c");
  for (int i = 0; i < 64; ++i) c.tags.push_back(absl::StrCat("t", i));
  const Uuid id = Create(c);
  ExpectError(store_->AddTag(kTenantA, id, "one-more").status(),
              absl::StatusCode::kInvalidArgument, Reason::kTooManyTags);
  EXPECT_EQ(ListSize(kTenantA, "one-more"), 0u);
}

TEST_F(ContactStoreTest, RemoveTagTakesTheContactOffTheTagList) {
  const Uuid a = Create(NewContact(kTenantA, "a", {}, {}, {"vip", "x"}));
  const Uuid b = Create(NewContact(kTenantA, "b", {}, {}, {"vip"}));
  const absl::StatusOr<Contact> r =
      store_->RemoveTag(kTenantA, a, "vip", AtTime(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->tags, ElementsAre("x"));
  EXPECT_THAT(ListAll(kTenantA, "vip"), ElementsAre(b));
  EXPECT_EQ(ListSize(kTenantA, "vip"), 1u);
}

TEST_F(ContactStoreTest, RemovingTheLastTaggedContactEmptiesTheList) {
  const Uuid id = Create(NewContact(kTenantA, "a", {}, {}, {"vip"}));
  ASSERT_TRUE(store_->RemoveTag(kTenantA, id, "vip").ok());
  EXPECT_THAT(ListAll(kTenantA, "vip"), IsEmpty());
  EXPECT_EQ(ListSize(kTenantA, "vip"), 0u);
  EXPECT_EQ(Stats().lists, 1u);  // only the tenant's list of all contacts
}

TEST_F(ContactStoreTest, RemoveTagTheContactLacksIsTagNotFound) {
  const Uuid id = Create(NewContact(kTenantA, "a", {}, {}, {"vip"}));
  ExpectError(store_->RemoveTag(kTenantA, id, "vi").status(),
              absl::StatusCode::kNotFound, Reason::kTagNotFound);
  EXPECT_THAT(Get(kTenantA, id)->tags, ElementsAre("vip"));
}

TEST_F(ContactStoreTest, UpsertReplacingTagsMovesTheContactBetweenLists) {
  Contact c = NewContact(kTenantA, "a", {}, {}, {"old", "kept"});
  const Uuid id = Create(c);
  c.id = id;
  c.tags = {"kept", "new"};
  Put(c, AtTime(1));
  EXPECT_THAT(ListAll(kTenantA, "old"), IsEmpty());
  EXPECT_THAT(ListAll(kTenantA, "kept"), ElementsAre(id));
  EXPECT_THAT(ListAll(kTenantA, "new"), ElementsAre(id));
  EXPECT_EQ(ListSize(kTenantA, "kept"), 1u);
}

// ---- UpdateFields
// ------------------------------------------------------------------------

TEST_F(ContactStoreTest, UpdateFieldsChangesOnlyTheFieldsThatAreSet) {
  Contact c = NewContact(kTenantA, "Ada", {Phone("+15551230001")},
                         {Mail("a@example.com")}, {"vip"});
  c.last_name = "Lovelace";
  c.company = "Engines";
  c.external_id = "crm-1";
  c.source = Source::kImport;
  const UpsertResult before = Put(c, AtTime(1));
  FieldUpdate u;
  u.first_name = "Augusta";
  u.notes = "new notes";
  const absl::StatusOr<Contact> r =
      store_->UpdateFields(kTenantA, before.contact.id, u, AtTime(2));
  ASSERT_TRUE(r.ok()) << r.status();
  Contact expected = before.contact;
  expected.first_name = "Augusta";
  expected.notes = "new notes";
  expected.tm_update = At(2);
  EXPECT_EQ(*r, expected);
  EXPECT_EQ(Get(kTenantA, before.contact.id), expected);
}

TEST_F(ContactStoreTest, UpdateFieldsCanClearAField) {
  Contact c = NewContact(kTenantA, "Ada");
  c.company = "Engines";
  const Uuid id = Create(c);
  FieldUpdate u;
  u.company = "";
  ASSERT_TRUE(store_->UpdateFields(kTenantA, id, u).ok());
  EXPECT_EQ(Get(kTenantA, id)->company, "");
  EXPECT_EQ(Get(kTenantA, id)->first_name, "Ada");
}

TEST_F(ContactStoreTest, UpdateFieldsSourceAndTags) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {}, {}, {"a", "b"}));
  FieldUpdate u;
  u.source = Source::kApi;
  u.tags = std::vector<std::string>{"b", "c", "c"};
  const absl::StatusOr<Contact> r = store_->UpdateFields(kTenantA, id, u);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->source, Source::kApi);
  EXPECT_THAT(r->tags, ElementsAre("b", "c"));
  EXPECT_EQ(ListSize(kTenantA, "a"), 0u);
  EXPECT_EQ(ListSize(kTenantA, "c"), 1u);
}

TEST_F(ContactStoreTest, UpdateFieldsExternalIdReKeysTheExternalIdIndex) {
  Contact c = NewContact(kTenantA, "Ada");
  c.external_id = "crm-1";
  const Uuid id = Create(c);
  FieldUpdate u;
  u.external_id = "crm-2";
  ASSERT_TRUE(store_->UpdateFields(kTenantA, id, u).ok());
  EXPECT_FALSE(ByExternalId(kTenantA, "crm-1").has_value());
  EXPECT_EQ(ByExternalId(kTenantA, "crm-2"), id);
}

TEST_F(ContactStoreTest,
       UpdateFieldsToAnotherContactsExternalIdIsExternalIdConflict) {
  Contact a = NewContact(kTenantA, "Ada");
  a.external_id = "crm-1";
  Create(a);
  const Uuid b = Create(NewContact(kTenantA, "Bob"));
  FieldUpdate u;
  u.external_id = "crm-1";
  ExpectError(store_->UpdateFields(kTenantA, b, u).status(),
              absl::StatusCode::kAlreadyExists, Reason::kExternalIdConflict);
  EXPECT_EQ(Get(kTenantA, b)->external_id, "");
}

TEST_F(ContactStoreTest, UpdateFieldsTooLongIsFieldTooLongAndChangesNothing) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"), AtTime(1));
  FieldUpdate u;
  u.first_name = "Augusta";
  u.company = std::string(201, 'c');
  ExpectError(store_->UpdateFields(kTenantA, id, u, AtTime(2)).status(),
              absl::StatusCode::kInvalidArgument, Reason::kFieldTooLong);
  EXPECT_EQ(Get(kTenantA, id)->first_name, "Ada");
  EXPECT_EQ(Get(kTenantA, id)->tm_update, At(1));
}

TEST_F(ContactStoreTest, UpdateFieldsOfUnknownContactIsContactNotFound) {
  FieldUpdate u;
  u.first_name = "x";
  ExpectError(store_->UpdateFields(kTenantA, MakeId(1), u).status(),
              absl::StatusCode::kNotFound, Reason::kContactNotFound);
}

TEST_F(ContactStoreTest, PartialUpdateKeepsANumberEnteredWithARegionOverride) {
  // Created with region GB; a later partial update uses the default region.
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("020 7946 0018")}),
                         AtTime(1, "GB"));
  const absl::StatusOr<Contact> r =
      store_->AddTag(kTenantA, id, "vip", AtTime(2));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->phone_numbers.size(), 1u);
  EXPECT_EQ(r->phone_numbers[0].number_e164, "+442079460018");
  EXPECT_EQ(ByPhone(kTenantA, "+442079460018").first, id);
}

TEST_F(ContactStoreTest, AddPhoneWithARegionOverrideLeavesTheOtherPhonesAlone) {
  // A US national number stays +1 when a GB number is added with region GB.
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {Phone("(555) 123-0001")}), AtTime(1));
  const absl::StatusOr<Contact> r =
      store_->AddPhone(kTenantA, id, Phone("020 7946 0018"), AtTime(2, "GB"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->phone_numbers.size(), 2u);
  EXPECT_EQ(r->phone_numbers[0].number_e164, "+15551230001");
  EXPECT_EQ(r->phone_numbers[1].number_e164, "+442079460018");
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, id);
  EXPECT_EQ(ByPhone(kTenantA, "+442079460018").first, id);
}

// ---- Phones
// ------------------------------------------------------------------------------

TEST_F(ContactStoreTest, AddPhoneAppendsANewPhoneAndIndexesIt) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}), AtTime(1));
  const absl::StatusOr<Contact> r = store_->AddPhone(
      kTenantA, id, Phone("(555) 123-0002", false, PhoneType::kWork),
      AtTime(2));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->phone_numbers.size(), 2u);
  const PhoneNumber& added = r->phone_numbers[1];
  EXPECT_FALSE(added.id.is_nil());
  EXPECT_NE(added.id, r->phone_numbers[0].id);
  EXPECT_EQ(added.number_e164, "+15551230002");
  EXPECT_EQ(added.type, PhoneType::kWork);
  EXPECT_EQ(added.tm_create, At(2));
  EXPECT_EQ(r->phone_numbers[0].tm_create, At(1));
  EXPECT_EQ(ByPhone(kTenantA, "+15551230002").first, id);
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, id);
}

TEST_F(ContactStoreTest, AddPhoneIgnoresACallerSuppliedPhoneId) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  const Uuid existing = Get(kTenantA, id)->phone_numbers[0].id;
  PhoneNumber p = Phone("+15551230002");
  p.id = existing;  // would clash with the first phone
  const absl::StatusOr<Contact> r = store_->AddPhone(kTenantA, id, p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NE(r->phone_numbers[1].id, existing);
  EXPECT_EQ(r->phone_numbers[0].id, existing);
}

TEST_F(ContactStoreTest, AddPhoneIgnoresAClientSuppliedE164Form) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"));
  PhoneNumber p = Phone("(555) 123-0002");
  p.number_e164 = "+19999999999";  // untrusted; recomputed from `number`
  const absl::StatusOr<Contact> r = store_->AddPhone(kTenantA, id, p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->phone_numbers[0].number_e164, "+15551230002");
  EXPECT_FALSE(ByPhone(kTenantA, "+19999999999").first.has_value());
}

TEST_F(ContactStoreTest, AddPrimaryPhoneDemotesTheOtherPhones) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {Phone("+15551230001", true)}));
  const absl::StatusOr<Contact> r =
      store_->AddPhone(kTenantA, id, Phone("+15551230002", true));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->phone_numbers[0].is_primary);
  EXPECT_TRUE(r->phone_numbers[1].is_primary);
  EpochGuard guard;
  const ContactRecord* rec = index().FindById(kTenantA, id);
  ASSERT_NE(rec, nullptr);
  EXPECT_FALSE(rec->FindPhone(Num("+15551230001"))->is_primary());
  EXPECT_TRUE(rec->FindPhone(Num("+15551230002"))->is_primary());
}

TEST_F(ContactStoreTest, AddPhoneTheContactHasIsDuplicatePhone) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  ExpectError(store_->AddPhone(kTenantA, id, Phone("(555) 123-0001")).status(),
              absl::StatusCode::kInvalidArgument, Reason::kDuplicatePhone);
  EXPECT_EQ(Get(kTenantA, id)->phone_numbers.size(), 1u);
}

TEST_F(ContactStoreTest, AddPhoneAnonymousIsInvalidPhone) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"));
  ExpectError(store_->AddPhone(kTenantA, id, Phone("anonymous")).status(),
              absl::StatusCode::kInvalidArgument, Reason::kInvalidPhone);
  EXPECT_THAT(Get(kTenantA, id)->phone_numbers, IsEmpty());
}

TEST_F(ContactStoreTest, AddingThe33rdPhoneIsTooManyPhones) {
  Contact c = NewContact(kTenantA, "Ada");
  for (int i = 0; i < 32; ++i)
    c.phone_numbers.push_back(Phone(absl::StrCat("+1555123", 1000 + i)));
  const Uuid id = Create(c);
  ExpectError(store_->AddPhone(kTenantA, id, Phone("+15559990000")).status(),
              absl::StatusCode::kInvalidArgument, Reason::kTooManyPhones);
}

TEST_F(ContactStoreTest, AddPhoneToUnknownContactIsContactNotFound) {
  ExpectError(
      store_->AddPhone(kTenantA, MakeId(5), Phone("+15551230001")).status(),
      absl::StatusCode::kNotFound, Reason::kContactNotFound);
}

TEST_F(ContactStoreTest, UpdatePhoneNumberChangeReKeysTheIndex) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}), AtTime(1));
  const PhoneNumber before = Get(kTenantA, id)->phone_numbers[0];
  PhoneUpdate u;
  u.number = "(555) 123-0099";
  const absl::StatusOr<Contact> r =
      store_->UpdatePhone(kTenantA, id, before.id, u, AtTime(2));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->phone_numbers.size(), 1u);
  EXPECT_EQ(r->phone_numbers[0].id, before.id);
  EXPECT_EQ(r->phone_numbers[0].number, "(555) 123-0099");
  EXPECT_EQ(r->phone_numbers[0].number_e164, "+15551230099");
  EXPECT_EQ(r->phone_numbers[0].tm_create, At(1));
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230001").first.has_value());
  EXPECT_EQ(ByPhone(kTenantA, "+15551230099").first, id);
}

TEST_F(ContactStoreTest, UpdatePhoneNumberUsesTheRegionOfTheRequest) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  const Uuid phone_id = Get(kTenantA, id)->phone_numbers[0].id;
  PhoneUpdate u;
  u.number = "020 7946 0018";
  const absl::StatusOr<Contact> r =
      store_->UpdatePhone(kTenantA, id, phone_id, u, AtTime(1, "GB"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->phone_numbers[0].number_e164, "+442079460018");
  EXPECT_EQ(ByPhone(kTenantA, "+442079460018").first, id);
}

TEST_F(ContactStoreTest, UpdatePhoneTypeOnlyKeepsTheNumber) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {Phone("(555) 123-0001")}));
  const Uuid phone_id = Get(kTenantA, id)->phone_numbers[0].id;
  PhoneUpdate u;
  u.type = PhoneType::kHome;
  const absl::StatusOr<Contact> r =
      store_->UpdatePhone(kTenantA, id, phone_id, u);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->phone_numbers[0].type, PhoneType::kHome);
  EXPECT_EQ(r->phone_numbers[0].number, "(555) 123-0001");
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, id);
}

TEST_F(ContactStoreTest, UpdatePhoneToPrimaryDemotesTheOtherPhones) {
  const Uuid id = Create(NewContact(
      kTenantA, "Ada", {Phone("+15551230001", true), Phone("+15551230002")}));
  const Uuid second = Get(kTenantA, id)->phone_numbers[1].id;
  PhoneUpdate u;
  u.is_primary = true;
  const absl::StatusOr<Contact> r =
      store_->UpdatePhone(kTenantA, id, second, u);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->phone_numbers[0].is_primary);
  EXPECT_TRUE(r->phone_numbers[1].is_primary);
}

TEST_F(ContactStoreTest, UpdatePhoneToNotPrimaryLeavesNoPrimary) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {Phone("+15551230001", true)}));
  const Uuid phone_id = Get(kTenantA, id)->phone_numbers[0].id;
  PhoneUpdate u;
  u.is_primary = false;
  const absl::StatusOr<Contact> r =
      store_->UpdatePhone(kTenantA, id, phone_id, u);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->phone_numbers[0].is_primary);
}

TEST_F(ContactStoreTest, UpdatePhoneToAnotherPhonesNumberIsDuplicatePhone) {
  const Uuid id = Create(NewContact(
      kTenantA, "Ada", {Phone("+15551230001"), Phone("+15551230002")}));
  const Uuid second = Get(kTenantA, id)->phone_numbers[1].id;
  PhoneUpdate u;
  u.number = "+1 555 123 0001";
  ExpectError(store_->UpdatePhone(kTenantA, id, second, u).status(),
              absl::StatusCode::kInvalidArgument, Reason::kDuplicatePhone);
  EXPECT_EQ(ByPhone(kTenantA, "+15551230002").first, id);
}

TEST_F(ContactStoreTest, UpdatePhoneToAnonymousIsInvalidPhone) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  const Uuid phone_id = Get(kTenantA, id)->phone_numbers[0].id;
  PhoneUpdate u;
  u.number = "anonymous";
  ExpectError(store_->UpdatePhone(kTenantA, id, phone_id, u).status(),
              absl::StatusCode::kInvalidArgument, Reason::kInvalidPhone);
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, id);
}

TEST_F(ContactStoreTest, UpdateUnknownPhoneIsPhoneNotFound) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  PhoneUpdate u;
  u.type = PhoneType::kFax;
  ExpectError(store_->UpdatePhone(kTenantA, id, MakeId(3), u).status(),
              absl::StatusCode::kNotFound, Reason::kPhoneNotFound);
}

TEST_F(ContactStoreTest, RemovePhoneDropsItFromTheIndex) {
  const Uuid id = Create(NewContact(
      kTenantA, "Ada", {Phone("+15551230001"), Phone("+15551230002")}));
  const Uuid first = Get(kTenantA, id)->phone_numbers[0].id;
  const absl::StatusOr<Contact> r = store_->RemovePhone(kTenantA, id, first);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->phone_numbers.size(), 1u);
  EXPECT_EQ(r->phone_numbers[0].number_e164, "+15551230002");
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230001").first.has_value());
  EXPECT_EQ(ByPhone(kTenantA, "+15551230002").first, id);
}

TEST_F(ContactStoreTest, RemoveUnknownPhoneIsPhoneNotFound) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  ExpectError(store_->RemovePhone(kTenantA, id, MakeId(3)).status(),
              absl::StatusCode::kNotFound, Reason::kPhoneNotFound);
  EXPECT_EQ(Get(kTenantA, id)->phone_numbers.size(), 1u);
}

TEST_F(ContactStoreTest, RemovePhoneOfAnotherContactIsPhoneNotFound) {
  const Uuid a = Create(NewContact(kTenantA, "a", {Phone("+15551230001")}));
  const Uuid b = Create(NewContact(kTenantA, "b", {Phone("+15551230002")}));
  const Uuid b_phone = Get(kTenantA, b)->phone_numbers[0].id;
  ExpectError(store_->RemovePhone(kTenantA, a, b_phone).status(),
              absl::StatusCode::kNotFound, Reason::kPhoneNotFound);
  EXPECT_EQ(ByPhone(kTenantA, "+15551230002").first, b);
}

// ---- Emails
// -------------------------------------------------------------------------------

TEST_F(ContactStoreTest, AddEmailNormalizesAndIndexesIt) {
  const Uuid id = Create(
      NewContact(kTenantA, "Ada", {}, {Mail("a@example.com")}), AtTime(1));
  const absl::StatusOr<Contact> r = store_->AddEmail(
      kTenantA, id, Mail("B@Example.com", false, EmailType::kPersonal),
      AtTime(2));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->emails.size(), 2u);
  EXPECT_EQ(r->emails[1].address, "b@example.com");
  EXPECT_EQ(r->emails[1].type, EmailType::kPersonal);
  EXPECT_EQ(r->emails[1].tm_create, At(2));
  EXPECT_FALSE(r->emails[1].id.is_nil());
  EXPECT_EQ(ByEmail(kTenantA, "b@example.com").first, id);
}

TEST_F(ContactStoreTest, AddPrimaryEmailDemotesTheOtherEmails) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {}, {Mail("a@example.com", true)}));
  const absl::StatusOr<Contact> r =
      store_->AddEmail(kTenantA, id, Mail("b@example.com", true));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->emails[0].is_primary);
  EXPECT_TRUE(r->emails[1].is_primary);
}

TEST_F(ContactStoreTest, AddEmailTheContactHasIsDuplicateEmail) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {}, {Mail("a@example.com")}));
  ExpectError(store_->AddEmail(kTenantA, id, Mail("A@EXAMPLE.COM")).status(),
              absl::StatusCode::kInvalidArgument, Reason::kDuplicateEmail);
}

TEST_F(ContactStoreTest, AddMalformedEmailIsInvalidEmail) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"));
  ExpectError(store_->AddEmail(kTenantA, id, Mail("not an email")).status(),
              absl::StatusCode::kInvalidArgument, Reason::kInvalidEmail);
  EXPECT_THAT(Get(kTenantA, id)->emails, IsEmpty());
}

TEST_F(ContactStoreTest, UpdateEmailAddressChangeReKeysTheIndex) {
  const Uuid id = Create(
      NewContact(kTenantA, "Ada", {}, {Mail("a@example.com")}), AtTime(1));
  const Uuid email_id = Get(kTenantA, id)->emails[0].id;
  EmailUpdate u;
  u.address = "Z@Example.com";
  const absl::StatusOr<Contact> r =
      store_->UpdateEmail(kTenantA, id, email_id, u, AtTime(2));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->emails[0].id, email_id);
  EXPECT_EQ(r->emails[0].address, "z@example.com");
  EXPECT_EQ(r->emails[0].tm_create, At(1));
  EXPECT_FALSE(ByEmail(kTenantA, "a@example.com").first.has_value());
  EXPECT_EQ(ByEmail(kTenantA, "z@example.com").first, id);
}

TEST_F(ContactStoreTest, UpdateEmailToPrimaryDemotesTheOtherEmails) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {},
                        {Mail("a@example.com", true), Mail("b@example.com")}));
  const Uuid second = Get(kTenantA, id)->emails[1].id;
  EmailUpdate u;
  u.is_primary = true;
  u.type = EmailType::kOther;
  const absl::StatusOr<Contact> r =
      store_->UpdateEmail(kTenantA, id, second, u);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->emails[0].is_primary);
  EXPECT_TRUE(r->emails[1].is_primary);
  EXPECT_EQ(r->emails[1].type, EmailType::kOther);
}

TEST_F(ContactStoreTest, UpdateEmailToMalformedAddressIsInvalidEmail) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {}, {Mail("a@example.com")}));
  const Uuid email_id = Get(kTenantA, id)->emails[0].id;
  EmailUpdate u;
  u.address = "@example.com";
  ExpectError(store_->UpdateEmail(kTenantA, id, email_id, u).status(),
              absl::StatusCode::kInvalidArgument, Reason::kInvalidEmail);
  EXPECT_EQ(ByEmail(kTenantA, "a@example.com").first, id);
}

TEST_F(ContactStoreTest, UpdateUnknownEmailIsEmailNotFound) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {}, {Mail("a@example.com")}));
  EmailUpdate u;
  u.is_primary = true;
  ExpectError(store_->UpdateEmail(kTenantA, id, MakeId(8), u).status(),
              absl::StatusCode::kNotFound, Reason::kEmailNotFound);
}

TEST_F(ContactStoreTest, RemoveEmailDropsItFromTheIndex) {
  const Uuid id = Create(NewContact(
      kTenantA, "Ada", {}, {Mail("a@example.com"), Mail("b@example.com")}));
  const Uuid first = Get(kTenantA, id)->emails[0].id;
  const absl::StatusOr<Contact> r = store_->RemoveEmail(kTenantA, id, first);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->emails.size(), 1u);
  EXPECT_FALSE(ByEmail(kTenantA, "a@example.com").first.has_value());
  EXPECT_EQ(ByEmail(kTenantA, "b@example.com").first, id);
}

TEST_F(ContactStoreTest, RemoveUnknownEmailIsEmailNotFound) {
  const Uuid id =
      Create(NewContact(kTenantA, "Ada", {}, {Mail("a@example.com")}));
  ExpectError(store_->RemoveEmail(kTenantA, id, MakeId(8)).status(),
              absl::StatusCode::kNotFound, Reason::kEmailNotFound);
}

// ---- Delete
// -------------------------------------------------------------------------------

TEST_F(ContactStoreTest, DeleteRemovesTheContactFromEveryIndexAndList) {
  Contact c = NewContact(kTenantA, "Ada", {Phone("+15551230001")},
                         {Mail("a@example.com")}, {"vip"});
  c.external_id = "crm-1";
  const UpsertResult created = Put(c, AtTime(1));
  const Uuid id = created.contact.id;
  const absl::StatusOr<Contact> removed =
      store_->Delete(kTenantA, id, AtTime(2));
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, created.contact);
  EXPECT_FALSE(Get(kTenantA, id).has_value());
  {
    EpochGuard guard;
    EXPECT_FALSE(index().HasId(id));
  }
  EXPECT_FALSE(ByPhone(kTenantA, "+15551230001").first.has_value());
  EXPECT_FALSE(ByEmail(kTenantA, "a@example.com").first.has_value());
  EXPECT_FALSE(ByExternalId(kTenantA, "crm-1").has_value());
  EXPECT_THAT(ListAll(kTenantA, "vip"), IsEmpty());
  EXPECT_THAT(ListAll(kTenantA, kAllContacts), IsEmpty());
  EXPECT_EQ(index().size(), 0u);
  const IndexStats s = Stats();
  EXPECT_EQ(s.contacts, 0u);
  EXPECT_EQ(s.tenants, 0u);
  EXPECT_EQ(s.phone_keys, 0u);
  EXPECT_EQ(s.email_keys, 0u);
  EXPECT_EQ(s.external_ids, 0u);
  EXPECT_EQ(s.lists, 0u);
  EXPECT_EQ(s.record_bytes, 0u);
}

TEST_F(ContactStoreTest, DeleteTwiceIsContactNotFound) {
  const Uuid id = Create(NewContact(kTenantA, "Ada"));
  ASSERT_TRUE(store_->Delete(kTenantA, id).ok());
  ExpectError(store_->Delete(kTenantA, id).status(),
              absl::StatusCode::kNotFound, Reason::kContactNotFound);
}

TEST_F(ContactStoreTest, MutatingADeletedContactIsContactNotFound) {
  const Uuid id = Create(NewContact(kTenantA, "Ada", {Phone("+15551230001")}));
  const Uuid phone_id = Get(kTenantA, id)->phone_numbers[0].id;
  ASSERT_TRUE(store_->Delete(kTenantA, id).ok());
  ExpectError(store_->AddTag(kTenantA, id, "x").status(),
              absl::StatusCode::kNotFound, Reason::kContactNotFound);
  ExpectError(store_->RemovePhone(kTenantA, id, phone_id).status(),
              absl::StatusCode::kNotFound, Reason::kContactNotFound);
  EXPECT_EQ(index().size(), 0u);
}

TEST_F(ContactStoreTest, DeletedExternalIdCanBeReusedByANewContact) {
  Contact c = NewContact(kTenantA, "Ada");
  c.external_id = "crm-1";
  const Uuid old_id = Create(c, AtTime(1));
  ASSERT_TRUE(store_->Delete(kTenantA, old_id).ok());
  const UpsertResult again = Put(c, AtTime(2));
  EXPECT_TRUE(again.created);
  EXPECT_NE(again.contact.id, old_id);
  EXPECT_EQ(again.contact.tm_create, At(2));
}

TEST_F(ContactStoreTest, DeletedIdCanBeRecreatedByTheSameTenant) {
  Contact c = NewContact(kTenantA, "Ada", {Phone("+15551230001")});
  c.id = MakeId(42);
  Create(c, AtTime(1));
  ASSERT_TRUE(store_->Delete(kTenantA, MakeId(42)).ok());
  const UpsertResult again = Put(c, AtTime(2));
  EXPECT_TRUE(again.created);
  EXPECT_EQ(again.contact.tm_create, At(2));
  EXPECT_EQ(ByPhone(kTenantA, "+15551230001").first, MakeId(42));
}

// ---- Stats
// ----------------------------------------------------------------------------------

TEST_F(ContactStoreTest, StatsCountKeysAndLists) {
  Contact a =
      NewContact(kTenantA, "a", {Phone("+15551230001"), Phone("+15551230002")},
                 {Mail("s@example.com")}, {"vip", "x"});
  a.external_id = "crm-1";
  Create(a);
  Create(NewContact(kTenantA, "b", {Phone("+15551230001")},
                    {Mail("s@example.com")}, {"x"}));
  Create(NewContact(kTenantB, "c", {Phone("+15551230001")}, {}, {"x"}));
  const IndexStats s = Stats();
  EXPECT_EQ(s.contacts, 3u);
  EXPECT_EQ(s.tenants, 2u);
  EXPECT_EQ(s.phone_keys, 3u);  // (A, 1), (A, 2), (B, 1)
  EXPECT_EQ(s.email_keys, 1u);
  EXPECT_EQ(s.external_ids, 1u);
  EXPECT_EQ(s.lists, 2u + 2u + 1u);  // 2 tenants, (A, vip), (A, x), (B, x)
  EXPECT_GT(s.record_bytes, 0u);
  EXPECT_GT(s.total_bytes(), s.record_bytes);
}

// ---- Randomized run against a model
// -------------------------------------------------------

// The model: every stored contact as the store returned it. The checks
// derive each index's expected content from it.
class ModelTest : public ContactStoreTest {
 protected:
  static constexpr int kTenants = 20;
  static constexpr int kNumbersPerTenant =
      1500;  // shared numbers within a tenant
  static constexpr int kAddresses = 1200;
  static constexpr int kTags = 12;

  Uuid Tenant(int t) const {
    return MakeId(static_cast<uint32_t>(t + 1), 0xc0);
  }

  // Numbers are the same set in every tenant, so tenants overlap.
  std::string RandomNumber() {
    const int n = static_cast<int>(rng_() % kNumbersPerTenant);
    const std::string e164 = absl::StrCat("+1555", 2000000 + n * 37);
    used_numbers_.insert(e164);
    if (rng_() % 2) return e164;
    // National format, as a person would type it.
    const std::string digits = e164.substr(2);
    return absl::StrCat("(", digits.substr(0, 3), ") ", digits.substr(3, 3),
                        "-", digits.substr(6));
  }
  std::string RandomAddress() {
    const int n = static_cast<int>(rng_() % kAddresses);
    const std::string address =
        absl::StrCat("user", n, "@example", n % 7, ".com");
    used_addresses_.insert(address);
    return rng_() % 4 == 0 ? absl::StrCat("User", n, "@EXAMPLE", n % 7, ".com")
                           : address;
  }
  std::string RandomTag() { return absl::StrCat("tag", rng_() % kTags); }

  Contact RandomContact(const Uuid& tenant) {
    Contact c;
    c.customer_id = tenant;
    c.first_name = absl::StrCat("first", rng_() % 1000);
    c.last_name = absl::StrCat("last", rng_() % 1000);
    const int phones = static_cast<int>(rng_() % 4);
    std::set<std::string> seen;
    for (int i = 0; i < phones; ++i) {
      const std::string number = RandomNumber();
      std::string e164 = number;
      if (number[0] == '(') {
        e164 = "+1";
        for (char ch : number) {
          if (ch >= '0' && ch <= '9') e164.push_back(ch);
        }
      }
      if (!seen.insert(e164).second) continue;
      c.phone_numbers.push_back(Phone(number, i == 0 && rng_() % 2 == 0));
    }
    const int emails = static_cast<int>(rng_() % 3);
    std::set<std::string> seen_addresses;
    for (int i = 0; i < emails; ++i) {
      const std::string address = RandomAddress();
      std::string lower = address;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
      if (!seen_addresses.insert(lower).second) continue;
      c.emails.push_back(Mail(address, i == 0 && rng_() % 3 == 0));
    }
    const int tags = static_cast<int>(rng_() % 4);
    for (int i = 0; i < tags; ++i) c.tags.push_back(RandomTag());
    if (rng_() % 3 == 0) c.external_id = absl::StrCat("ext-", next_external_++);
    return c;
  }

  WriteOptions NextTime() {
    // Several writes share a second, so tm_create ties happen.
    return AtTime(static_cast<int64_t>(clock_++ / 3));
  }

  Uuid RandomModelId() {
    auto it = model_.lower_bound(RandomUuid());
    if (it == model_.end()) it = model_.begin();
    return it->first;
  }
  Uuid RandomUuid() {
    std::array<uint8_t, Uuid::kSize> bytes;
    for (auto& b : bytes) b = static_cast<uint8_t>(rng_());
    return Uuid(bytes);
  }

  // Applies a store result to the model, checking it did what was asked.
  void Apply(const absl::StatusOr<Contact>& r) {
    ASSERT_TRUE(r.ok()) << r.status();
    model_[r->id] = *r;
  }

  void RandomMutation() {
    const Uuid id = RandomModelId();
    const Contact& current = model_.at(id);
    const Uuid tenant = current.customer_id;
    const WriteOptions now = NextTime();
    switch (rng_() % 12) {
      case 0: {  // replace by id with new content
        Contact c = RandomContact(tenant);
        c.id = id;
        c.external_id = current.external_id;
        const absl::StatusOr<UpsertResult> r = store_->Upsert(c, now);
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_FALSE(r->created);
        ASSERT_EQ(E164Set(r->contact).size(), c.phone_numbers.size());
        model_[id] = r->contact;
        break;
      }
      case 1: {  // re-import by external_id
        if (current.external_id.empty()) return;
        Contact c = RandomContact(tenant);
        c.external_id = current.external_id;
        const absl::StatusOr<UpsertResult> r = store_->Upsert(c, now);
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_FALSE(r->created);
        ASSERT_EQ(r->contact.id, id);
        ASSERT_EQ(r->contact.tm_create, current.tm_create);
        model_[id] = r->contact;
        break;
      }
      case 2: {
        const absl::StatusOr<Contact> r = store_->Delete(tenant, id, now);
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(*r, current);
        model_.erase(id);
        deleted_.insert(id);
        break;
      }
      case 3: {
        const std::string number = RandomNumber();
        const absl::StatusOr<E164Number> e164 =
            store_->normalizer().Normalize(number);
        ASSERT_TRUE(e164.ok());
        const bool duplicate = E164Set(current).count(e164->ToString()) > 0;
        const absl::StatusOr<Contact> r =
            store_->AddPhone(tenant, id, Phone(number, rng_() % 3 == 0), now);
        if (duplicate) {
          ASSERT_EQ(ReasonOf(r.status()), Reason::kDuplicatePhone)
              << r.status();
          return;
        }
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(r->phone_numbers.size(), current.phone_numbers.size() + 1);
        ASSERT_EQ(r->phone_numbers.back().number_e164, e164->ToString());
        Apply(r);
        break;
      }
      case 4: {
        if (current.phone_numbers.empty()) return;
        const PhoneNumber& p =
            current.phone_numbers[rng_() % current.phone_numbers.size()];
        PhoneUpdate u;
        if (rng_() % 2) u.number = RandomNumber();
        if (rng_() % 2) u.is_primary = rng_() % 2 == 0;
        const absl::StatusOr<Contact> r =
            store_->UpdatePhone(tenant, id, p.id, u, now);
        if (!r.ok()) {
          ASSERT_EQ(ReasonOf(r.status()), Reason::kDuplicatePhone)
              << r.status();
          return;
        }
        Apply(r);
        break;
      }
      case 5: {
        if (current.phone_numbers.empty()) return;
        const Uuid phone_id =
            current.phone_numbers[rng_() % current.phone_numbers.size()].id;
        const absl::StatusOr<Contact> r =
            store_->RemovePhone(tenant, id, phone_id, now);
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(r->phone_numbers.size() + 1, current.phone_numbers.size());
        Apply(r);
        break;
      }
      case 6: {
        const absl::StatusOr<Contact> r = store_->AddEmail(
            tenant, id, Mail(RandomAddress(), rng_() % 3 == 0), now);
        if (!r.ok()) {
          ASSERT_EQ(ReasonOf(r.status()), Reason::kDuplicateEmail)
              << r.status();
          return;
        }
        Apply(r);
        break;
      }
      case 7: {
        if (current.emails.empty()) return;
        const Email& e = current.emails[rng_() % current.emails.size()];
        EmailUpdate u;
        u.address = RandomAddress();
        const absl::StatusOr<Contact> r =
            store_->UpdateEmail(tenant, id, e.id, u, now);
        if (!r.ok()) {
          ASSERT_EQ(ReasonOf(r.status()), Reason::kDuplicateEmail)
              << r.status();
          return;
        }
        Apply(r);
        break;
      }
      case 8: {
        if (current.emails.empty()) return;
        const Uuid email_id = current.emails[rng_() % current.emails.size()].id;
        Apply(store_->RemoveEmail(tenant, id, email_id, now));
        break;
      }
      case 9: {
        const std::string tag = RandomTag();
        const bool had =
            std::count(current.tags.begin(), current.tags.end(), tag) > 0;
        const absl::StatusOr<Contact> r = store_->AddTag(tenant, id, tag, now);
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(r->tags.size(), current.tags.size() + (had ? 0 : 1));
        Apply(r);
        break;
      }
      case 10: {
        const std::string tag = RandomTag();
        const bool had =
            std::count(current.tags.begin(), current.tags.end(), tag) > 0;
        const absl::StatusOr<Contact> r =
            store_->RemoveTag(tenant, id, tag, now);
        if (!had) {
          ASSERT_EQ(ReasonOf(r.status()), Reason::kTagNotFound) << r.status();
          return;
        }
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(r->tags.size() + 1, current.tags.size());
        Apply(r);
        break;
      }
      case 11: {
        FieldUpdate u;
        u.first_name = absl::StrCat("renamed", rng_() % 100);
        if (rng_() % 2) {
          std::vector<std::string> tags;
          for (int i = 0; i < 2; ++i) tags.push_back(RandomTag());
          u.tags = tags;
        }
        const absl::StatusOr<Contact> r =
            store_->UpdateFields(tenant, id, u, now);
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(r->first_name, *u.first_name);
        Apply(r);
        break;
      }
    }
  }

  using Order =
      std::tuple<bool, absl::Time, Uuid>;  // (!primary, tm_create, id)

  void CheckAgainstModel() {
    std::map<std::pair<Uuid, std::string>, std::vector<Order>> phones, emails;
    std::map<std::pair<Uuid, std::string>, std::vector<Uuid>> lists;
    std::set<Uuid> tenants;
    size_t external_ids = 0;
    for (const auto& [id, c] : model_) {
      tenants.insert(c.customer_id);
      for (const PhoneNumber& p : c.phone_numbers) {
        phones[{c.customer_id, p.number_e164}].push_back(
            {!p.is_primary, c.tm_create, id});
      }
      for (const Email& e : c.emails) {
        emails[{c.customer_id, e.address}].push_back(
            {!e.is_primary, c.tm_create, id});
      }
      lists[{c.customer_id, std::string(kAllContacts)}].push_back(id);
      for (const std::string& t : c.tags)
        lists[{c.customer_id, t}].push_back(id);
      if (!c.external_id.empty()) ++external_ids;
    }

    // Every contact by id, with its exact content; never under another tenant.
    size_t record_bytes = 0;
    {
      EpochGuard guard;
      for (const auto& [id, c] : model_) {
        const ContactRecord* r = index().FindById(c.customer_id, id);
        ASSERT_NE(r, nullptr);
        ASSERT_EQ(r->ToContact(), c);
        record_bytes += r->size_bytes();
        ASSERT_EQ(index().FindById(kTenantB, id), nullptr);
        if (!c.external_id.empty()) {
          ASSERT_EQ(index().FindByExternalId(c.customer_id, c.external_id), r);
        }
      }
      for (const Uuid& id : deleted_) {
        if (model_.count(id) == 0) {
          ASSERT_FALSE(index().HasId(id));
        }
      }
    }

    // Phones: count, first match and full order.
    for (auto& [key, matches] : phones) {
      std::sort(matches.begin(), matches.end());
      std::vector<Uuid> expected;
      for (const Order& o : matches) expected.push_back(std::get<2>(o));
      size_t total = 0;
      const std::vector<Uuid> got =
          AllByPhone(key.first, key.second, ContactIndex::kMaxMatches, &total);
      ASSERT_EQ(total, expected.size()) << key.second;
      expected.resize(std::min(expected.size(), ContactIndex::kMaxMatches));
      ASSERT_EQ(got, expected) << key.second;
      const Hit hit = ByPhone(key.first, key.second);
      ASSERT_EQ(hit.first, expected.front());
      ASSERT_EQ(hit.count, total);
    }
    // Numbers no contact of a tenant holds find nothing there.
    for (int t = 0; t < kTenants; ++t) {
      for (const std::string& number : used_numbers_) {
        if (phones.count({Tenant(t), number}) == 0) {
          ASSERT_FALSE(ByPhone(Tenant(t), number).first.has_value()) << number;
        }
      }
    }
    // Emails likewise.
    for (auto& [key, matches] : emails) {
      std::sort(matches.begin(), matches.end());
      std::vector<Uuid> expected;
      for (const Order& o : matches) expected.push_back(std::get<2>(o));
      ASSERT_EQ(AllByEmail(key.first, key.second), expected) << key.second;
      const Hit hit = ByEmail(key.first, key.second);
      ASSERT_EQ(hit.count, expected.size());
    }
    for (int t = 0; t < kTenants; ++t) {
      for (const std::string& address : used_addresses_) {
        if (emails.count({Tenant(t), address}) == 0) {
          ASSERT_FALSE(ByEmail(Tenant(t), address).first.has_value())
              << address;
        }
      }
    }
    // Lists, read in pages.
    for (auto& [key, ids] : lists) {
      std::sort(ids.begin(), ids.end());
      ASSERT_EQ(ListSize(key.first, key.second), ids.size()) << key.second;
      ASSERT_EQ(ListAll(key.first, key.second, 97), ids) << key.second;
    }
    for (int t = 0; t < kTenants; ++t) {
      for (int tag = 0; tag < kTags; ++tag) {
        const std::string name = absl::StrCat("tag", tag);
        if (lists.count({Tenant(t), name}) == 0) {
          ASSERT_EQ(ListSize(Tenant(t), name), 0u);
        }
      }
    }

    const IndexStats s = Stats();
    EXPECT_EQ(s.contacts, model_.size());
    EXPECT_EQ(index().size(), model_.size());
    EXPECT_EQ(s.tenants, tenants.size());
    EXPECT_EQ(s.phone_keys, phones.size());
    EXPECT_EQ(s.email_keys, emails.size());
    EXPECT_EQ(s.external_ids, external_ids);
    EXPECT_EQ(s.lists, lists.size());
    EXPECT_EQ(s.record_bytes, record_bytes);
  }

  std::mt19937_64 rng_{20240607};
  std::map<Uuid, Contact> model_;
  std::set<Uuid> deleted_;
  std::set<std::string> used_numbers_;
  std::set<std::string> used_addresses_;
  int next_external_ = 0;
  int clock_ = 0;
};

TEST_F(ModelTest, TwentyThousandContactsAgreeWithTheModelAfterRandomWrites) {
  // Create 20,000 contacts over 20 tenants.
  for (int i = 0; i < 20000; ++i) {
    const Contact c =
        RandomContact(Tenant(static_cast<int>(rng_() % kTenants)));
    const absl::StatusOr<UpsertResult> r = store_->Upsert(c, NextTime());
    ASSERT_TRUE(r.ok()) << r.status() << " at contact " << i;
    ASSERT_TRUE(r->created);
    model_[r->contact.id] = r->contact;
  }
  ASSERT_EQ(model_.size(), 20000u);
  CheckAgainstModel();
  if (HasFatalFailure()) return;
  // Then random upserts, deletes and partial mutations.
  for (int i = 0; i < 20000; ++i) {
    if (rng_() % 8 == 0) {
      const absl::StatusOr<UpsertResult> r = store_->Upsert(
          RandomContact(Tenant(static_cast<int>(rng_() % kTenants))),
          NextTime());
      ASSERT_TRUE(r.ok()) << r.status();
      model_[r->contact.id] = r->contact;
      continue;
    }
    RandomMutation();
    if (HasFatalFailure()) {
      ADD_FAILURE() << "at mutation " << i;
      return;
    }
  }
  CheckAgainstModel();
  const IndexStats s = Stats();
  // Enough keys that the hash indexes split into many shards.
  EXPECT_GT(s.phone_keys, 10000u);
  EXPECT_GT(s.contacts, 15000u);
}

}  // namespace
}  // namespace contactd::index
