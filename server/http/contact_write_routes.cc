#include "server/http/contact_write_routes.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "index/epoch.h"
#include "index/errors.h"
#include "server/http/write_call.h"

namespace contactd::server::http {
namespace {

using index::Contact;

// The body as a contact, or the error to answer with.
absl::StatusOr<Contact> ContactBody(const Call& call, const Json& body) {
  absl::StatusOr<Contact> contact = protocol::ContactFromJson(body);
  if (!contact.ok()) return contact.status();
  if (!contact->customer_id.is_nil() && contact->customer_id != call.tenant) {
    return index::MakeError(
        absl::StatusCode::kPermissionDenied, index::Reason::kPermissionDenied,
        absl::StrCat("customer_id ", contact->customer_id.ToString(),
                     " is not this request's tenant ", call.tenant.ToString()));
  }
  contact->customer_id = call.tenant;
  return contact;
}

index::WriteOptions Options(const Call& call, absl::Time now = absl::Now()) {
  index::WriteOptions options;
  options.now = now;
  options.region = std::string(call.Query("region").value_or(""));
  return options;
}

bool Has(const Json& body, std::string_view key) {
  const auto it = body.find(key);
  return it != body.end();
}

// Copies the fields `body` names from `sent` (the body read as a contact)
// into `contact`. A field sent as null is cleared.
void ApplyPatch(const Json& body, const Contact& sent, Contact& contact) {
  struct Field {
    std::string_view name;
    void (*copy)(const Contact& from, Contact& to);
  };
  static constexpr Field kFields[] = {
      {"first_name",
       [](const Contact& f, Contact& t) { t.first_name = f.first_name; }},
      {"last_name",
       [](const Contact& f, Contact& t) { t.last_name = f.last_name; }},
      {"display_name",
       [](const Contact& f, Contact& t) { t.display_name = f.display_name; }},
      {"company", [](const Contact& f, Contact& t) { t.company = f.company; }},
      {"job_title",
       [](const Contact& f, Contact& t) { t.job_title = f.job_title; }},
      {"source", [](const Contact& f, Contact& t) { t.source = f.source; }},
      {"external_id",
       [](const Contact& f, Contact& t) { t.external_id = f.external_id; }},
      {"notes", [](const Contact& f, Contact& t) { t.notes = f.notes; }},
      {"tags", [](const Contact& f, Contact& t) { t.tags = f.tags; }},
      {"phone_numbers",
       [](const Contact& f, Contact& t) {
         t.phone_numbers = f.phone_numbers;
         // Normalized again from `number`: a sent E.164 form is not trusted.
         for (index::PhoneNumber& p : t.phone_numbers) p.number_e164.clear();
       }},
      {"emails", [](const Contact& f, Contact& t) { t.emails = f.emails; }},
  };
  for (const Field& field : kFields) {
    if (Has(body, field.name)) field.copy(sent, contact);
  }
}

}  // namespace

void CreateContact(const ApiContext& context, Call& call) {
  absl::StatusOr<Json> body = call.JsonBody();
  if (!body.ok()) {
    return call.Fail(ErrorFromStatus(body.status(), kReasonInvalidJsonBody));
  }
  absl::StatusOr<Contact> contact = ContactBody(call, *body);
  if (!contact.ok()) {
    return call.Fail(ErrorFromStatus(contact.status(), kReasonInvalidJsonBody));
  }
  const auto source = body->find("source");
  if (source == body->end() || source->is_null()) {
    contact->source = index::Source::kApi;
  }
  SubmitWrite(context, call,
              [contact = *std::move(contact),
               options = Options(call)](index::ContactStore& store) mutable {
                WriteOutcome outcome;
                if (!contact.id.is_nil()) {
                  // POST creates: an id the client chose must be new.
                  index::EpochGuard guard;
                  if (store.index().HasId(contact.id)) {
                    outcome.contact = index::AlreadyExists(
                        index::Reason::kAlreadyExists,
                        absl::StrCat("contact ", contact.id.ToString(),
                                     " already exists; PUT changes it"));
                    return outcome;
                  }
                }
                auto result = store.Upsert(std::move(contact), options);
                if (!result.ok()) {
                  outcome.contact = result.status();
                  return outcome;
                }
                outcome.http_status = result->created ? 201 : 200;
                outcome.contact = std::move(result->contact);
                return outcome;
              });
}

void UpdateContact(const ApiContext& context, Call& call) {
  const absl::StatusOr<index::Uuid> id = call.ParamId(0);
  if (!id.ok()) return call.Fail(ErrorFromStatus(id.status()));
  absl::StatusOr<Json> body = call.JsonBody();
  if (!body.ok()) {
    return call.Fail(ErrorFromStatus(body.status(), kReasonInvalidJsonBody));
  }
  absl::StatusOr<Contact> sent = ContactBody(call, *body);
  if (!sent.ok()) {
    return call.Fail(ErrorFromStatus(sent.status(), kReasonInvalidJsonBody));
  }
  if (!sent->id.is_nil() && sent->id != *id) {
    return call.Fail(MakeApiError(
        400, "INVALID_ID",
        absl::StrCat("the body's id ", sent->id.ToString(),
                     " is not the id in the path ", id->ToString())));
  }
  SubmitContactWrite(context, call, *id, 200,
                     [tenant = call.tenant, id = *id, body = *std::move(body),
                      sent = *std::move(sent),
                      options = Options(call)](index::ContactStore& store) {
                       return store.Edit(
                           tenant, id,
                           [&](Contact& contact) {
                             ApplyPatch(body, sent, contact);
                             return absl::OkStatus();
                           },
                           options);
                     });
}

void DeleteContact(const ApiContext& context, Call& call) {
  const absl::StatusOr<index::Uuid> id = call.ParamId(0);
  if (!id.ok()) return call.Fail(ErrorFromStatus(id.status()));
  const absl::Time now = absl::Now();
  SubmitContactWrite(
      context, call, *id, 200,
      [tenant = call.tenant, id = *id,
       options = Options(call, now)](index::ContactStore& store) {
        return store.Delete(tenant, id, options);
      },
      now);
}

}  // namespace contactd::server::http
