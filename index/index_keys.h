#pragma once
// The keys of contactd's hash indexes, their 64-bit xxHash (XXH3), and how an
// IndexEntry is matched against a key. Each policy plugs into
// ShardedHashIndex (sharded_hash_index.h).
//
//   index         key                         entry points at
//   id            contact id                  ContactRecord
//   external id   (customer, external_id)     ContactRecord
//   phone         (customer, E.164)           PhoneSlot, or
//   MatchList<PhoneSlot> email         (customer, address)         EmailSlot,
//   or MatchList<EmailSlot> list          (customer, tag; "" = all) ContactList
//
// Tenant isolation starts here: every key but the id carries the customer id,
// and every match compares it against the record.

#include <cstdint>
#include <cstring>
#include <string_view>

#include "index/contact_record.h"
#include "index/e164.h"
#include "index/index_entry.h"
#include "index/match_list.h"
#include "index/uuid.h"

namespace contactd::index {

uint64_t HashBytes(const void* data, size_t size, uint64_t seed = 0);
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

// The first slot an entry names: the slot itself or a match list's head.
template <typename Slot>
const Slot* FirstSlot(IndexEntry e) {
  return e.is_list() ? e.as<MatchList<Slot>>()->front() : e.as<Slot>();
}

struct PhoneKey {
  Uuid customer;
  E164Number number;
};
struct PhoneKeyPolicy {
  using Key = PhoneKey;
  using Slot = PhoneSlot;
  static uint64_t Hash(const Key& k) {
    const uint64_t digits = k.number.digits();
    return HashBytes(&digits, sizeof(digits), HashUuid(k.customer));
  }
  static bool Matches(IndexEntry e, const Key& k) {
    const PhoneSlot* s = FirstSlot<PhoneSlot>(e);
    return s->e164 == k.number && s->record().customer_id() == k.customer;
  }
  static uint64_t HashOf(IndexEntry e) {
    const PhoneSlot* s = FirstSlot<PhoneSlot>(e);
    return Hash({s->record().customer_id(), s->e164});
  }
  static Key KeyOf(const PhoneSlot& s) {
    return {s.record().customer_id(), s.e164};
  }
};

struct EmailKey {
  Uuid customer;
  std::string_view address;
};
struct EmailKeyPolicy {
  using Key = EmailKey;
  using Slot = EmailSlot;
  static uint64_t Hash(const Key& k) {
    return HashTenantString(k.customer, k.address);
  }
  static bool Matches(IndexEntry e, const Key& k) {
    const EmailSlot* s = FirstSlot<EmailSlot>(e);
    const ContactRecord& r = s->record();
    return r.email_address(s->index) == k.address &&
           r.customer_id() == k.customer;
  }
  static uint64_t HashOf(IndexEntry e) {
    const EmailSlot* s = FirstSlot<EmailSlot>(e);
    return Hash(KeyOf(*s));
  }
  static Key KeyOf(const EmailSlot& s) {
    return {s.record().customer_id(), s.record().email_address(s.index)};
  }
};

}  // namespace contactd::index
