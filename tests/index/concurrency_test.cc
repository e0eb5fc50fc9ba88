// Concurrency tests for ContactStore / ContactIndex: lock-free readers under
// an EpochGuard while one writer performs every kind of mutation. Also run
// under ThreadSanitizer (label "concurrency").
//
// The writer follows a plan computed before any thread starts: op g touches
// contact k = g % kContacts and stamps it with tm_update = base + g seconds.
// The plan also holds the exact content every contact must have after op g,
// so a reader that finds a record reads g from its tm_update and checks the
// whole record against plan[g]: a torn or mixed record cannot match. Every
// full write also puts the version into the content itself (first_name,
// notes, phone numbers, emails and tags all say "v<g>").
//
// The loops are bounded by the writer's op count; readers run until the
// writer is done (plus a minimum number of passes). No sleeps.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/contact.h"
#include "index/contact_store.h"
#include "index/e164.h"
#include "index/email_normalizer.h"
#include "index/epoch.h"
#include "index/list_index.h"
#include "index/uuid.h"

namespace contactd::index {
namespace {

constexpr int64_t kBaseSeconds = 1'700'000'000;
constexpr int kReaders = 3;
constexpr int kMinReaderPasses = 200;

Uuid MakeId(uint32_t n, uint8_t top) {
  std::array<uint8_t, Uuid::kSize> bytes{};
  bytes[0] = top;
  bytes[12] = static_cast<uint8_t>(n >> 24);
  bytes[13] = static_cast<uint8_t>(n >> 16);
  bytes[14] = static_cast<uint8_t>(n >> 8);
  bytes[15] = static_cast<uint8_t>(n);
  return Uuid(bytes);
}

const Uuid kTenant = MakeId(1, 0xa0);
const Uuid kOtherTenant = MakeId(2, 0xb0);

WriteOptions At(int64_t g) {
  WriteOptions options;
  options.now = absl::FromUnixSeconds(kBaseSeconds + g);
  return options;
}

// Collects failures from any thread; the test thread reports them.
class Failures {
 public:
  void Add(std::string message) {
    count_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mu_);
    if (messages_.size() < 20) messages_.push_back(std::move(message));
  }
  int count() const { return count_.load(std::memory_order_relaxed); }
  std::string Summary() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const std::string& m : messages_) absl::StrAppend(&out, m, "\n");
    return out;
  }

 private:
  std::atomic<int> count_{0};
  mutable std::mutex mu_;
  std::vector<std::string> messages_;
};

