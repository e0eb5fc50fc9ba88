#pragma once
// The keys of contactd's hash indexes, their 64-bit xxHash (XXH3), and how an
// IndexEntry is matched against a key. Each policy plugs into
// ShardedHashIndex (sharded_hash_index.h).
//
//   index         key                         entry points at
//   id            contact id                  ContactRecord
//   external id   (customer, external_id)     ContactRecord
//   phone         (customer, E.164)           the record + which phone, or
//                                             MatchList<PhoneSlot>
//   email         (customer, address)         the record + which email, or
//                                             MatchList<EmailSlot>
//   list          (customer, tag; "" = all)   ContactList
//
// Tenant isolation starts here: every key but the id carries the customer id,
// and every match compares it against the record.

#include <cstdint>
#include <cstring>
#include <string_view>

// Inlined: the keys are 8-40 bytes, where a call into libxxhash costs as much
// as the hash itself.
#define XXH_INLINE_ALL
#include "xxhash.h"

#include "index/contact_record.h"
#include "index/e164.h"
#include "index/index_entry.h"
#include "index/match_list.h"
#include "index/uuid.h"

namespace contactd::index {

inline uint64_t HashBytes(const void* data, size_t size, uint64_t seed = 0) {
  return XXH3_64bits_withSeed(data, size, seed);
}
inline uint64_t HashUuid(const Uuid& id) {
  return HashBytes(id.bytes().data(), Uuid::kSize);
}
inline uint64_t HashTenantString(const Uuid& customer, std::string_view s) {
  return HashBytes(s.data(), s.size(), HashUuid(customer));
}

struct IdKeyPolicy {
  using Key = Uuid;
  static uint64_t Hash(const Key& id) { return HashUuid(id); }
  static bool Matches(IndexEntry e, const Key& id) {
    return e.as<ContactRecord>()->id() == id;
  }
  static uint64_t HashOf(IndexEntry e) {
    return Hash(e.as<ContactRecord>()->id());
  }
};

struct ExternalIdKey {
  Uuid customer;
  std::string_view external_id;
};
struct ExternalIdKeyPolicy {
  using Key = ExternalIdKey;
  static uint64_t Hash(const Key& k) {
    return HashTenantString(k.customer, k.external_id);
  }
  static bool Matches(IndexEntry e, const Key& k) {
    const ContactRecord* r = e.as<ContactRecord>();
    return r->external_id() == k.external_id && r->customer_id() == k.customer;
  }
  static uint64_t HashOf(IndexEntry e) {
    const ContactRecord* r = e.as<ContactRecord>();
    return Hash({r->customer_id(), r->external_id()});
  }
};

// Fetches the first lines of a record (header, slots, string table, names,
// first address) in parallel, before the reader's dependent loads need them.
inline void PrefetchRecord(const ContactRecord* r) {
  const char* p = reinterpret_cast<const char*>(r);
  __builtin_prefetch(p + 64);
  __builtin_prefetch(p + 128);
  __builtin_prefetch(p + 192);
  __builtin_prefetch(p + 255);
}

// The first slot an entry of a phone or email index names: item e.item() of
// the record it points at, or a match list's head.
template <typename Slot>
const Slot* FirstSlot(IndexEntry e);
template <>
inline const PhoneSlot* FirstSlot<PhoneSlot>(IndexEntry e) {
  if (e.is_list()) return e.as<MatchList<PhoneSlot>>()->front();
  return &e.as<ContactRecord>()->phone(e.item());
}
template <>
inline const EmailSlot* FirstSlot<EmailSlot>(IndexEntry e) {
  if (e.is_list()) return e.as<MatchList<EmailSlot>>()->front();
  return &e.as<ContactRecord>()->email(e.item());
}

struct PhoneKey {
  Uuid customer;
  E164Number number;
  friend bool operator==(const PhoneKey&, const PhoneKey&) = default;
};
struct PhoneKeyPolicy {
  using Key = PhoneKey;
  using Slot = PhoneSlot;
  static uint64_t Hash(const Key& k) {
    const uint64_t digits = k.number.digits();
    return HashBytes(&digits, sizeof(digits), HashUuid(k.customer));
  }
  static bool Matches(IndexEntry e, const Key& k) {
    if (e.is_list()) {
      const PhoneSlot* s = FirstSlot<PhoneSlot>(e);
      return s->e164 == k.number && s->record().customer_id() == k.customer;
    }
    const ContactRecord* r = e.as<ContactRecord>();
    PrefetchRecord(r);
    return r->phone(e.item()).e164 == k.number &&
           r->customer_id() == k.customer;
  }
  static uint64_t HashOf(IndexEntry e) {
    return Hash(KeyOf(*FirstSlot<PhoneSlot>(e)));
  }
  static Key KeyOf(const PhoneSlot& s) {
    return {s.record().customer_id(), s.e164};
  }
  static size_t ItemCount(const ContactRecord& r) { return r.phone_count(); }
  static const PhoneSlot& Item(const ContactRecord& r, size_t i) {
    return r.phone(i);
  }
};

struct EmailKey {
  Uuid customer;
  std::string_view address;
  friend bool operator==(const EmailKey&, const EmailKey&) = default;
};
struct EmailKeyPolicy {
  using Key = EmailKey;
  using Slot = EmailSlot;
  static uint64_t Hash(const Key& k) {
    return HashTenantString(k.customer, k.address);
  }
  static bool Matches(IndexEntry e, const Key& k) {
    if (e.is_list()) {
      const EmailSlot* s = FirstSlot<EmailSlot>(e);
      const ContactRecord& r = s->record();
      return r.email_address(s->index) == k.address &&
             r.customer_id() == k.customer;
    }
    const ContactRecord* r = e.as<ContactRecord>();
    PrefetchRecord(r);
    return r->customer_id() == k.customer &&
           r->email_address(e.item()) == k.address;
  }
  static uint64_t HashOf(IndexEntry e) {
    return Hash(KeyOf(*FirstSlot<EmailSlot>(e)));
  }
  static Key KeyOf(const EmailSlot& s) {
    return {s.record().customer_id(), s.record().email_address(s.index)};
  }
  static size_t ItemCount(const ContactRecord& r) { return r.email_count(); }
  static const EmailSlot& Item(const ContactRecord& r, size_t i) {
    return r.email(i);
  }
};

}  // namespace contactd::index
