#pragma once
// Writes of the HTTP API: they run on the server's writer thread, exactly
// like binary writes (same store rules, same WAL record, same group
// commit), and are answered once the batch is as durable as --fsync says.
//
//   SubmitWrite(context, call, 200, [id, tenant](index::ContactStore& s) {
//     return s.AddTag(tenant, id, "vip");
//   });
//
// The reply is rendered on an HTTP thread, not on the writer thread.

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "index/contact.h"
#include "index/contact_store.h"
#include "server/http/api_context.h"
#include "server/http/http_call.h"

namespace contactd::server::http {

// What a write returns: the contact as stored, or why not.
struct WriteOutcome {
  absl::StatusOr<index::Contact> contact = index::Contact();
  unsigned http_status = 200;
  absl::Time tm_delete = absl::InfinitePast();  // the reply to a delete
};
using ContactWrite =
    absl::AnyInvocable<WriteOutcome(index::ContactStore& store) &&>;

// Queues `write` on the writer thread and answers `call` with its outcome
// (the contact as JSON with http_status, or the error). A full write queue
// is 503 BUSY at once.
void SubmitWrite(const ApiContext& context, Call& call, ContactWrite write);

// The same for a write on one existing contact `id` of call.tenant: when
// another tenant owns `id` the answer is 403 PERMISSION_DENIED, not 404.
// `tm_delete` is for the reply to a delete.
using ExistingContactWrite =
    absl::AnyInvocable<absl::StatusOr<index::Contact>(index::ContactStore&) &&>;
void SubmitContactWrite(const ApiContext& context, Call& call,
                        const index::Uuid& id, unsigned http_status,
                        ExistingContactWrite write,
                        absl::Time tm_delete = absl::InfinitePast());

// The error a lookup of contact `id` in `tenant` gives when it finds
// nothing: PERMISSION_DENIED when another tenant has that id, else
// CONTACT_NOT_FOUND. REQUIRES: an EpochGuard.
absl::Status ContactNotFoundError(const index::ContactIndex& contacts,
                                  const index::Uuid& tenant,
                                  const index::Uuid& id);

}  // namespace contactd::server::http
