#pragma once
// ContactStore: the write path's rules on top of ContactIndex — it turns a
// request (create or replace a contact, change one field, add a phone, ...)
// into a resolved contact and stores it, one writer at a time.
//
// For each write it: normalizes phones (E.164, region-aware) and emails
// (lowercase); resolves which contact is meant (by id, else by the tenant's
// external_id, so a CRM re-import updates instead of duplicating); keeps ids
// and tm_create of what already existed (a phone keeps its id while its
// number stays); assigns new ids and timestamps; validates; and publishes.
// A write is atomic per contact: readers see the old contact or the new one.
//
//   auto store = ContactStore::Create("US");
//   auto created = (*store)->Upsert(contact);          // {contact, created}
//   EpochGuard guard;
//   (*store)->index().FindByPhone(tenant, number);
//
// Thread safety: all methods may be called from any thread; writes are
// serialized by an internal mutex that readers never take.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "index/change_log.h"
#include "index/contact.h"
#include "index/contact_index.h"
#include "index/index_view.h"
#include "index/phone_normalizer.h"

namespace contactd::index {

struct WriteOptions {
  absl::Time now = absl::Now();  // tm_create / tm_update of what changes
  std::string region;            // phone region override; empty: the default
};

struct UpsertResult {
  Contact contact;
  bool created = false;
};

// A partial update: only the fields that are set change.
struct FieldUpdate {
  std::optional<std::string> first_name, last_name, display_name, company,
      job_title, external_id, notes;
  std::optional<Source> source;
  std::optional<std::vector<std::string>> tags;
};
struct PhoneUpdate {
  std::optional<std::string> number;
  std::optional<PhoneType> type;
  std::optional<bool> is_primary;
};
struct EmailUpdate {
  std::optional<std::string> address;
  std::optional<EmailType> type;
  std::optional<bool> is_primary;
};

class ContactStore {
 public:
  static absl::StatusOr<std::unique_ptr<ContactStore>> Create(
      std::string_view default_region = "US");

  ~ContactStore();

  // The current index. REQUIRES: an EpochGuard held since before the call,
  // for as long as the reference is used (ReplaceIndex retires it).
  const ContactIndex& index() const {
    return *current_.load(std::memory_order_acquire);
  }
  const PhoneNormalizer& normalizer() const { return normalizer_; }

  // Every write from now on is logged to `log` before it is applied (and
  // fails, unapplied, when logging fails). nullptr: no logging. Restore,
  // RestoreDelete and BulkLoad are never logged (they replay a log).
  void set_change_log(ChangeLog* log);

  // Creates or replaces a whole contact. The contact meant is the one with
  // contact.id when set, else the tenant's contact with contact.external_id,
  // else a new one. Errors: validation reasons, INVALID_PHONE/EMAIL,
  // ALREADY_EXISTS (the id belongs to another tenant), EXTERNAL_ID_CONFLICT.
  absl::StatusOr<UpsertResult> Upsert(Contact contact,
                                      const WriteOptions& options = {});

  // Loads complete records (ids, times and E.164 forms set, valid: as a
  // snapshot holds them) into an empty store in one pass, much faster than
  // an Upsert each. Errors: as ContactIndex::BulkLoad. REQUIRES: no reader
  // uses the store yet.
  absl::Status BulkLoad(std::vector<ContactRecord::Ptr> records);

  // Replay of logged writes: stores a complete record as it was logged
  // (replacing the contact with its id), or removes one. Errors:
  // ALREADY_EXISTS when the id belongs to another tenant or the external_id
  // to another contact; CONTACT_NOT_FOUND for a removal.
  absl::Status Restore(ContactRecord::Ptr record);
  absl::Status RestoreDelete(const Uuid& customer, const Uuid& id);

  // Runs `while_frozen` between two writes and returns a view of every
  // contact as of that moment (index_view.h: the caller must hold an
  // EpochGuard taken before this call while it uses the view). The writer
  // waits only for the call itself: O(tenants).
  IndexView Freeze(absl::FunctionRef<void()> while_frozen);

