#pragma once
// The routes on one contact's phone numbers, emails and tags; each answers
// with the whole contact as stored (201 for an add, 200 otherwise):
//
//   POST   /v1/contacts/{id}/phone-numbers               {number, type,
//   is_primary} PUT    /v1/contacts/{id}/phone-numbers/{phone_id}    the fields
//   to change DELETE /v1/contacts/{id}/phone-numbers/{phone_id} POST
//   /v1/contacts/{id}/emails                      {address, type, is_primary}
//   PUT    /v1/contacts/{id}/emails/{email_id}
//   DELETE /v1/contacts/{id}/emails/{email_id}
//   POST   /v1/contacts/{id}/tags                        {"tag": "vip"}
//   DELETE /v1/contacts/{id}/tags/{tag}

#include "server/http/api_context.h"
#include "server/http/http_call.h"

namespace contactd::server::http {

void AddPhone(const ApiContext& context, Call& call);
void UpdatePhone(const ApiContext& context, Call& call);
void RemovePhone(const ApiContext& context, Call& call);
void AddEmail(const ApiContext& context, Call& call);
void UpdateEmail(const ApiContext& context, Call& call);
void RemoveEmail(const ApiContext& context, Call& call);
void AddTag(const ApiContext& context, Call& call);
void RemoveTag(const ApiContext& context, Call& call);

}  // namespace contactd::server::http
