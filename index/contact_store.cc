#include "index/contact_store.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "index/email_normalizer.h"
#include "index/epoch.h"
#include "index/errors.h"
#include "index/status_macros.h"
#include "index/validation.h"

namespace contactd::index {
namespace {

absl::Status ContactNotFound(const Uuid& id) {
  return NotFound(Reason::kContactNotFound,
                  absl::StrCat("no contact ", id.ToString()));
}

// Keeps the first of each repeated tag, in order.
void DedupTags(std::vector<std::string>& tags) {
  absl::flat_hash_set<std::string> seen;
  std::erase_if(tags,
                [&](const std::string& t) { return !seen.insert(t).second; });
}

// Phones and emails that stay keep their id and tm_create: matched by id
// when the request names one, else by number (address). An id that names
// no item of the stored contact, or one an earlier item already took, is
// not trusted: the item is new and gets a fresh id.
void KeepItemIdentity(Contact& c, const ContactRecord* old, absl::Time now) {
  std::vector<Uuid> kept;
  // Claims the old item's id for the item at hand, once.
  auto claim = [&kept](const Uuid& id) {
    if (std::find(kept.begin(), kept.end(), id) != kept.end()) return false;
    kept.push_back(id);
    return true;
  };
  for (PhoneNumber& p : c.phone_numbers) {
    const PhoneSlot* was = nullptr;
    for (size_t i = 0; old != nullptr && i < old->phone_count(); ++i) {
      const PhoneSlot& s = old->phone(i);
      if (p.id.is_nil() ? s.e164.ToString() == p.number_e164 : s.id == p.id) {
        if (claim(s.id)) was = &s;
        break;
      }
    }
    p.id = was != nullptr ? was->id : Uuid::Random();
    p.tm_create = was != nullptr ? old->phone_tm_create(was->index) : now;
  }
  for (Email& e : c.emails) {
    const EmailSlot* was = nullptr;
    for (size_t i = 0; old != nullptr && i < old->email_count(); ++i) {
      const EmailSlot& s = old->email(i);
      if (e.id.is_nil() ? old->email_address(i) == e.address : s.id == e.id) {
        if (claim(s.id)) was = &s;
        break;
      }
    }
    e.id = was != nullptr ? was->id : Uuid::Random();
    e.tm_create = was != nullptr ? old->email_tm_create(was->index) : now;
  }
}

template <typename Item>
Item* FindItem(std::vector<Item>& items, const Uuid& id) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const Item& i) { return i.id == id; });
  return it == items.end() ? nullptr : &*it;
}

// Makes `primary` the only primary item.
template <typename Item>
void MakeOnlyPrimary(std::vector<Item>& items, const Item* primary) {
  for (Item& i : items) i.is_primary = &i == primary;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ContactStore>> ContactStore::Create(
    std::string_view default_region) {
  ASSIGN_OR_RETURN(PhoneNormalizer normalizer,
                   PhoneNormalizer::Create(default_region));
  return std::unique_ptr<ContactStore>(new ContactStore(std::move(normalizer)));
}

ContactStore::ContactStore(PhoneNormalizer normalizer)
    : normalizer_(std::move(normalizer)),
      index_(std::make_unique<ContactIndex>()),
      current_(index_.get()) {}

ContactStore::~ContactStore() = default;

void ContactStore::set_change_log(ChangeLog* log) {
  absl::MutexLock lock(&mu_);
  change_log_ = log;
}

// Phones whose number_e164 is already set keep it: a partial update must not
// re-normalize a stored national number against another region than the one
// it was written with. Callers clear number_e164 of every phone whose number
// comes from the request (Upsert: all of them).
absl::Status ContactStore::Normalize(Contact& c,
                                     std::string_view region) const {
  for (PhoneNumber& p : c.phone_numbers) {
    RETURN_IF_ERROR(ValidateLength("phone_numbers.number", p.number,
                                   FieldLimits::kPhoneInput));
    if (!p.number_e164.empty()) continue;  // stored, already normalized
    ASSIGN_OR_RETURN(E164Number number,
                     normalizer_.Normalize(p.number, region));
    p.number_e164 = number.ToString();
  }
  for (Email& e : c.emails) {
    ASSIGN_OR_RETURN(NormalizedEmail address, NormalizeEmail(e.address));
    e.address = address.ToString();
  }
  DedupTags(c.tags);
  return absl::OkStatus();
}

absl::StatusOr<const ContactRecord*> ContactStore::ResolveTarget(
    const Contact& c) const {
  if (!c.id.is_nil()) {
    if (const ContactRecord* same_id = index_->FindById(c.customer_id, c.id))
      return same_id;
    if (index_->HasId(c.id)) {
      return AlreadyExists(Reason::kAlreadyExists,
                           absl::StrCat("id ", c.id.ToString(), " is taken"));
    }
    return nullptr;
  }
  if (c.external_id.empty()) return nullptr;
  return index_->FindByExternalId(c.customer_id, c.external_id);
}

absl::Status ContactStore::Commit(Contact& c, const ContactRecord* old,
                                  const WriteOptions& options) {
  RETURN_IF_ERROR(ValidateContact(c));
  if (!c.external_id.empty()) {
    const ContactRecord* holder =
        index_->FindByExternalId(c.customer_id, c.external_id);
    if (holder != nullptr && holder->id() != c.id) {
      return AlreadyExists(
          Reason::kExternalIdConflict,
          absl::StrCat("external_id '", c.external_id, "' belongs to contact ",
                       holder->id().ToString()));
    }
  }
  // Records keep microseconds: truncate `now` the same way, so the contact
  // returned equals the one stored.
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(options.now));
  KeepItemIdentity(c, old, now);
  c.tm_create = old != nullptr ? old->tm_create() : now;
  c.tm_update = now;
  ContactRecord::Ptr record = ContactRecord::Build(c);
  if (record == nullptr) {
    return InvalidArgument(Reason::kFieldTooLong, "contact exceeds 64 KiB");
  }
  if (change_log_ != nullptr)
    RETURN_IF_ERROR(change_log_->LogPut(old, *record));
  index_->Put(std::move(record));
  return absl::OkStatus();
}

