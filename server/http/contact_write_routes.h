#pragma once
// The routes that create, change and delete whole contacts:
//
//   POST   /v1/contacts        201 + contact; 200 when external_id names an
//                              existing contact of the tenant (updated)
//   PUT    /v1/contacts/{id}   partial update: only the fields sent change
//   DELETE /v1/contacts/{id}   200 + the contact, tm_delete set
//
// Bodies are contact JSON (protocol/contact_json.h): unknown fields are
// rejected, output-only fields (tm_*, number_e164) ignored. An optional
// ?region=GB reads national phone numbers of the body in that region.

#include "server/http/api_context.h"
#include "server/http/http_call.h"

namespace contactd::server::http {

void CreateContact(const ApiContext& context, Call& call);
void UpdateContact(const ApiContext& context, Call& call);
void DeleteContact(const ApiContext& context, Call& call);

}  // namespace contactd::server::http
