#pragma once
// Synthetic "typical" contacts for the index benchmarks, and stores built
// from them.
//
// A typical contact: 2 phones entered as E.164 (85% +1 NANP, 5% each +44 GB
// mobile, +49 DE mobile, +33 FR), 1 email, 2 tags from a 12-word vocabulary
// and ~60 bytes of names (first, last, display, company). Contact i belongs
// to tenant i % tenants. Everything is a pure function of (seed, i, version),
// so a key of contact i can be recomputed without storing the contacts.
//
//   ContactGenerator gen({.contacts = 1'000'000});
//   absl::StatusOr<BuiltStore> built = BuildStore(gen);
//   const PhoneLookupKey& key = built->phone_keys[42];
//   index::EpochGuard guard;
//   built->store->index().FindByPhone(key.tenant, key.number);
//
// Versions: version 0 is what BuildStore stores. A later version (what the
// benchmark's concurrent writer upserts) keeps the contact's id, tenant,
// first phone and email, and changes the company, display name, tags and
// second phone, so the lookup keys (first phone, email) stay valid while the
// writer runs.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/memory_probe.h"
#include "index/contact.h"
#include "index/contact_store.h"
#include "index/e164.h"
#include "index/uuid.h"

namespace contactd::bench {

struct DatasetOptions {
  size_t contacts = 0;
  size_t tenants = 100;
  uint64_t seed = 0x5eed'c0ffee;
};

class ContactGenerator {
 public:
  explicit ContactGenerator(const DatasetOptions& options);

  size_t size() const { return options_.contacts; }
  size_t tenant_count() const { return tenants_.size(); }
  const index::Uuid& TenantOf(size_t i) const {
    return tenants_[i % tenants_.size()];
  }
  index::Uuid IdOf(size_t i) const;

  // Contact i as of `version` (0: as built). Ids of phones and emails are
  // left nil: the store assigns them (and keeps them across versions).
  index::Contact Make(size_t i, uint64_t version = 0) const;

 private:
  // A random value for (contact, field, version).
  uint64_t Random(size_t i, uint64_t field, uint64_t version) const;
  std::string Phone(size_t i, uint64_t field, uint64_t version) const;

  DatasetOptions options_;
  std::vector<index::Uuid> tenants_;
};

// Keys are padded to a power of two so a random key never straddles a cache
// line (the benchmark prefetches the next iteration's key).
struct alignas(32) PhoneLookupKey {
  index::Uuid tenant;
  index::E164Number number;
};
static_assert(sizeof(PhoneLookupKey) == 32);

struct alignas(64) EmailLookupKey {
  static constexpr size_t kMaxSize = 47;
  index::Uuid tenant;
  uint8_t size = 0;
  char address[kMaxSize] = {};
  std::string_view view() const { return {address, size}; }
};
static_assert(sizeof(EmailLookupKey) == 64);

// A store holding contacts 0..gen.size()-1 at version 0, the lookup keys of
// each contact (its first phone, its email; normalized), and what building it
// cost.
struct BuiltStore {
  std::unique_ptr<index::ContactStore> store;
  std::vector<PhoneLookupKey> phone_keys;
  std::vector<EmailLookupKey> email_keys;
  double build_seconds = 0;
  // Heap and RSS growth over the build (after a grace period, so retired
  // shards are freed), key arrays excluded.
  HeapUsage heap_growth;
  // Bytes of names (first + last + display + company) over all contacts.
  size_t name_bytes = 0;
};

enum class BuildPath {
  // ContactStore::Upsert, one contact at a time: the real write path
  // (normalization, validation, id resolution and assignment).
  kUpsert,
  // ContactRecord::Build + ContactIndex::Put on the store's index, with ids
  // and times filled in here and number_e164 = the number as entered (the
  // generated numbers are E.164 already). Skips normalization, validation
  // and the store's lock: for building big stores faster, single-threaded,
  // before any reader or writer starts. Stores the same records.
  kDirectPut,
  // The same records, built first and then handed to ContactStore::BulkLoad
  // (snapshot restore's path): no per-key copy-on-write, dense trees.
  kBulkLoad,
};

// Builds the store, one contact at a time, from one thread; then checks that
// a sample of the lookup keys finds its contacts. Errors: the first failed
// upsert, or a key that does not find its contact.
absl::StatusOr<BuiltStore> BuildStore(const ContactGenerator& gen,
                                      BuildPath path = BuildPath::kUpsert);

}  // namespace contactd::bench