// Starts reader threads; on destruction (also after a failed ASSERT) tells
// them to stop and joins them.
class Readers {
 public:
  template <typename Fn>
  Readers(int n, Fn fn) {
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back([this, fn, i] {
        int passes = 0;
        while (!stop_.load(std::memory_order_acquire) ||
               passes < kMinReaderPasses) {
          fn(i, passes);
          ++passes;
        }
        passes_.fetch_add(passes, std::memory_order_relaxed);
      });
    }
  }
  ~Readers() { Join(); }
  void Join() {
    stop_.store(true, std::memory_order_release);
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  int64_t passes() const { return passes_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> passes_{0};
  std::vector<std::thread> threads_;
};

// ---- The plan
// ----------------------------------------------------------------------

constexpr int kContacts = 8;
constexpr char kSharedNumber[] =
    "+15559999999";  // on every contact after a full write
constexpr char kSharedEmail[] = "team@example.com";

enum class OpKind {
  kCreate,
  kReplace,   // upsert by id, all new numbers/emails/tags
  kReimport,  // upsert by external_id
  kAddPhone,
  kAddPrimaryPhone,
  kUpdatePhone,
  kRemovePhone,
  kAddEmail,
  kUpdateEmail,
  kRemoveEmail,
  kAddTag,
  kRemoveTag,
  kUpdateFields,
  kDelete,
};

struct ModelPhone {
  std::string e164;
  bool national;  // entered as "(555) ddd-dddd"
  bool primary;
};
struct ModelEmail {
  std::string address;
  bool primary;
};
// What contact `k` holds after an op.
struct State {
  int k = -1;
  bool exists = false;
  std::string first_name, notes;
  std::vector<ModelPhone> phones;
  std::vector<ModelEmail> emails;
  std::vector<std::string> tags;
};
struct Op {
  OpKind kind;
  int k;
  State after;
};

std::string ExternalId(int k) { return absl::StrCat("ext-", k); }

// "+1555" then 7 digits: contact (1..8), version (5 digits), item.
std::string VersionNumber(int k, int64_t g, int j) {
  const std::string version =
      std::to_string(100000 + g % 100000).substr(1);  // 5 digits
  return absl::StrCat("+1555", k + 1, version, j);
}
std::string National(const std::string& e164) {
  const std::string d = e164.substr(2);  // "555dddxxxx"
  return absl::StrCat("(", d.substr(0, 3), ") ", d.substr(3, 3), "-",
                      d.substr(6));
}
std::string VersionEmail(int k, int64_t g, int j) {
  return absl::StrCat("v", g, ".k", k, ".", j, "@example.com");
}

State FullState(int k, int64_t g) {
  State s;
  s.k = k;
  s.exists = true;
  s.first_name = absl::StrCat("v", g);
  s.notes = absl::StrCat("v", g);
  s.phones = {{VersionNumber(k, g, 0), false, true},
              {VersionNumber(k, g, 1), true, false},
              {kSharedNumber, false, false}};
  s.emails = {{VersionEmail(k, g, 0), true}, {kSharedEmail, false}};
  s.tags = {absl::StrCat("v", g, "-x"), "live"};
  return s;
}

std::vector<Op> MakePlan(int64_t ops) {
  static constexpr OpKind kCycle[] = {
      OpKind::kReplace,      OpKind::kAddPhone,    OpKind::kUpdatePhone,
      OpKind::kAddEmail,     OpKind::kUpdateEmail, OpKind::kAddTag,
      OpKind::kUpdateFields, OpKind::kRemovePhone, OpKind::kRemoveEmail,
      OpKind::kRemoveTag,    OpKind::kReimport,    OpKind::kAddPrimaryPhone,
      OpKind::kDelete,       OpKind::kCreate,
  };
  constexpr int kCycleLength = sizeof(kCycle) / sizeof(kCycle[0]);
  std::vector<State> current(kContacts);
  std::vector<Op> plan;
  plan.reserve(static_cast<size_t>(ops));
  for (int64_t g = 0; g < ops; ++g) {
    const int k = static_cast<int>(g % kContacts);
    const int64_t step = g / kContacts;
    OpKind kind =
        step == 0 ? OpKind::kCreate : kCycle[(step - 1 + k) % kCycleLength];
    State& s = current[k];
    if (!s.exists) kind = OpKind::kCreate;
    if (s.exists && kind == OpKind::kCreate) kind = OpKind::kReplace;
    if (s.phones.empty() &&
        (kind == OpKind::kRemovePhone || kind == OpKind::kUpdatePhone)) {
      kind = OpKind::kAddPhone;
    }
    if (s.emails.empty() &&
        (kind == OpKind::kRemoveEmail || kind == OpKind::kUpdateEmail)) {
      kind = OpKind::kAddEmail;
    }
    if (s.tags.empty() && kind == OpKind::kRemoveTag) kind = OpKind::kAddTag;
    switch (kind) {
      case OpKind::kCreate:
      case OpKind::kReplace:
      case OpKind::kReimport:
        s = FullState(k, g);
        break;
      case OpKind::kAddPhone:
      case OpKind::kAddPrimaryPhone: {
        const bool primary = kind == OpKind::kAddPrimaryPhone;
        if (primary) {
          for (ModelPhone& p : s.phones) p.primary = false;
        }
        s.phones.push_back({VersionNumber(k, g, 0), false, primary});
        break;
      }
      case OpKind::kUpdatePhone:
        for (ModelPhone& p : s.phones) p.primary = false;
        s.phones[0] = {VersionNumber(k, g, 0), false, true};
        break;
      case OpKind::kRemovePhone:
        s.phones.pop_back();
        break;
      case OpKind::kAddEmail:
        s.emails.push_back({VersionEmail(k, g, 0), false});
        break;
      case OpKind::kUpdateEmail:
        for (ModelEmail& e : s.emails) e.primary = false;
        s.emails[0] = {VersionEmail(k, g, 0), true};
        break;
      case OpKind::kRemoveEmail:
        s.emails.pop_back();
        break;
      case OpKind::kAddTag:
        s.tags.push_back(absl::StrCat("v", g, "-y"));
        break;
      case OpKind::kRemoveTag:
        s.tags.erase(s.tags.begin());
        break;
      case OpKind::kUpdateFields:
        s.first_name = absl::StrCat("v", g);
        s.notes = absl::StrCat("v", g);
        break;
      case OpKind::kDelete:
        s = State();
        s.k = k;
        break;
    }
    plan.push_back({kind, k, s});
  }
  return plan;
}

// Canonical text of a contact's content, from the plan, a Contact, or a
// record; equal text means equal content.
std::string Describe(const State& s) {
  std::string out =
      absl::StrCat(ExternalId(s.k), "|", s.first_name, "|", s.notes, "|");
  for (const ModelPhone& p : s.phones)
    absl::StrAppend(&out, p.e164, p.primary ? "*" : "", ",");
  out += "|";
  for (const ModelEmail& e : s.emails)
    absl::StrAppend(&out, e.address, e.primary ? "*" : "", ",");
  out += "|";
  for (const std::string& t : s.tags) absl::StrAppend(&out, t, ",");
  return out;
}
std::string Describe(const Contact& c) {
  std::string out =
      absl::StrCat(c.external_id, "|", c.first_name, "|", c.notes, "|");
  for (const PhoneNumber& p : c.phone_numbers) {
    absl::StrAppend(&out, p.number_e164, p.is_primary ? "*" : "", ",");
  }
  out += "|";
  for (const Email& e : c.emails)
    absl::StrAppend(&out, e.address, e.is_primary ? "*" : "", ",");
  out += "|";
  for (const std::string& t : c.tags) absl::StrAppend(&out, t, ",");
  return out;
}
std::string Describe(const ContactRecord& r) {
  std::string out = absl::StrCat(std::string(r.external_id()), "|",
                                 std::string(r.first_name()), "|",
                                 std::string(r.notes()), "|");
  for (size_t i = 0; i < r.phone_count(); ++i) {
    absl::StrAppend(&out, r.phone(i).e164.ToString(),
                    r.phone(i).is_primary() ? "*" : "", ",");
  }
  out += "|";
  for (size_t i = 0; i < r.email_count(); ++i) {
    absl::StrAppend(&out, std::string(r.email_address(i)),
                    r.email(i).is_primary() ? "*" : "", ",");
  }
  out += "|";
  for (size_t i = 0; i < r.tag_count(); ++i)
    absl::StrAppend(&out, std::string(r.tag(i)), ",");
  return out;
}

Contact ToRequest(const State& s) {
  Contact c;
  c.customer_id = kTenant;
  c.external_id = ExternalId(s.k);
  c.first_name = s.first_name;
  c.notes = s.notes;
  for (const ModelPhone& p : s.phones) {
    PhoneNumber phone;
    phone.number = p.national ? National(p.e164) : p.e164;
    phone.is_primary = p.primary;
    c.phone_numbers.push_back(phone);
  }
  for (const ModelEmail& e : s.emails) {
    Email email;
    // Mixed case: the store lowercases.
    email.address = e.address;
    email.address[0] = static_cast<char>(std::toupper(email.address[0]));
    email.is_primary = e.primary;
    c.emails.push_back(email);
  }
  c.tags = s.tags;
  return c;
}

// Runs op `g` of the plan; `last` holds what the writer last stored per
// contact (for ids). Returns an error description, or "" on success.
std::string RunOp(ContactStore& store, const std::vector<Op>& plan, int64_t g,
                  std::vector<Contact>& last) {
  const Op& op = plan[static_cast<size_t>(g)];
  Contact& mine = last[static_cast<size_t>(op.k)];
  const WriteOptions now = At(g);
  absl::StatusOr<Contact> result = Contact();
  switch (op.kind) {
    case OpKind::kCreate:
    case OpKind::kReplace:
    case OpKind::kReimport: {
      Contact request = ToRequest(op.after);
      if (op.kind == OpKind::kReplace) request.id = mine.id;
      absl::StatusOr<UpsertResult> r = store.Upsert(request, now);
      if (!r.ok()) {
        result = r.status();
        break;
      }
      if (r->created != (op.kind == OpKind::kCreate))
        return absl::StrCat("op ", g, ": created?");
      if (op.kind != OpKind::kCreate && r->contact.id != mine.id) {
        return absl::StrCat("op ", g, ": upsert changed the id");
      }
      result = std::move(r->contact);
      break;
    }
    case OpKind::kAddPhone:
    case OpKind::kAddPrimaryPhone: {
      PhoneNumber p;
      p.number = op.after.phones.back().e164;
      p.is_primary = op.kind == OpKind::kAddPrimaryPhone;
      result = store.AddPhone(kTenant, mine.id, p, now);
      break;
    }
    case OpKind::kUpdatePhone: {
      PhoneUpdate u;
      u.number = National(op.after.phones[0].e164);
      u.is_primary = true;
      result =
          store.UpdatePhone(kTenant, mine.id, mine.phone_numbers[0].id, u, now);
      break;
    }
    case OpKind::kRemovePhone:
      result = store.RemovePhone(kTenant, mine.id, mine.phone_numbers.back().id,
                                 now);
      break;
    case OpKind::kAddEmail: {
      Email e;
      e.address = op.after.emails.back().address;
      result = store.AddEmail(kTenant, mine.id, e, now);
      break;
    }
    case OpKind::kUpdateEmail: {
      EmailUpdate u;
      u.address = op.after.emails[0].address;
      u.is_primary = true;
      result = store.UpdateEmail(kTenant, mine.id, mine.emails[0].id, u, now);
      break;
    }
    case OpKind::kRemoveEmail:
      result = store.RemoveEmail(kTenant, mine.id, mine.emails.back().id, now);
      break;
    case OpKind::kAddTag:
      result = store.AddTag(kTenant, mine.id, op.after.tags.back(), now);
      break;
    case OpKind::kRemoveTag:
      result = store.RemoveTag(kTenant, mine.id, mine.tags.front(), now);
      break;
    case OpKind::kUpdateFields: {
      FieldUpdate u;
      u.first_name = op.after.first_name;
      u.notes = op.after.notes;
      result = store.UpdateFields(kTenant, mine.id, u, now);
      break;
    }
    case OpKind::kDelete:
      result = store.Delete(kTenant, mine.id, now);
      if (!result.ok()) break;
      mine = Contact();
      return "";
  }
  if (!result.ok())
    return absl::StrCat("op ", g, ": ", result.status().ToString());
  if (Describe(*result) != Describe(op.after)) {
    return absl::StrCat("op ", g, ": stored ", Describe(*result), " planned ",
                        Describe(op.after));
  }
  mine = *std::move(result);
  return "";
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ContactStore>> store =
        ContactStore::Create("US");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  void TearDown() override {
    // Everything the test retired is freed before the next test starts.
    Epochs().Synchronize();
  }

  std::unique_ptr<ContactStore> store_;
};

// Checks one record found by any lookup against the plan. Returns "" when it
// is a planned state of a contact of kTenant.
std::string CheckRecord(const ContactRecord& r, const std::vector<Op>& plan) {
  if (r.customer_id() != kTenant) return "record of another tenant";
  const int64_t g = absl::ToUnixSeconds(r.tm_update()) - kBaseSeconds;
  if (g < 0 || g >= static_cast<int64_t>(plan.size())) {
    return absl::StrCat("tm_update outside the plan: ", g);
  }
  const State& planned = plan[static_cast<size_t>(g)].after;
  if (!planned.exists) return absl::StrCat("record of a deleted state, op ", g);
  if (r.tm_create() > r.tm_update()) return "tm_create after tm_update";
  const std::string got = Describe(r);
  const std::string want = Describe(planned);
  if (got != want)
    return absl::StrCat("torn record at op ", g, ": ", got, " vs ", want);
  return "";
}

using OrderKey = std::tuple<bool, absl::Time, Uuid>;
template <typename Slot>
OrderKey KeyOf(const Slot* s) {
  return {!s->is_primary(), s->record().tm_create(), s->record().id()};
}

TEST_F(ConcurrencyTest,
       ReadersSeeOnlyWholePlannedContactsWhileOneWriterMutates) {
  const std::vector<Op> plan =
      MakePlan(14 * kContacts * 6);  // every op kind, many times
  // A contact of another tenant with the shared number and email: it must
  // never show up in kTenant's answers, and kOtherTenant always finds it.
  Contact other;
  other.customer_id = kOtherTenant;
  other.first_name = "other";
  other.phone_numbers.push_back(PhoneNumber{Uuid(), kSharedNumber, "",
                                            PhoneType::kMobile, false,
                                            absl::InfinitePast()});
  other.emails.push_back(Email{Uuid(), kSharedEmail, EmailType::kWork, false,
                               absl::InfinitePast()});
  other.tags = {"live"};
  absl::StatusOr<UpsertResult> other_result = store_->Upsert(other, At(0));
  ASSERT_TRUE(other_result.ok()) << other_result.status();
  const Uuid other_id = other_result->contact.id;

  std::atomic<int64_t> done{0};  // ops completed by the writer
  std::atomic<int64_t> hits{0};
  Failures failures;
  const ContactIndex& index = store_->index();
  const E164Number shared = *E164Number::FromStrict(kSharedNumber);

  auto reader = [&](int reader_id, int pass) {
    std::mt19937_64 rng(static_cast<uint64_t>(reader_id) * 7919 +
                        static_cast<uint64_t>(pass));
    const int64_t completed = done.load(std::memory_order_acquire);
    // A recently planned state: its phones, emails and tags are likely live.
    const int64_t pick =
        completed == 0
            ? 0
            : completed - 1 -
                  static_cast<int64_t>(
                      rng() % std::min<int64_t>(completed, 3 * kContacts));
    const State& recent = plan[static_cast<size_t>(pick)].after;
    auto fail = [&](std::string what) {
      failures.Add(
          absl::StrCat("reader ", reader_id, " pass ", pass, ": ", what));
    };

    EpochGuard guard;
    // By phone: a number of a recent state, then the shared number.
    std::vector<E164Number> numbers = {shared};
    for (const ModelPhone& p : recent.phones)
      numbers.push_back(*E164Number::FromStrict(p.e164));
    for (const E164Number number : numbers) {
      const Lookup<PhoneSlot> hit = index.FindByPhone(kTenant, number);
      if (hit.first == nullptr) {
        if (hit.match_count != 0) fail("match_count without a first match");
        continue;
      }
      hits.fetch_add(1, std::memory_order_relaxed);
      if (hit.match_count < 1) fail("first match with match_count 0");
      if (hit.first->e164 != number) fail("slot of another number");
      const ContactRecord& r = hit.first->record();
      if (r.FindPhone(number) != hit.first)
        fail("record lacks the number it was found by");
      if (std::string e = CheckRecord(r, plan); !e.empty()) fail(e);
      // All matches, in lookup order, each with the number.
      const PhoneSlot* all[2 * kContacts];
      const size_t total =
          index.FindAllByPhone(kTenant, number, absl::MakeSpan(all));
      if (total > kContacts)
        fail(absl::StrCat("more matches than contacts: ", total));
      for (size_t i = 0; i < std::min<size_t>(total, 2 * kContacts); ++i) {
        if (all[i]->e164 != number) fail("FindAll slot of another number");
        if (std::string e = CheckRecord(all[i]->record(), plan); !e.empty())
          fail(e);
        if (i > 0 && !(KeyOf(all[i - 1]) < KeyOf(all[i])))
          fail("FindAll out of lookup order");
      }
    }
    // The other tenant's contact is always there, alone.
    {
      const Lookup<PhoneSlot> hit = index.FindByPhone(kOtherTenant, shared);
      if (hit.first == nullptr || hit.match_count != 1 ||
          hit.first->record().id() != other_id) {
        fail("other tenant's shared number");
      }
    }
    // By email, as a client would type it (normalized first).
    for (const ModelEmail& e : recent.emails) {
      std::string typed = e.address;
      std::transform(typed.begin(), typed.end(), typed.begin(), [](char ch) {
        return static_cast<char>(std::toupper(ch));
      });
      const absl::StatusOr<NormalizedEmail> address = NormalizeEmail(typed);
      if (!address.ok()) {
        fail("NormalizeEmail");
        continue;
      }
      const Lookup<EmailSlot> hit = index.FindByEmail(kTenant, address->view());
      if (hit.first == nullptr) continue;
      hits.fetch_add(1, std::memory_order_relaxed);
      if (hit.match_count < 1) fail("email first match with match_count 0");
      const ContactRecord& r = hit.first->record();
      if (r.FindEmail(address->view()) != hit.first)
        fail("record lacks the email");
      if (std::string err = CheckRecord(r, plan); !err.empty()) fail(err);
    }
    // By tag list, in pages of 3: every record has the tag, ids increase.
    std::vector<std::string> tags = {"live", std::string(kAllContacts)};
    for (const std::string& t : recent.tags) tags.push_back(t);
    std::vector<Uuid> seen_ids;
    for (const std::string& tag : tags) {
      std::optional<Uuid> after;
      int pages = 0;
      while (pages++ < 10) {
        const ContactRecord* page[3];
        const size_t n = index.List(kTenant, tag, after ? &*after : nullptr,
                                    absl::MakeSpan(page));
        for (size_t i = 0; i < n; ++i) {
          const ContactRecord& r = *page[i];
          if (after && !(*after < r.id())) fail("list ids not increasing");
          after = r.id();
          if (tag != kAllContacts && !r.HasTag(tag))
            fail(absl::StrCat("list record lacks ", tag));
          if (std::string e = CheckRecord(r, plan); !e.empty()) fail(e);
          if (tag == kAllContacts) seen_ids.push_back(r.id());
        }
        if (n < 3) break;
      }
      if (index.ListSize(kTenant, tag) > kContacts)
        fail("list larger than the tenant");
    }
    // By id (ids seen in the list), and never under the other tenant.
    for (const Uuid& id : seen_ids) {
      if (index.FindById(kOtherTenant, id) != nullptr)
        fail("FindById crossed tenants");
      const ContactRecord* r = index.FindById(kTenant, id);
      if (r == nullptr) continue;  // deleted since
      if (r->id() != id) fail("FindById returned another id");
      if (std::string e = CheckRecord(*r, plan); !e.empty()) fail(e);
    }
    // By external id.
    const ContactRecord* by_external =
        index.FindByExternalId(kTenant, ExternalId(recent.k));
    if (by_external != nullptr) {
      if (by_external->external_id() != ExternalId(recent.k))
        fail("external id mismatch");
      if (std::string e = CheckRecord(*by_external, plan); !e.empty()) fail(e);
    }
    if (pass % 16 == 0) {
      const IndexStats s = index.Stats();
      if (s.contacts > kContacts + 1)
        fail(absl::StrCat("stats: ", s.contacts, " contacts"));
    }
  };

  std::vector<Contact> last(kContacts);
  {
    Readers readers(kReaders, reader);
    for (int64_t g = 0; g < static_cast<int64_t>(plan.size()); ++g) {
      const std::string error = RunOp(*store_, plan, g, last);
      ASSERT_EQ(error, "");
      done.store(g + 1, std::memory_order_release);
    }
    readers.Join();
    EXPECT_GE(readers.passes(), kReaders * kMinReaderPasses);
    RecordProperty("reader_passes", std::to_string(readers.passes()));
  }
  EXPECT_EQ(failures.count(), 0) << failures.Summary();
  EXPECT_GT(hits.load(), 0);
  RecordProperty("reader_hits", std::to_string(hits.load()));

  // The final state, single-threaded: every contact as planned.
  EpochGuard guard;
  for (int k = 0; k < kContacts; ++k) {
    const State& want =
        plan[plan.size() - kContacts + static_cast<size_t>(k)].after;
    const ContactRecord* r =
        store_->index().FindByExternalId(kTenant, ExternalId(k));
    if (!want.exists) {
      EXPECT_EQ(r, nullptr) << k;
      continue;
    }
    ASSERT_NE(r, nullptr) << k;
    EXPECT_EQ(Describe(*r), Describe(want)) << k;
  }
}

TEST_F(ConcurrencyTest, ReadersNeverSeeAFreedOrChangingRecord) {
  // Few contacts replaced thousands of times: records, shards, match lists
  // and tree nodes are retired constantly while readers hold them. A reader
  // keeps what it found across more lookups and checks at the end of its
  // guard that the record is still intact (ASan/TSan catch a use after free).
  constexpr int kStable = 4;
  constexpr int kRounds = 300;
  const std::string kFiller(1500, '#');
  auto number_of = [](int k) { return absl::StrCat("+1555800000", k); };
  auto version_of = [&](int k, int v) {
    Contact c;
    c.customer_id = kTenant;
    c.id = MakeId(static_cast<uint32_t>(100 + k), 0x77);
    c.first_name = absl::StrCat("v", v);
    c.notes = absl::StrCat("v", v, kFiller, "v", v);
    PhoneNumber stable;
    stable.number = number_of(k);
    stable.is_primary = v % 2 == 0;
    PhoneNumber rotating;
    rotating.number = absl::StrCat("+15558100", 100 + v % 50);
    c.phone_numbers = {stable, rotating};
    Email email;
    email.address = absl::StrCat("k", k, "@example.com");
    c.emails = {email};
    c.tags = {"stable", absl::StrCat("t", v % 5)};
    return c;
  };
  for (int k = 0; k < kStable; ++k)
    ASSERT_TRUE(store_->Upsert(version_of(k, 0), At(0)).ok());

  Failures failures;
  const ContactIndex& index = store_->index();
  std::vector<E164Number> numbers;
  for (int k = 0; k < kStable; ++k)
    numbers.push_back(*E164Number::FromStrict(number_of(k)));

  auto consistent = [](const ContactRecord& r) {
    const std::string_view first = r.first_name();
    const std::string_view notes = r.notes();
    return notes.size() > 2 * first.size() &&
           notes.substr(0, first.size()) == first &&
           notes.substr(notes.size() - first.size()) == first &&
           r.phone_count() == 2 && r.email_count() == 1 && r.tag_count() == 2 &&
           r.customer_id() == kTenant;
  };
  auto reader = [&](int reader_id, int pass) {
    EpochGuard guard;
    std::vector<const ContactRecord*> held;
    std::vector<std::string> snapshots;
    for (int k = 0; k < kStable; ++k) {
      const Lookup<PhoneSlot> hit =
          index.FindByPhone(kTenant, numbers[static_cast<size_t>(k)]);
      if (hit.first == nullptr) {
        failures.Add(
            absl::StrCat("reader ", reader_id, ": stable number not found"));
        continue;
      }
      const ContactRecord& r = hit.first->record();
      if (!consistent(r)) failures.Add("inconsistent record");
      held.push_back(&r);
      snapshots.push_back(Describe(r) + std::string(r.notes()));
      // More lookups and list walks while holding the earlier records.
      const ContactRecord* page[8];
      index.List(kTenant, "stable", nullptr, absl::MakeSpan(page));
      index.FindById(kTenant, r.id());
    }
    // Nothing held may have changed or been freed while the guard lived.
    for (size_t i = 0; i < held.size(); ++i) {
      if (Describe(*held[i]) + std::string(held[i]->notes()) != snapshots[i]) {
        failures.Add(absl::StrCat("reader ", reader_id, " pass ", pass,
                                  ": a held record changed"));
      }
      const Contact copy = held[i]->ToContact();  // reads every byte of it
      if (copy.first_name != held[i]->first_name())
        failures.Add("ToContact differs");
    }
  };

  {
    Readers readers(kReaders, reader);
    for (int v = 1; v <= kRounds; ++v) {
      for (int k = 0; k < kStable; ++k) {
        const absl::StatusOr<UpsertResult> r =
            store_->Upsert(version_of(k, v), At(v));
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_FALSE(r->created);
      }
    }
    readers.Join();
  }
  EXPECT_EQ(failures.count(), 0) << failures.Summary();
  EpochGuard guard;
  EXPECT_EQ(store_->index().size(), static_cast<size_t>(kStable));
  EXPECT_EQ(store_->index().ListSize(kTenant, "stable"),
            static_cast<size_t>(kStable));
}

}  // namespace
}  // namespace contactd::index