  // Makes `next` the index readers see, between two writes, after
  // `while_locked` succeeds (its error cancels the swap). Returns the
  // replaced index: readers may still be inside it, so the caller must wait
  // for them (Epochs().Synchronize()) before destroying it.
  absl::StatusOr<std::unique_ptr<ContactIndex>> ReplaceIndex(
      std::unique_ptr<ContactIndex> next,
      absl::FunctionRef<absl::Status()> while_locked);

  // Removes a contact; returns it as it was. CONTACT_NOT_FOUND otherwise.
  absl::StatusOr<Contact> Delete(const Uuid& customer, const Uuid& id,
                                 const WriteOptions& options = {});

  // Partial mutations; each returns the contact as stored. CONTACT_NOT_FOUND
  // when `id` is not a contact of `customer`. Making a phone or email primary
  // makes the contact's other phones (emails) non-primary.
  absl::StatusOr<Contact> UpdateFields(const Uuid& customer, const Uuid& id,
                                       const FieldUpdate& update,
                                       const WriteOptions& options = {});
  absl::StatusOr<Contact> AddPhone(const Uuid& customer, const Uuid& id,
                                   PhoneNumber phone,
                                   const WriteOptions& options = {});
  absl::StatusOr<Contact> UpdatePhone(const Uuid& customer, const Uuid& id,
                                      const Uuid& phone_id,
                                      const PhoneUpdate& update,
                                      const WriteOptions& options = {});
  absl::StatusOr<Contact> RemovePhone(const Uuid& customer, const Uuid& id,
                                      const Uuid& phone_id,
                                      const WriteOptions& options = {});
  absl::StatusOr<Contact> AddEmail(const Uuid& customer, const Uuid& id,
                                   Email email,
                                   const WriteOptions& options = {});
  absl::StatusOr<Contact> UpdateEmail(const Uuid& customer, const Uuid& id,
                                      const Uuid& email_id,
                                      const EmailUpdate& update,
                                      const WriteOptions& options = {});
  absl::StatusOr<Contact> RemoveEmail(const Uuid& customer, const Uuid& id,
                                      const Uuid& email_id,
                                      const WriteOptions& options = {});
  // Loads contact `id` of `customer`, applies `edit` to it and stores the
  // result by the rules of Upsert (normalization, ids, times, validation);
  // an error from `edit` changes nothing. The partial mutations above are
  // edits; the HTTP API's partial PUT is one too.
  using EditFunction = absl::FunctionRef<absl::Status(Contact&)>;
  absl::StatusOr<Contact> Edit(const Uuid& customer, const Uuid& id,
                               EditFunction edit,
                               const WriteOptions& options = {});
  // Adding a tag the contact has is a no-op; removing one it lacks is
  // TAG_NOT_FOUND.
  absl::StatusOr<Contact> AddTag(const Uuid& customer, const Uuid& id,
                                 std::string_view tag,
                                 const WriteOptions& options = {});
  absl::StatusOr<Contact> RemoveTag(const Uuid& customer, const Uuid& id,
                                    std::string_view tag,
                                    const WriteOptions& options = {});

 private:
  explicit ContactStore(PhoneNormalizer normalizer);

  // The contact an upsert replaces, or nullptr for a new one.
  absl::StatusOr<const ContactRecord*> ResolveTarget(
      const Contact& contact) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Normalize(Contact& contact, std::string_view region) const;
  // Normalizes, fills ids and times, validates and publishes `contact`.
  absl::Status Commit(Contact& contact, const ContactRecord* old,
                      const WriteOptions& options)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  PhoneNormalizer normalizer_;
  absl::Mutex mu_;
  // The writer's index (owned) and the readers' pointer to it.
  std::unique_ptr<ContactIndex> index_ ABSL_GUARDED_BY(mu_);
  std::atomic<const ContactIndex*> current_;
  ChangeLog* change_log_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace contactd::index
