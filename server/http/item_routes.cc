#include "server/http/item_routes.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/http/write_call.h"

namespace contactd::server::http {
namespace {

using index::ContactStore;

index::WriteOptions Options(const Call& call) {
  index::WriteOptions options;
  options.region = std::string(call.Query("region").value_or(""));
  return options;
}

bool Has(const Json& body, std::string_view key) {
  const auto it = body.find(key);
  return it != body.end() && !it->is_null();
}

// The contact id (param 0) and, when the route has one, the item id
// (param 1); false after answering the error.
bool Ids(Call& call, index::Uuid& id, index::Uuid* item_id = nullptr) {
  for (size_t i = 0; i < (item_id != nullptr ? 2u : 1u); ++i) {
    absl::StatusOr<index::Uuid> parsed = call.ParamId(i);
    if (!parsed.ok()) {
      call.Fail(ErrorFromStatus(parsed.status()));
      return false;
    }
    (i == 0 ? id : *item_id) = *parsed;
  }
  return true;
}

// Reads the body with `parse` (PhoneFromJson, EmailFromJson); false after
// answering the error.
template <typename Item>
bool ItemBody(Call& call, absl::StatusOr<Item> (*parse)(const Json&),
              Json& body, Item& item) {
  absl::StatusOr<Json> json = call.JsonBody();
  absl::StatusOr<Item> parsed =
      json.ok() ? parse(*json) : absl::StatusOr<Item>(json.status());
  if (!parsed.ok()) {
    call.Fail(ErrorFromStatus(parsed.status(), kReasonInvalidJsonBody));
    return false;
  }
  body = *std::move(json);
  item = *std::move(parsed);
  return true;
}

// The fields a PUT of a phone or email sent.
template <typename Update, typename Item, typename Value>
void SetIfSent(const Json& body, std::string_view key, const Item& sent,
               Value Item::*field, std::optional<Value> Update::*target,
               Update& update) {
  if (Has(body, key)) update.*target = sent.*field;
}

}  // namespace

void AddPhone(const ApiContext& context, Call& call) {
  index::Uuid id;
  Json body;
  index::PhoneNumber phone;
  if (!Ids(call, id) || !ItemBody<index::PhoneNumber>(
                            call, &protocol::PhoneFromJson, body, phone)) {
    return;
  }
  SubmitContactWrite(context, call, id, 201,
                     [tenant = call.tenant, id, phone = std::move(phone),
                      options = Options(call)](ContactStore& store) mutable {
                       return store.AddPhone(tenant, id, std::move(phone),
                                             options);
                     });
}

void UpdatePhone(const ApiContext& context, Call& call) {
  index::Uuid id, phone_id;
  Json body;
  index::PhoneNumber sent;
  if (!Ids(call, id, &phone_id) ||
      !ItemBody<index::PhoneNumber>(call, &protocol::PhoneFromJson, body,
                                    sent)) {
    return;
  }
  index::PhoneUpdate update;
  using index::PhoneNumber, index::PhoneUpdate;
  SetIfSent(body, "number", sent, &PhoneNumber::number, &PhoneUpdate::number,
            update);
  SetIfSent(body, "type", sent, &PhoneNumber::type, &PhoneUpdate::type, update);
  SetIfSent(body, "is_primary", sent, &PhoneNumber::is_primary,
            &PhoneUpdate::is_primary, update);
  SubmitContactWrite(context, call, id, 200,
                     [tenant = call.tenant, id, phone_id, update,
                      options = Options(call)](ContactStore& store) {
                       return store.UpdatePhone(tenant, id, phone_id, update,
                                                options);
                     });
}

void RemovePhone(const ApiContext& context, Call& call) {
  index::Uuid id, phone_id;
  if (!Ids(call, id, &phone_id)) return;
  SubmitContactWrite(context, call, id, 200,
                     [tenant = call.tenant, id, phone_id](ContactStore& store) {
                       return store.RemovePhone(tenant, id, phone_id);
                     });
}

void AddEmail(const ApiContext& context, Call& call) {
  index::Uuid id;
  Json body;
  index::Email email;
  if (!Ids(call, id) ||
      !ItemBody<index::Email>(call, &protocol::EmailFromJson, body, email)) {
    return;
  }
  SubmitContactWrite(context, call, id, 201,
                     [tenant = call.tenant, id,
                      email = std::move(email)](ContactStore& store) mutable {
                       return store.AddEmail(tenant, id, std::move(email));
                     });
}

void UpdateEmail(const ApiContext& context, Call& call) {
  index::Uuid id, email_id;
  Json body;
  index::Email sent;
  if (!Ids(call, id, &email_id) ||
      !ItemBody<index::Email>(call, &protocol::EmailFromJson, body, sent)) {
    return;
  }
  index::EmailUpdate update;
  using index::Email, index::EmailUpdate;
  SetIfSent(body, "address", sent, &Email::address, &EmailUpdate::address,
            update);
  SetIfSent(body, "type", sent, &Email::type, &EmailUpdate::type, update);
  SetIfSent(body, "is_primary", sent, &Email::is_primary,
            &EmailUpdate::is_primary, update);
  SubmitContactWrite(
      context, call, id, 200,
      [tenant = call.tenant, id, email_id, update](ContactStore& store) {
        return store.UpdateEmail(tenant, id, email_id, update);
      });
}

void RemoveEmail(const ApiContext& context, Call& call) {
  index::Uuid id, email_id;
  if (!Ids(call, id, &email_id)) return;
  SubmitContactWrite(context, call, id, 200,
                     [tenant = call.tenant, id, email_id](ContactStore& store) {
                       return store.RemoveEmail(tenant, id, email_id);
                     });
}

void AddTag(const ApiContext& context, Call& call) {
  index::Uuid id;
  if (!Ids(call, id)) return;
  absl::StatusOr<Json> body = call.JsonBody();
  if (!body.ok()) {
    return call.Fail(ErrorFromStatus(body.status(), kReasonInvalidJsonBody));
  }
  const auto tag = body->find("tag");
  if (body->size() != 1 || tag == body->end() || !tag->is_string()) {
    return call.Fail(MakeApiError(400, kReasonInvalidJsonBody,
                                  "the body must be {\"tag\": \"<tag>\"}"));
  }
  SubmitContactWrite(
      context, call, id, 201,
      [tenant = call.tenant, id, tag = tag->get<std::string>()](
          ContactStore& store) { return store.AddTag(tenant, id, tag); });
}

void RemoveTag(const ApiContext& context, Call& call) {
  index::Uuid id;
  if (!Ids(call, id)) return;
  SubmitContactWrite(
      context, call, id, 200,
      [tenant = call.tenant, id, tag = std::string(call.Param(1))](
          ContactStore& store) { return store.RemoveTag(tenant, id, tag); });
}

}  // namespace contactd::server::http
