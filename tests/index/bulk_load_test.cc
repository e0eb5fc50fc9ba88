// Tests for ContactStore::BulkLoad / ContactIndex::BulkLoad: a bulk-loaded
// index answers every read exactly as the one built by Upserts of the same
// contacts, keeps doing so under further writes, and rejects bad batches.

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "index/errors.h"
#include "index/list_index.h"

namespace contactd::index {
namespace {

constexpr int kTenants = 3;
constexpr int kContacts = 3000;  // several shards and tree levels per index
const std::array<std::string, 5> kTags = {"vip", "lead", "emea", "amer", "x"};

Uuid Tenant(int t) {
  std::array<uint8_t, Uuid::kSize> bytes{};
  bytes[0] = 0xa0;
  bytes[15] = static_cast<uint8_t>(t);
  return Uuid(bytes);
}

// Contact i: phones and emails shared between contacts of a tenant (match
// lists), one contact with 10 phones (positions past an entry's 3 bits),
// one of them shared, external ids on some.
Contact MakeContact(int i, int version = 0) {
  Contact c;
  c.customer_id = Tenant(i % kTenants);
  c.first_name = absl::StrCat("First", i, "v", version);
  const int phones = i == 7 ? 10 : 1 + i % 3;
  for (int p = 0; p < phones; ++p) {
    PhoneNumber phone;
    // Every 10th contact shares its first number with contact i - 10.
    int n =
        p == 0 && i % 10 == 5 && i > 10 ? (i - 10) * 16 : i * 16 + p + version;
    // Contact 10 (same tenant) shares contact 7's tenth number: a key whose
    // single-contact entry is a list must merge into a shared one.
    if (i == 10 && p == 1 && version == 0) n = 7 * 16 + 9;
    phone.number = absl::StrCat("+1555", 1000000 + n);
    phone.is_primary = p == 1;
    c.phone_numbers.push_back(phone);
  }
  Email email;
  email.address =
      absl::StrCat("user", i % 7 == 3 && i > 7 ? i - 7 : i, "@example.com");
  c.emails.push_back(email);
  if (i % 4 == 0) c.external_id = absl::StrCat("crm-", i);
  for (int t = 0; t < i % 4; ++t)
    c.tags.push_back(kTags[(i + t + version) % 5]);
  return c;
}

std::unique_ptr<ContactStore> NewStore() {
  absl::StatusOr<std::unique_ptr<ContactStore>> store = ContactStore::Create();
  EXPECT_TRUE(store.ok()) << store.status();
  return *std::move(store);
}

std::vector<const ContactRecord*> ListAll(const ContactIndex& index,
                                          const Uuid& tenant,
                                          std::string_view tag) {
  std::vector<const ContactRecord*> out(kContacts);
  out.resize(index.List(tenant, tag, nullptr, absl::MakeSpan(out)));
  return out;
}

// A record as a Contact, without the ids of its phones and emails (new ones
// get random ids, so two stores given the same writes differ there).
Contact WithoutItemIds(const ContactRecord* r) {
  Contact c = r->ToContact();
  for (PhoneNumber& p : c.phone_numbers) p.id = Uuid();
  for (Email& e : c.emails) e.id = Uuid();
  return c;
}

template <typename Slot>
std::vector<Uuid> Ids(const std::vector<const Slot*>& slots, size_t n) {
  std::vector<Uuid> ids;
  for (size_t i = 0; i < n && i < slots.size(); ++i)
    ids.push_back(slots[i]->record().id());
  return ids;
}

// Every read of `b` answers as the same read of `a`.
void ExpectSameIndex(const ContactIndex& a, const ContactIndex& b) {
  EpochGuard guard;
  const IndexStats sa = a.Stats();
  const IndexStats sb = b.Stats();
  EXPECT_EQ(sa.contacts, sb.contacts);
  EXPECT_EQ(sa.tenants, sb.tenants);
  EXPECT_EQ(sa.phone_keys, sb.phone_keys);
  EXPECT_EQ(sa.email_keys, sb.email_keys);
  EXPECT_EQ(sa.external_ids, sb.external_ids);
  EXPECT_EQ(sa.lists, sb.lists);
  EXPECT_EQ(sa.record_bytes, sb.record_bytes);
  for (int t = 0; t < kTenants; ++t) {
    for (std::string_view tag :
         {kAllContacts, std::string_view("vip"), std::string_view("x")}) {
      EXPECT_EQ(a.ListSize(Tenant(t), tag), b.ListSize(Tenant(t), tag));
      const std::vector<const ContactRecord*> la = ListAll(a, Tenant(t), tag);
      const std::vector<const ContactRecord*> lb = ListAll(b, Tenant(t), tag);
      ASSERT_EQ(la.size(), lb.size());
      for (size_t i = 0; i < la.size(); ++i) {
        ASSERT_EQ(WithoutItemIds(la[i]), WithoutItemIds(lb[i]));
      }
    }
    for (const ContactRecord* r : ListAll(a, Tenant(t), kAllContacts)) {
      const ContactRecord* other = b.FindById(r->customer_id(), r->id());
      ASSERT_NE(other, nullptr);
      if (!r->external_id().empty()) {
        const ContactRecord* by_ext =
            b.FindByExternalId(r->customer_id(), r->external_id());
        ASSERT_NE(by_ext, nullptr);
        EXPECT_EQ(by_ext->id(), r->id());
      }
      for (size_t i = 0; i < r->phone_count(); ++i) {
        std::vector<const PhoneSlot*> pa(8), pb(8);
        const E164Number n = r->phone(i).e164;
        const size_t ca =
            a.FindAllByPhone(r->customer_id(), n, absl::MakeSpan(pa));
        const size_t cb =
            b.FindAllByPhone(r->customer_id(), n, absl::MakeSpan(pb));
        ASSERT_EQ(ca, cb) << n.ToString();
        EXPECT_EQ(Ids(pa, ca), Ids(pb, cb)) << n.ToString();
        EXPECT_EQ(b.FindByPhone(r->customer_id(), n).match_count, ca);
      }
      for (size_t i = 0; i < r->email_count(); ++i) {
        std::vector<const EmailSlot*> ea(8), eb(8);
        const std::string_view address = r->email_address(i);
        const size_t ca =
            a.FindAllByEmail(r->customer_id(), address, absl::MakeSpan(ea));
        const size_t cb =
            b.FindAllByEmail(r->customer_id(), address, absl::MakeSpan(eb));
        ASSERT_EQ(ca, cb) << address;
        EXPECT_EQ(Ids(ea, ca), Ids(eb, cb)) << address;
      }
    }
  }
}

// Builds `upserted` with Upserts and `loaded` by bulk-loading copies of its
// records: in a snapshot's order (by tenant, then id), or shuffled.
void BuildBoth(ContactStore& upserted, ContactStore& loaded,
               bool shuffled = false) {
  for (int i = 0; i < kContacts; ++i) {
    const auto result = upserted.Upsert(MakeContact(i));
    ASSERT_TRUE(result.ok()) << i << ": " << result.status();
  }
  std::vector<ContactRecord::Ptr> records;
  EpochGuard guard;
  for (int t = 0; t < kTenants; ++t) {
    for (const ContactRecord* r :
         ListAll(upserted.index(), Tenant(t), kAllContacts)) {
      records.push_back(ContactRecord::Build(r->ToContact()));
    }
  }
  ASSERT_EQ(records.size(), static_cast<size_t>(kContacts));
  if (shuffled) std::shuffle(records.begin(), records.end(), std::mt19937(7));
  ASSERT_TRUE(loaded.BulkLoad(std::move(records)).ok());
}

TEST(BulkLoadTest, EqualsTheIndexBuiltByUpserts) {
  std::unique_ptr<ContactStore> upserted = NewStore();
  std::unique_ptr<ContactStore> loaded = NewStore();
  BuildBoth(*upserted, *loaded);
  ExpectSameIndex(upserted->index(), loaded->index());
}

TEST(BulkLoadTest, RecordsInAnyOrderGiveTheSameIndex) {
  std::unique_ptr<ContactStore> upserted = NewStore();
  std::unique_ptr<ContactStore> loaded = NewStore();
  BuildBoth(*upserted, *loaded, /*shuffled=*/true);
  ExpectSameIndex(upserted->index(), loaded->index());
}

TEST(BulkLoadTest, StaysEqualUnderLaterWrites) {
  std::unique_ptr<ContactStore> upserted = NewStore();
  std::unique_ptr<ContactStore> loaded = NewStore();
  BuildBoth(*upserted, *loaded);
  for (int i = 0; i < kContacts; i += 3) {
    for (ContactStore* store : {upserted.get(), loaded.get()}) {
      Contact c = MakeContact(i, /*version=*/1);
      {
        EpochGuard guard;
        const ContactRecord* old = nullptr;
        for (const ContactRecord* r :
             ListAll(store->index(), c.customer_id, kAllContacts)) {
          if (r->first_name() == absl::StrCat("First", i, "v0")) old = r;
        }
        ASSERT_NE(old, nullptr);
        c.id = old->id();
      }
      WriteOptions options;  // the same clock for both stores
      options.now = absl::FromUnixSeconds(1'800'000'000);
      const auto result = store->Upsert(c, options);
      ASSERT_TRUE(result.ok()) << i << ": " << result.status();
    }
  }
  ExpectSameIndex(upserted->index(), loaded->index());
}

TEST(BulkLoadTest, RejectsARepeatedIdAndLoadsNothing) {
  std::unique_ptr<ContactStore> upserted = NewStore();
  ASSERT_TRUE(upserted->Upsert(MakeContact(1)).ok());
  std::vector<ContactRecord::Ptr> records;
  {
    EpochGuard guard;
    const ContactRecord* r =
        ListAll(upserted->index(), Tenant(1), kAllContacts)[0];
    records.push_back(ContactRecord::Build(r->ToContact()));
    records.push_back(ContactRecord::Build(r->ToContact()));
  }
  std::unique_ptr<ContactStore> loaded = NewStore();
  const absl::Status status = loaded->BulkLoad(std::move(records));
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(ReasonOf(status), Reason::kAlreadyExists);
  EXPECT_EQ(loaded->index().size(), 0u);
}

TEST(BulkLoadTest, RejectsARepeatedIdAmongThousands) {
  // Enough records for the two-thread path; the copy is far from the first.
  std::unique_ptr<ContactStore> upserted = NewStore();
  std::unique_ptr<ContactStore> loaded = NewStore();
  std::vector<ContactRecord::Ptr> records;
  for (int i = 0; i < kContacts; ++i) {
    const auto result = upserted->Upsert(MakeContact(i));
    ASSERT_TRUE(result.ok()) << result.status();
    records.push_back(ContactRecord::Build(result->contact));
  }
  const std::string repeated = records[10]->id().ToString();
  records.push_back(ContactRecord::Build(records[10]->ToContact()));
  const absl::Status status = loaded->BulkLoad(std::move(records));
  EXPECT_EQ(ReasonOf(status), Reason::kAlreadyExists) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), repeated)) << status;
  EXPECT_EQ(loaded->index().size(), 0u);
}

TEST(BulkLoadTest, RejectsARepeatedExternalId) {
  std::unique_ptr<ContactStore> upserted = NewStore();
  ASSERT_TRUE(upserted->Upsert(MakeContact(0)).ok());
  std::vector<ContactRecord::Ptr> records;
  {
    EpochGuard guard;
    Contact c =
        ListAll(upserted->index(), Tenant(0), kAllContacts)[0]->ToContact();
    records.push_back(ContactRecord::Build(c));
    c.id = Uuid::Random();
    records.push_back(ContactRecord::Build(c));
  }
  std::unique_ptr<ContactStore> loaded = NewStore();
  const absl::Status status = loaded->BulkLoad(std::move(records));
  EXPECT_EQ(ReasonOf(status), Reason::kExternalIdConflict) << status;
}

TEST(BulkLoadTest, RefusesANonEmptyIndex) {
  std::unique_ptr<ContactStore> store = NewStore();
  ASSERT_TRUE(store->Upsert(MakeContact(0)).ok());
  const absl::Status status = store->BulkLoad({});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

}  // namespace
}  // namespace contactd::index
