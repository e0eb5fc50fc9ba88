#include "bench/dataset.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "index/epoch.h"

namespace contactd::bench {
namespace {

using index::Contact;
using index::Uuid;

constexpr std::array<std::string_view, 32> kFirstNames = {
    "Alexander",   "Mary",      "Robert", "Patricia", "Jonathan", "Jennifer",
    "Michael",     "Elizabeth", "David",  "Sarah",    "Ahmed",    "Fatima",
    "Wei",         "Mei-Ling",  "Lukas",  "Sophie",   "Pierre",   "Camille",
    "Oliver",      "Amelia",    "Jorge",  "Lucia",    "Rajesh",   "Priya",
    "Kenji",       "Yuki",      "Ivan",   "Olga",     "Samuel",   "Margaret",
    "Christopher", "Emma"};
constexpr std::array<std::string_view, 32> kLastNames = {
    "Smith",      "Johnson",   "Williams", "Brown",    "Garcia", "Rodriguez",
    "Davis",      "Martinez",  "Mueller",  "Schmidt",  "Dubois", "Moreau",
    "Fitzgerald", "Wilson",    "Chen",     "Wang",     "Patel",  "Krishnan",
    "Tanaka",     "Sato",      "Ivanova",  "Kowalski", "Lopez",  "Hughes",
    "Becker",     "Fischer",   "Laurent",  "Robinson", "Nguyen", "Andersson",
    "Okafor",     "Vandenberg"};
constexpr std::array<std::string_view, 16> kCompanyWords = {
    "Northwind", "Contoso", "Fabrikam",   "Globex", "Initech",   "Umbrella",
    "Acme",      "Stark",   "Wayne",      "Tyrell", "Cyberdyne", "Soylent",
    "Vandelay",  "Hooli",   "Pied Piper", "Wonka"};
constexpr std::array<std::string_view, 8> kCompanyKinds = {
    "Logistics", "Freight", "Health", "Insurance",
    "Software",  "Realty",  "Foods",  "Energy"};
constexpr std::array<std::string_view, 8> kCompanyForms = {
    "Services", "Solutions",     "Group",    "Partners",
    "Systems",  "International", "Holdings", "Trading"};
constexpr std::array<std::string_view, 4> kCompanySuffixes = {"Inc", "Ltd",
                                                              "GmbH", "SA"};
constexpr std::array<std::string_view, 8> kDomains = {
    "example.com", "mail.com",  "corp.net",   "inbox.org",
    "acme.io",     "globex.de", "contoso.fr", "post.co.uk"};
constexpr std::array<std::string_view, 12> kTags = {
    "customer", "lead",    "vip",  "partner", "supplier", "prospect",
    "support",  "billing", "emea", "amer",    "apac",     "churned"};

// Fields mixed into Random() so each gets independent values.
enum Field : uint64_t {
  kId = 1,
  kFirst,
  kMiddle,
  kLast,
  kCompany,
  kTag,
  kPhone0,
  kPhone1,
  kDomain
};

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

template <size_t N>
std::string_view Pick(const std::array<std::string_view, N>& words,
                      uint64_t r) {
  return words[r % N];
}

Uuid UuidFrom(uint64_t a, uint64_t b) {
  std::array<uint8_t, Uuid::kSize> bytes;
  for (size_t j = 0; j < 8; ++j) {
    bytes[j] = static_cast<uint8_t>(a >> (8 * j));
    bytes[8 + j] = static_cast<uint8_t>(b >> (8 * j));
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return Uuid(bytes);
}

// `count` random decimal digits from `r` (count <= 19).
void AppendDigits(std::string& out, uint64_t r, int count) {
  for (int k = 0; k < count; ++k) {
    out.push_back(static_cast<char>('0' + r % 10));
    r /= 10;
  }
}

std::string Base36(uint64_t v) {
  std::string out;
  do {
    out.push_back("0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
    v /= 36;
  } while (v != 0);
  return out;
}

// Contact i as Upsert would store it new, without the normalization and
// checks (BuildPath::kDirectPut and kBulkLoad).
index::ContactRecord::Ptr CompletedRecord(size_t i, Contact c, absl::Time now) {
  uint64_t item = 0;
  auto item_id = [&] {
    const uint64_t key = i * 64 + ++item;
    return UuidFrom(Mix(key), Mix(~key));
  };
  for (index::PhoneNumber& p : c.phone_numbers) {
    p.number_e164 = p.number;
    p.id = item_id();
    p.tm_create = now;
  }
  for (index::Email& e : c.emails) {
    e.id = item_id();
    e.tm_create = now;
  }
  c.tm_create = c.tm_update = now;
  return index::ContactRecord::Build(c);
}

void PutDirectly(index::ContactStore& store, index::ContactRecord::Ptr record) {
  // The store's index is a non-const member, so writing through it is
  // defined; nothing else touches the store while it is being built.
  auto& index = const_cast<index::ContactIndex&>(store.index());
  index::EpochGuard guard;  // as Upsert: nothing Put reads is freed under it
  index.Put(std::move(record));
}

// Looks up a sample of the keys: each must find its own contact, else the
// generated numbers do not normalize to themselves and the benchmark would
// measure misses.
absl::StatusOr<BuiltStore> Verify(const ContactGenerator& gen,
                                  BuiltStore& built) {
  const size_t step = std::max<size_t>(1, gen.size() / 10'000);
  index::EpochGuard guard;
  const index::ContactIndex& index = built.store->index();
  for (size_t i = 0; i < gen.size(); i += step) {
    const PhoneLookupKey& phone = built.phone_keys[i];
    const EmailLookupKey& email = built.email_keys[i];
    const auto by_phone = index.FindByPhone(phone.tenant, phone.number);
    const auto by_email = index.FindByEmail(email.tenant, email.view());
    if (by_phone.first == nullptr || by_email.first == nullptr ||
        by_email.first->record().id() != gen.IdOf(i)) {
      return absl::InternalError(
          absl::StrCat("contact ", i, ": its keys do not find it"));
    }
  }
  return std::move(built);
}

}  // namespace

ContactGenerator::ContactGenerator(const DatasetOptions& options)
    : options_(options) {
  tenants_.reserve(options.tenants);
  for (size_t t = 0; t < options.tenants; ++t) {
    tenants_.push_back(
        UuidFrom(Mix(options.seed ^ (0x7e4a47 + t)), Mix(~options.seed + t)));
  }
}

uint64_t ContactGenerator::Random(size_t i, uint64_t field,
                                  uint64_t version) const {
  return Mix(Mix(options_.seed + i * 0x9e3779b97f4a7c15) ^ (field << 56) ^
             (version * 0xc2b2ae3d27d4eb4f));
}

Uuid ContactGenerator::IdOf(size_t i) const {
  return UuidFrom(Random(i, kId, 0), Random(i, kId, 1));
}

std::string ContactGenerator::Phone(size_t i, uint64_t field,
                                    uint64_t version) const {
  const uint64_t r = Random(i, field, version);
  const uint64_t digits = r >> 8;  // 56 bits: enough for 15 digits
  std::string out;
  switch (r % 20) {
    case 0:  // GB mobile: +44 7xxx xxxxxx (10-digit national number)
      out = "+447";
      AppendDigits(out, digits, 9);
      break;
    case 1:  // DE mobile: +49 15x xxxxxxxx (11 digits)
      out = "+4915";
      AppendDigits(out, digits, 9);
      break;
    case 2:  // FR: +33 [1-7] xx xx xx xx (9 digits)
      out = "+33";
      out.push_back(static_cast<char>('1' + digits % 7));
      AppendDigits(out, digits / 7, 8);
      break;
    default:  // NANP: +1 NPA NXX XXXX, NPA and NXX starting 2-9
      out = "+1";
      out.push_back(static_cast<char>('2' + digits % 8));
      AppendDigits(out, digits / 8, 2);
      out.push_back(static_cast<char>('2' + (digits >> 20) % 8));
      AppendDigits(out, digits >> 24, 6);
      break;
  }
  return out;
}

Contact ContactGenerator::Make(size_t i, uint64_t version) const {
  Contact c;
  c.id = IdOf(i);
  c.customer_id = TenantOf(i);
  c.source = index::Source::kImport;
  const std::string_view first = Pick(kFirstNames, Random(i, kFirst, 0));
  const std::string_view last = Pick(kLastNames, Random(i, kLast, 0));
  c.first_name = std::string(first);
  c.last_name = std::string(last);
  const uint64_t company = Random(i, kCompany, version);
  c.company = absl::StrCat(std::string(Pick(kCompanyWords, company)), " ",
                           std::string(Pick(kCompanyKinds, company >> 8)), " ",
                           std::string(Pick(kCompanyForms, company >> 24)), " ",
                           std::string(Pick(kCompanySuffixes, company >> 16)));
  // "Mary J. Smith": with the company, ~57 bytes of names on average.
  const char middle = static_cast<char>('A' + Random(i, kMiddle, 0) % 26);
  c.display_name = absl::StrCat(std::string(first), " ", std::string(1, middle),
                                ". ", std::string(last));
  if (version != 0) absl::StrAppend(&c.display_name, " (", version % 1000, ")");

  const uint64_t tag = Random(i, kTag, version);
  const size_t t0 = tag % kTags.size();
  const size_t t1 =
      (t0 + 1 + (tag >> 8) % (kTags.size() - 1)) % kTags.size();  // != t0
  c.tags = {std::string(kTags[t0]), std::string(kTags[t1])};

  index::PhoneNumber mobile;
  mobile.number = Phone(i, kPhone0, 0);
  mobile.type = index::PhoneType::kMobile;
  mobile.is_primary = true;
  index::PhoneNumber work;
  work.number = Phone(i, kPhone1, version);
  work.type = index::PhoneType::kWork;
  if (work.number == mobile.number)
    work.number.back() = work.number.back() == '0' ? '1' : '0';
  c.phone_numbers = {std::move(mobile), std::move(work)};

  // Lowercase already (normalized); the base-36 contact number makes each
  // address unique within its tenant.
  index::Email email;
  email.address =
      absl::StrCat(std::string(first), ".", std::string(last), ".", Base36(i),
                   "@", std::string(Pick(kDomains, Random(i, kDomain, 0))));
  for (char& ch : email.address) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  email.type = index::EmailType::kWork;
  email.is_primary = true;
  c.emails = {std::move(email)};
  return c;
}

absl::StatusOr<BuiltStore> BuildStore(const ContactGenerator& gen,
                                      BuildPath path) {
  BuiltStore built;
  // Let earlier work's retired objects go first, so they do not count.
  index::Epochs().Synchronize();
  const HeapUsage before = ReadHeapUsage();
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<index::ContactStore>> store =
      index::ContactStore::Create("US");
  if (!store.ok()) return store.status();
  built.store = *std::move(store);
  const absl::Time now = absl::Now();
  std::vector<index::ContactRecord::Ptr> bulk;
  for (size_t i = 0; i < gen.size(); ++i) {
    Contact c = gen.Make(i);
    built.name_bytes += c.first_name.size() + c.last_name.size() +
                        c.display_name.size() + c.company.size();
    if (path == BuildPath::kDirectPut) {
      PutDirectly(*built.store, CompletedRecord(i, std::move(c), now));
      continue;
    }
    if (path == BuildPath::kBulkLoad) {
      bulk.push_back(CompletedRecord(i, std::move(c), now));
      continue;
    }
    absl::StatusOr<index::UpsertResult> result =
        built.store->Upsert(std::move(c));
    if (!result.ok()) {
      return absl::Status(
          result.status().code(),
          absl::StrCat("contact ", i, ": ", result.status().message()));
    }
  }
  if (path == BuildPath::kBulkLoad) {
    absl::Status loaded = built.store->BulkLoad(std::move(bulk));
    if (!loaded.ok()) return loaded;
  }
  index::Epochs().Synchronize();
  built.build_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  built.heap_growth = ReadHeapUsage() - before;

  // The keys, as a lookup sees them: normalized E.164 and address.
  built.phone_keys.resize(gen.size());
  built.email_keys.resize(gen.size());
  for (size_t i = 0; i < gen.size(); ++i) {
    const Contact c = gen.Make(i);
    const std::optional<index::E164Number> number =
        index::E164Number::FromStrict(c.phone_numbers[0].number);
    const std::string& address = c.emails[0].address;
    if (!number.has_value() || address.size() > EmailLookupKey::kMaxSize) {
      return absl::InternalError(
          absl::StrCat("contact ", i, ": bad generated key"));
    }
    built.phone_keys[i] = {c.customer_id, *number};
    EmailLookupKey& key = built.email_keys[i];
    key.tenant = c.customer_id;
    key.size = static_cast<uint8_t>(address.size());
    std::memcpy(key.address, address.data(), address.size());
  }
  return Verify(gen, built);
}

}  // namespace contactd::bench