absl::StatusOr<UpsertResult> ContactStore::Upsert(Contact c,
                                                  const WriteOptions& options) {
  // Every phone comes from the request: a client-supplied E.164 form is not
  // trusted.
  for (PhoneNumber& p : c.phone_numbers) p.number_e164.clear();
  RETURN_IF_ERROR(Normalize(c, options.region));
  if (c.customer_id.is_nil()) {
    return InvalidArgument(Reason::kInvalidId, "customer_id is required");
  }
  absl::MutexLock lock(&mu_);
  EpochGuard
      guard;  // the writer reads inside a guard too: nothing it sees is freed
  ASSIGN_OR_RETURN(const ContactRecord* old, ResolveTarget(c));
  if (c.id.is_nil()) c.id = old != nullptr ? old->id() : Uuid::Random();
  RETURN_IF_ERROR(Commit(c, old, options));
  return UpsertResult{std::move(c), old == nullptr};
}

absl::Status ContactStore::BulkLoad(std::vector<ContactRecord::Ptr> records) {
  absl::MutexLock lock(&mu_);
  return index_->BulkLoad(std::move(records));
}

absl::StatusOr<Contact> ContactStore::Delete(const Uuid& customer,
                                             const Uuid& id,
                                             const WriteOptions&) {
  absl::MutexLock lock(&mu_);
  EpochGuard guard;
  const ContactRecord* old = index_->FindById(customer, id);
  if (old == nullptr) return ContactNotFound(id);
  Contact removed = old->ToContact();
  if (change_log_ != nullptr) RETURN_IF_ERROR(change_log_->LogDelete(*old));
  index_->Remove(id);
  return removed;
}

absl::Status ContactStore::Restore(ContactRecord::Ptr record) {
  absl::MutexLock lock(&mu_);
  EpochGuard guard;
  const ContactRecord* same_id =
      index_->FindById(record->customer_id(), record->id());
  if (same_id == nullptr && index_->HasId(record->id())) {
    return AlreadyExists(Reason::kAlreadyExists,
                         absl::StrCat("id ", record->id().ToString(),
                                      " belongs to another tenant"));
  }
  if (!record->external_id().empty()) {
    const ContactRecord* holder =
        index_->FindByExternalId(record->customer_id(), record->external_id());
    if (holder != nullptr && holder->id() != record->id()) {
      return AlreadyExists(
          Reason::kExternalIdConflict,
          absl::StrCat("external_id '", std::string(record->external_id()),
                       "' belongs to contact ", holder->id().ToString()));
    }
  }
  index_->Put(std::move(record));
  return absl::OkStatus();
}

absl::Status ContactStore::RestoreDelete(const Uuid& customer, const Uuid& id) {
  absl::MutexLock lock(&mu_);
  EpochGuard guard;
  if (index_->FindById(customer, id) == nullptr) return ContactNotFound(id);
  index_->Remove(id);
  return absl::OkStatus();
}

IndexView ContactStore::Freeze(absl::FunctionRef<void()> while_frozen) {
  absl::MutexLock lock(&mu_);
  while_frozen();
  return index_->View();
}

absl::StatusOr<std::unique_ptr<ContactIndex>> ContactStore::ReplaceIndex(
    std::unique_ptr<ContactIndex> next,
    absl::FunctionRef<absl::Status()> while_locked) {
  absl::MutexLock lock(&mu_);
  RETURN_IF_ERROR(while_locked());
  std::swap(index_, next);
  current_.store(index_.get(), std::memory_order_release);
  return next;
}

