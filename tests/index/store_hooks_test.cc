// Tests for what ContactStore offers the durability layer: the ChangeLog
// that sees every write before it is applied, Restore/RestoreDelete for
// replay, Freeze (a point-in-time view while writes go on) and ReplaceIndex
// (the reload's atomic swap).

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/change_log.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "index/errors.h"

namespace contactd::index {
namespace {

const Uuid kTenant = *Uuid::Parse("6f1c2a4e-0b7d-4c53-9a8e-2d4f6b8c0e13");
const Uuid kOtherTenant = *Uuid::Parse("0a0b0c0d-0e0f-4011-8213-141516171819");

Contact MakeContact(std::string first, std::string phone,
                    std::string external_id = "") {
  Contact c;
  c.customer_id = kTenant;
  c.first_name = std::move(first);
  c.external_id = std::move(external_id);
  c.phone_numbers.push_back({.number = std::move(phone)});
  return c;
}

std::unique_ptr<ContactStore> NewStore() { return *ContactStore::Create("US"); }

// Records what it is told; fails every call while `fail` is set.
class RecordingLog final : public ChangeLog {
 public:
  absl::Status LogPut(const ContactRecord* old,
                      const ContactRecord& now) override {
    if (fail) return absl::ResourceExhaustedError("disk full");
    events.push_back(absl::StrCat(old == nullptr ? "create " : "replace ",
                                  std::string(now.first_name())));
    return absl::OkStatus();
  }
  absl::Status LogDelete(const ContactRecord& old) override {
    if (fail) return absl::ResourceExhaustedError("disk full");
    events.push_back(absl::StrCat("delete ", std::string(old.first_name())));
    return absl::OkStatus();
  }
  bool fail = false;
  std::vector<std::string> events;
};

TEST(StoreHooksTest, ChangeLogSeesEveryWriteInOrder) {
  auto store = NewStore();
  RecordingLog log;
  store->set_change_log(&log);
  auto created = store->Upsert(MakeContact("Ada", "+15551230001"));
  ASSERT_TRUE(created.ok()) << created.status();
  const Uuid id = created->contact.id;
  ASSERT_TRUE(store->AddTag(kTenant, id, "vip").ok());
  ASSERT_TRUE(store->Delete(kTenant, id).ok());
  EXPECT_EQ(log.events, (std::vector<std::string>{"create Ada", "replace Ada",
                                                  "delete Ada"}));
}

TEST(StoreHooksTest, AFailedLogCancelsTheWrite) {
  auto store = NewStore();
  RecordingLog log;
  store->set_change_log(&log);
  auto created = store->Upsert(MakeContact("Ada", "+15551230001"));
  ASSERT_TRUE(created.ok());
  log.fail = true;
  Contact renamed = created->contact;
  renamed.first_name = "Grace";
  EXPECT_EQ(store->Upsert(renamed).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(store->Delete(kTenant, created->contact.id).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(store->Upsert(MakeContact("New", "+15551230002")).status().code(),
            absl::StatusCode::kResourceExhausted);

  EpochGuard guard;
  const ContactRecord* stored =
      store->index().FindById(kTenant, created->contact.id);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->first_name(), "Ada");
  EXPECT_EQ(store->index().size(), 1u);
}

TEST(StoreHooksTest, RestoreReplaysLoggedRecords) {
  auto source = NewStore();
  auto a = source->Upsert(MakeContact("Ada", "+15551230001", "crm-1"));
  ASSERT_TRUE(a.ok());

  auto replica = NewStore();
  ASSERT_TRUE(replica->Restore(ContactRecord::Build(a->contact)).ok());
  Contact renamed = a->contact;
  renamed.first_name = "Grace";
  ASSERT_TRUE(replica->Restore(ContactRecord::Build(renamed)).ok());
  {
    EpochGuard guard;
    const ContactRecord* r = replica->index().FindById(kTenant, a->contact.id);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->ToContact(), renamed);
    EXPECT_EQ(replica->index().size(), 1u);
  }
  ASSERT_TRUE(replica->RestoreDelete(kTenant, a->contact.id).ok());
  EXPECT_EQ(replica->index().size(), 0u);
  EXPECT_EQ(ReasonOf(replica->RestoreDelete(kTenant, a->contact.id)),
            Reason::kContactNotFound);
}

TEST(StoreHooksTest, RestoreRefusesWhatTheWriterNeverWrites) {
  auto store = NewStore();
  auto a = store->Upsert(MakeContact("Ada", "+15551230001", "crm-1"));
  ASSERT_TRUE(a.ok());

  Contact same_external_id = a->contact;
  same_external_id.id = Uuid::Random();
  EXPECT_EQ(ReasonOf(store->Restore(ContactRecord::Build(same_external_id))),
            Reason::kExternalIdConflict);

  Contact other_tenant = a->contact;
  other_tenant.customer_id = kOtherTenant;
  EXPECT_EQ(ReasonOf(store->Restore(ContactRecord::Build(other_tenant))),
            Reason::kAlreadyExists);
}

TEST(StoreHooksTest, FreezeSeesTheInstantItWasTaken) {
  auto store = NewStore();
  std::vector<Uuid> ids;
  for (int i = 0; i < 300; ++i) {
    auto c = store->Upsert(MakeContact(absl::StrCat("v0-", i),
                                       absl::StrCat("+1555123", 1000 + i)));
    ASSERT_TRUE(c.ok());
    ids.push_back(c->contact.id);
  }
  EpochGuard guard;  // before Freeze, as the view requires
  bool ran = false;
  const IndexView view = store->Freeze([&] { ran = true; });
  EXPECT_TRUE(ran);
  EXPECT_EQ(view.size(), 300u);
  EXPECT_EQ(view.tenant_count(), 1u);

  // Later writes: renames, deletes, a new tenant.
  for (int i = 0; i < 300; i += 2) {
    ASSERT_TRUE(
        store->UpdateFields(kTenant, ids[i], {.first_name = "v1"}).ok());
  }
  for (int i = 1; i < 300; i += 4)
    ASSERT_TRUE(store->Delete(kTenant, ids[i]).ok());
  Contact other = MakeContact("other", "+15559990000");
  other.customer_id = kOtherTenant;
  ASSERT_TRUE(store->Upsert(other).ok());

  size_t seen = 0;
  view.ForEach([&](const ContactRecord& r) {
    ++seen;
    EXPECT_TRUE(std::string(r.first_name()).starts_with("v0-"));
    EXPECT_EQ(r.customer_id(), kTenant);
  });
  EXPECT_EQ(seen, 300u);
}

TEST(StoreHooksTest, FreezeWhileAWriterRuns) {
  auto store = NewStore();
  std::vector<Uuid> ids;
  for (int i = 0; i < 2000; ++i) {
    auto c =
        store->Upsert(MakeContact("v0", absl::StrCat("+1555", 1000000 + i)));
    ASSERT_TRUE(c.ok());
    ids.push_back(c->contact.id);
  }
  std::atomic<bool> frozen{false}, stop{false};
  std::thread writer([&] {
    while (!frozen.load()) std::this_thread::yield();
    for (int round = 0; !stop.load() && round < 20; ++round) {
      for (size_t i = 0; i < ids.size(); i += 7) {
        store
            ->UpdateFields(kTenant, ids[i],
                           {.first_name = absl::StrCat("v", round + 1)})
            .IgnoreError();
      }
    }
  });
  {
    EpochGuard guard;
    const IndexView view = store->Freeze([] {});
    frozen = true;
    size_t seen = 0;
    view.ForEach([&](const ContactRecord& r) {
      ++seen;
      EXPECT_EQ(r.first_name(), "v0");
    });
    EXPECT_EQ(seen, ids.size());
  }
  stop = true;
  writer.join();
}

TEST(StoreHooksTest, ReplaceIndexSwapsTheWholeDataset) {
  auto store = NewStore();
  auto a = store->Upsert(MakeContact("Ada", "+15551230001"));
  ASSERT_TRUE(a.ok());

  auto next = std::make_unique<ContactIndex>();
  Contact b = MakeContact("Bob", "+15551230002");
  b.id = Uuid::Random();
  b.phone_numbers[0].id = Uuid::Random();
  b.phone_numbers[0].number_e164 = "+15551230002";
  b.tm_create = b.tm_update = absl::FromUnixSeconds(1'700'000'000);
  b.phone_numbers[0].tm_create = b.tm_create;
  std::vector<ContactRecord::Ptr> records;
  records.push_back(ContactRecord::Build(b));
  ASSERT_TRUE(next->BulkLoad(std::move(records)).ok());

  // A failing step under the lock cancels the swap.
  auto refused = store->ReplaceIndex(std::make_unique<ContactIndex>(), [] {
    return absl::UnavailableError("rename failed");
  });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);

  auto replaced =
      store->ReplaceIndex(std::move(next), [] { return absl::OkStatus(); });
  ASSERT_TRUE(replaced.ok());
  Epochs().Synchronize();
  EXPECT_EQ((*replaced)->size(), 1u);
  replaced->reset();

  EpochGuard guard;
  EXPECT_EQ(store->index().FindById(kTenant, a->contact.id), nullptr);
  EXPECT_NE(store->index().FindById(kTenant, b.id), nullptr);
  // Writes go to the new index.
  EXPECT_TRUE(store->UpdateFields(kTenant, b.id, {.last_name = "B"}).ok());
}

}  // namespace
}  // namespace contactd::index
