// The C interface (contactd_client.h) over client::Client. Every entry point
// catches everything: no C++ exception crosses into C.

#include <algorithm>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/client.h"
#include "client/contactd_client.h"
#include "index/errors.h"
#include "index/uuid.h"

struct contactd_client {
  std::unique_ptr<contactd::client::Client> client;
};

namespace contactd::client {
namespace {

// The memory behind a contactd_result.
struct ResultStorage {
  index::Contact contact;
  std::deque<std::string> strings;  // stable addresses
  std::vector<const char*> tags;
  std::vector<contactd_phone> phones;
  std::vector<contactd_email> emails;

  const char* Keep(std::string text) {
    return strings.emplace_back(std::move(text)).c_str();
  }
};

void CopyText(char* out, size_t size, std::string_view text) {
  const size_t n = std::min(size - 1, text.size());
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

int FillError(const absl::Status& status, contactd_error* err) {
  const int code = static_cast<int>(status.code());
  if (err == nullptr) return code;
  *err = contactd_error{};
  err->code = code;
  const index::Reason reason = index::ReasonOf(status);
  err->reason = static_cast<int>(reason);
  if (reason != index::Reason::kNone) {
    CopyText(err->reason_name, sizeof(err->reason_name),
             index::ReasonName(reason));
  }
  CopyText(err->message, sizeof(err->message),
           std::string_view(status.message().data(), status.message().size()));
  return code;
}

int64_t Micros(absl::Time t) {
  return t == absl::InfinitePast() ? 0 : absl::ToUnixMicros(t);
}

void ResetResult(contactd_result* result) {
  static const char kEmpty[] = "";
  *result = contactd_result{};
  contactd_contact& c = result->contact;
  c.id = c.customer_id = c.first_name = c.last_name = c.display_name =
      c.company = c.job_title = c.source = c.external_id = c.notes = kEmpty;
}

void FillPhones(ResultStorage& s) {
  for (const index::PhoneNumber& p : s.contact.phone_numbers) {
    s.phones.push_back(contactd_phone{
        s.Keep(p.id.ToString()), p.number.c_str(), p.number_e164.c_str(),
        s.Keep(std::string(index::PhoneTypeName(p.type))), p.is_primary ? 1 : 0,
        Micros(p.tm_create)});
  }
  for (const index::Email& e : s.contact.emails) {
    s.emails.push_back(
        contactd_email{s.Keep(e.id.ToString()), e.address.c_str(),
                       s.Keep(std::string(index::EmailTypeName(e.type))),
                       e.is_primary ? 1 : 0, Micros(e.tm_create)});
  }
  for (const std::string& tag : s.contact.tags) s.tags.push_back(tag.c_str());
}

// Moves `contact` into a new storage owned by `result`.
void FillContact(index::Contact contact, contactd_result* result) {
  auto storage = std::make_unique<ResultStorage>();
  ResultStorage& s = *storage;
  s.contact = std::move(contact);
  FillPhones(s);
  const index::Contact& k = s.contact;
  contactd_contact& c = result->contact;
  c.id = s.Keep(k.id.ToString());
  c.customer_id = s.Keep(k.customer_id.ToString());
  c.first_name = k.first_name.c_str();
  c.last_name = k.last_name.c_str();
  c.display_name = k.display_name.c_str();
  c.company = k.company.c_str();
  c.job_title = k.job_title.c_str();
  c.source = s.Keep(std::string(index::SourceName(k.source)));
  c.external_id = k.external_id.c_str();
  c.notes = k.notes.c_str();
  c.tags = s.tags.data();
  c.tag_count = s.tags.size();
  c.phones = s.phones.data();
  c.phone_count = s.phones.size();
  c.emails = s.emails.data();
  c.email_count = s.emails.size();
  c.tm_create_us = Micros(k.tm_create);
  c.tm_update_us = Micros(k.tm_update);
  result->internal_ = storage.release();
}

absl::StatusOr<index::Uuid> ParseId(const char* text, std::string_view what) {
  if (text == nullptr) {
    return index::InvalidArgument(index::Reason::kInvalidId,
                                  std::string(what) + " is NULL");
  }
  absl::StatusOr<index::Uuid> id = index::Uuid::Parse(text);
  if (!id.ok()) {
    return index::InvalidArgument(
        index::Reason::kInvalidId,
        std::string(what) + ": " + std::string(id.status().message()));
  }
  return id;
}

// Runs `call` (returning StatusOr<index::Contact> or LookupReply) and
// reports into `result`; catches everything.
template <typename Fn>
int Run(contactd_client* client, contactd_result* result, Fn call) {
  if (result == nullptr) return CONTACTD_INVALID_ARGUMENT;
  ResetResult(result);
  try {
    if (client == nullptr || client->client == nullptr) {
      return FillError(absl::InvalidArgumentError("client is NULL"),
                       &result->error);
    }
    absl::Status status = call(*client->client, result);
    return status.ok() ? CONTACTD_OK : FillError(status, &result->error);
  } catch (const std::bad_alloc&) {
    return FillError(absl::ResourceExhaustedError("out of memory"),
                     &result->error);
  } catch (...) {
    return FillError(absl::InternalError("unexpected exception"),
                     &result->error);
  }
}

absl::Status Lookup(Client& client, bool phone, const char* tenant,
                    const char* input, const char* region,
                    contactd_result* result) {
  absl::StatusOr<index::Uuid> tenant_id = ParseId(tenant, "tenant");
  if (!tenant_id.ok()) return tenant_id.status();
  protocol::LookupRequest request;
  request.tenant = *tenant_id;
  request.input = input == nullptr ? "" : input;
  request.region = region == nullptr ? "" : region;
  absl::StatusOr<protocol::LookupReply> reply =
      phone ? client.LookupPhone(request) : client.LookupEmail(request);
  if (!reply.ok()) return reply.status();
  if (reply->contacts.empty()) {
    return absl::DataLossError("lookup reply without a contact");
  }
  result->match_count = reply->match_count;
  FillContact(std::move(reply->contacts.front()), result);
  return absl::OkStatus();
}

absl::Status FillFrom(absl::StatusOr<index::Contact> contact,
                      contactd_result* result) {
  if (!contact.ok()) return contact.status();
  result->match_count = 1;
  FillContact(*std::move(contact), result);
  return absl::OkStatus();
}

contactd_client* Connect(const char* server, const char* token,
                         const contactd_options* options, contactd_error* err) {
  ClientOptions o;
  if (server != nullptr) o.server = server;
  if (token != nullptr) o.token = token;
  o.client_name = "contactd-c";
  if (options != nullptr) {
    if (options->client_name != nullptr) o.client_name = options->client_name;
    if (options->connect_timeout_ms > 0) {
      o.connect_timeout = absl::Milliseconds(options->connect_timeout_ms);
    }
    if (options->request_timeout_ms > 0) {
      o.request_timeout = absl::Milliseconds(options->request_timeout_ms);
    }
  }
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(o);
  if (!client.ok()) {
    FillError(client.status(), err);
    return nullptr;
  }
  if (absl::Status s = (*client)->Connect(); !s.ok()) {
    FillError(s, err);
    return nullptr;
  }
  if (err != nullptr) *err = contactd_error{};
  return new contactd_client{*std::move(client)};
}

}  // namespace
}  // namespace contactd::client

using contactd::client::Client;
using contactd::client::FillError;

extern "C" {

contactd_client* contactd_connect(const char* server, const char* token,
                                  contactd_error* err) {
  return contactd_connect_with_options(server, token, nullptr, err);
}

contactd_client* contactd_connect_with_options(const char* server,
                                               const char* token,
                                               const contactd_options* options,
                                               contactd_error* err) {
  try {
    return contactd::client::Connect(server, token, options, err);
  } catch (...) {
    FillError(absl::InternalError("unexpected exception"), err);
    return nullptr;
  }
}

void contactd_close(contactd_client* client) {
  try {
    delete client;
  } catch (...) {
  }
}

int contactd_ping(contactd_client* client, contactd_error* err) {
  try {
    if (client == nullptr) {
      return FillError(absl::InvalidArgumentError("client is NULL"), err);
    }
    const absl::Status s = client->client->Ping();
    if (s.ok() && err != nullptr) *err = contactd_error{};
    return s.ok() ? CONTACTD_OK : FillError(s, err);
  } catch (...) {
    return FillError(absl::InternalError("unexpected exception"), err);
  }
}

int contactd_lookup_phone(contactd_client* client, const char* tenant,
                          const char* number, const char* region,
                          contactd_result* result) {
  return contactd::client::Run(
      client, result, [&](Client& c, contactd_result* r) {
        return contactd::client::Lookup(c, true, tenant, number, region, r);
      });
}

int contactd_lookup_email(contactd_client* client, const char* tenant,
                          const char* address, contactd_result* result) {
  return contactd::client::Run(
      client, result, [&](Client& c, contactd_result* r) {
        return contactd::client::Lookup(c, false, tenant, address, nullptr, r);
      });
}

int contactd_get(contactd_client* client, const char* tenant, const char* id,
                 contactd_result* result) {
  using contactd::client::ParseId;
  return contactd::client::Run(
      client, result, [&](Client& c, contactd_result* r) -> absl::Status {
        auto tenant_id = ParseId(tenant, "tenant");
        if (!tenant_id.ok()) return tenant_id.status();
        auto contact_id = ParseId(id, "id");
        if (!contact_id.ok()) return contact_id.status();
        return contactd::client::FillFrom(c.Get({*tenant_id, *contact_id}), r);
      });
}

int contactd_get_by_external_id(contactd_client* client, const char* tenant,
                                const char* external_id,
                                contactd_result* result) {
  using contactd::client::ParseId;
  return contactd::client::Run(
      client, result, [&](Client& c, contactd_result* r) -> absl::Status {
        auto tenant_id = ParseId(tenant, "tenant");
        if (!tenant_id.ok()) return tenant_id.status();
        contactd::protocol::GetByExternalIdRequest request;
        request.tenant = *tenant_id;
        request.external_id = external_id == nullptr ? "" : external_id;
        return contactd::client::FillFrom(c.GetByExternalId(request), r);
      });
}

void contactd_result_free(contactd_result* result) {
  if (result == nullptr) return;
  delete static_cast<contactd::client::ResultStorage*>(result->internal_);
  contactd::client::ResetResult(result);
}

const char* contactd_code_name(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  if (code < 0 || code > CONTACTD_UNAUTHENTICATED) return "UNKNOWN";
  return kNames[code];
}

const char* contactd_version(void) { return "0.1.0"; }

}  // extern "C"