absl::StatusOr<Contact> ContactStore::Edit(const Uuid& customer, const Uuid& id,
                                           EditFunction edit,
                                           const WriteOptions& options) {
  absl::MutexLock lock(&mu_);
  EpochGuard guard;
  const ContactRecord* old = index_->FindById(customer, id);
  if (old == nullptr) return ContactNotFound(id);
  Contact c = old->ToContact();
  RETURN_IF_ERROR(edit(c));
  RETURN_IF_ERROR(Normalize(c, options.region));
  RETURN_IF_ERROR(Commit(c, old, options));
  return c;
}

absl::StatusOr<Contact> ContactStore::UpdateFields(
    const Uuid& customer, const Uuid& id, const FieldUpdate& u,
    const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) {
        auto set = [](std::string& field,
                      const std::optional<std::string>& value) {
          if (value.has_value()) field = *value;
        };
        set(c.first_name, u.first_name);
        set(c.last_name, u.last_name);
        set(c.display_name, u.display_name);
        set(c.company, u.company);
        set(c.job_title, u.job_title);
        set(c.external_id, u.external_id);
        set(c.notes, u.notes);
        if (u.source.has_value()) c.source = *u.source;
        if (u.tags.has_value()) c.tags = *u.tags;
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::AddPhone(const Uuid& customer,
                                               const Uuid& id,
                                               PhoneNumber phone,
                                               const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) {
        phone.id = Uuid();          // always a new phone
        phone.number_e164.clear();  // normalized from `number`
        c.phone_numbers.push_back(std::move(phone));
        if (c.phone_numbers.back().is_primary)
          MakeOnlyPrimary(c.phone_numbers, &c.phone_numbers.back());
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::UpdatePhone(const Uuid& customer,
                                                  const Uuid& id,
                                                  const Uuid& phone_id,
                                                  const PhoneUpdate& u,
                                                  const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) -> absl::Status {
        PhoneNumber* p = FindItem(c.phone_numbers, phone_id);
        if (p == nullptr) {
          return NotFound(Reason::kPhoneNotFound,
                          absl::StrCat("no phone ", phone_id.ToString()));
        }
        if (u.number.has_value()) {
          p->number = *u.number;
          p->number_e164.clear();  // normalized again from the new number
        }
        if (u.type.has_value()) p->type = *u.type;
        if (u.is_primary.has_value()) p->is_primary = *u.is_primary;
        if (p->is_primary)
          MakeOnlyPrimary(c.phone_numbers, static_cast<const PhoneNumber*>(p));
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::RemovePhone(const Uuid& customer,
                                                  const Uuid& id,
                                                  const Uuid& phone_id,
                                                  const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) -> absl::Status {
        if (std::erase_if(c.phone_numbers, [&](const PhoneNumber& p) {
              return p.id == phone_id;
            }) == 0) {
          return NotFound(Reason::kPhoneNotFound,
                          absl::StrCat("no phone ", phone_id.ToString()));
        }
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::AddEmail(const Uuid& customer,
                                               const Uuid& id, Email email,
                                               const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) {
        email.id = Uuid();
        c.emails.push_back(std::move(email));
        if (c.emails.back().is_primary)
          MakeOnlyPrimary(c.emails, &c.emails.back());
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::UpdateEmail(const Uuid& customer,
                                                  const Uuid& id,
                                                  const Uuid& email_id,
                                                  const EmailUpdate& u,
                                                  const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) -> absl::Status {
        Email* e = FindItem(c.emails, email_id);
        if (e == nullptr) {
          return NotFound(Reason::kEmailNotFound,
                          absl::StrCat("no email ", email_id.ToString()));
        }
        if (u.address.has_value()) e->address = *u.address;
        if (u.type.has_value()) e->type = *u.type;
        if (u.is_primary.has_value()) e->is_primary = *u.is_primary;
        if (e->is_primary)
          MakeOnlyPrimary(c.emails, static_cast<const Email*>(e));
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::RemoveEmail(const Uuid& customer,
                                                  const Uuid& id,
                                                  const Uuid& email_id,
                                                  const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) -> absl::Status {
        if (std::erase_if(c.emails, [&](const Email& e) {
              return e.id == email_id;
            }) == 0) {
          return NotFound(Reason::kEmailNotFound,
                          absl::StrCat("no email ", email_id.ToString()));
        }
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::AddTag(const Uuid& customer,
                                             const Uuid& id,
                                             std::string_view tag,
                                             const WriteOptions& options) {
  RETURN_IF_ERROR(ValidateTag(tag));
  return Edit(
      customer, id,
      [&](Contact& c) {
        c.tags.emplace_back(
            tag);  // Normalize drops it again when already there
        return absl::OkStatus();
      },
      options);
}

absl::StatusOr<Contact> ContactStore::RemoveTag(const Uuid& customer,
                                                const Uuid& id,
                                                std::string_view tag,
                                                const WriteOptions& options) {
  return Edit(
      customer, id,
      [&](Contact& c) -> absl::Status {
        if (std::erase(c.tags, tag) == 0) {
          return NotFound(
              Reason::kTagNotFound,
              absl::StrCat("contact has no tag '", std::string(tag), "'"));
        }
        return absl::OkStatus();
      },
      options);
}

}  // namespace contactd::index
