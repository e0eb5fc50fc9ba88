#pragma once
// The reading routes of the contact API. They run on the HTTP thread inside
// an EpochGuard, like binary reads: no lock, no wait on the writer.
//
//   GET /v1/contacts/{id}
//   GET /v1/contacts?page_size=&page_token=&tag=
//   GET /v1/contacts/lookup?phone=...[&region=GB] | ?email=...[&all=true]

#include "server/http/api_context.h"
#include "server/http/http_call.h"

namespace contactd::server::http {

void GetContact(const ApiContext& context, Call& call);
void ListContacts(const ApiContext& context, Call& call);
void LookupContact(const ApiContext& context, Call& call);

}  // namespace contactd::server::http
