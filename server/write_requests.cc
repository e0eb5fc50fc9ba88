#include "server/write_requests.h"

#include <utility>

#include "protocol/contact_messages.h"
#include "protocol/mutation_messages.h"
#include "protocol/reply.h"
#include "server/read_requests.h"

namespace contactd::server {
namespace {

using index::Contact;
using index::ContactStore;
using index::WriteOptions;
using protocol::Opcode;

template <typename Request>
using Decoder = absl::Status (*)(std::span<const uint8_t>, Request&);

// Appends the reply of a mutation that returns the stored contact.
void EncodeContactResult(std::string& out,
                         const absl::StatusOr<Contact>& result) {
  if (!result.ok()) return protocol::EncodeErrorReply(out, result.status());
  protocol::EncodeContactReply(out, *result);
}

// Decodes a request whose tenant is request.tenant and returns the work
// that runs `mutate(store, request)` -> StatusOr<Contact>.
template <typename Request, typename Mutate>
std::optional<WriteWork> Prepare(ContactStore& store, const Grant& grant,
                                 ServerMetrics& metrics,
                                 std::span<const uint8_t> body,
                                 Decoder<Request> decode,
                                 std::string& error_out, Mutate mutate) {
  Request request;
  if (auto s = decode(body, request); !s.ok()) {
    EncodeMalformedBody(error_out, s, metrics);
    return std::nullopt;
  }
  if (!grant.AllowsTenant(request.tenant)) {
    EncodeTenantDenied(error_out, metrics);
    return std::nullopt;
  }
  return WriteWork(
      [&store, mutate, request = std::move(request)](std::string& out) mutable {
        EncodeContactResult(out, mutate(store, request));
      });
}

std::optional<WriteWork> PrepareUpsert(ContactStore& store, const Grant& grant,
                                       ServerMetrics& metrics,
                                       std::span<const uint8_t> body,
                                       std::string& error_out) {
  protocol::UpsertRequest request;
  if (auto s = protocol::DecodeUpsertRequest(body, request); !s.ok()) {
    EncodeMalformedBody(error_out, s, metrics);
    return std::nullopt;
  }
  if (!grant.AllowsTenant(request.contact.customer_id)) {
    EncodeTenantDenied(error_out, metrics);
    return std::nullopt;
  }
  return WriteWork(
      [&store, request = std::move(request)](std::string& out) mutable {
        WriteOptions options;
        options.region = request.region;
        auto result = store.Upsert(std::move(request.contact), options);
        if (!result.ok()) {
          return protocol::EncodeErrorReply(out, result.status());
        }
        protocol::EncodeUpsertReply(out, result->created, result->contact);
      });
}

WriteOptions WithRegion(const std::string& region) {
  WriteOptions options;
  options.region = region;
  return options;
}

}  // namespace

bool IsWriteOpcode(Opcode opcode) {
  switch (opcode) {
    case Opcode::kUpsert:
    case Opcode::kDelete:
    case Opcode::kUpdateFields:
    case Opcode::kAddPhone:
    case Opcode::kUpdatePhone:
    case Opcode::kRemovePhone:
    case Opcode::kAddEmail:
    case Opcode::kUpdateEmail:
    case Opcode::kRemoveEmail:
    case Opcode::kAddTag:
    case Opcode::kRemoveTag:
      return true;
    default:
      return false;
  }
}

std::optional<WriteWork> PrepareWrite(ContactStore& store, const Grant& grant,
                                      ServerMetrics& metrics, Opcode opcode,
                                      std::span<const uint8_t> body,
                                      std::string& error_out) {
  namespace p = protocol;
  auto prepare = [&](auto decode, auto mutate) {
    return Prepare(store, grant, metrics, body, decode, error_out, mutate);
  };
  switch (opcode) {
    case Opcode::kUpsert:
      return PrepareUpsert(store, grant, metrics, body, error_out);
    case Opcode::kDelete:
      return prepare(&p::DecodeDeleteRequest,
                     [](ContactStore& s, const p::DeleteRequest& r) {
                       return s.Delete(r.tenant, r.id);
                     });
    case Opcode::kUpdateFields:
      return prepare(&p::DecodeUpdateFieldsRequest,
                     [](ContactStore& s, const p::UpdateFieldsRequest& r) {
                       return s.UpdateFields(r.tenant, r.id, r.update);
                     });
    case Opcode::kAddPhone:
      return prepare(&p::DecodeAddPhoneRequest,
                     [](ContactStore& s, const p::AddPhoneRequest& r) {
                       return s.AddPhone(r.tenant, r.id, r.phone,
                                         WithRegion(r.region));
                     });
    case Opcode::kUpdatePhone:
      return prepare(&p::DecodeUpdatePhoneRequest,
                     [](ContactStore& s, const p::UpdatePhoneRequest& r) {
                       return s.UpdatePhone(r.tenant, r.id, r.phone_id,
                                            r.update, WithRegion(r.region));
                     });
    case Opcode::kRemovePhone:
      return prepare(&p::DecodeRemovePhoneRequest,
                     [](ContactStore& s, const p::RemovePhoneRequest& r) {
                       return s.RemovePhone(r.tenant, r.id, r.item_id);
                     });
    case Opcode::kAddEmail:
      return prepare(&p::DecodeAddEmailRequest,
                     [](ContactStore& s, const p::AddEmailRequest& r) {
                       return s.AddEmail(r.tenant, r.id, r.email);
                     });
    case Opcode::kUpdateEmail:
      return prepare(&p::DecodeUpdateEmailRequest,
                     [](ContactStore& s, const p::UpdateEmailRequest& r) {
                       return s.UpdateEmail(r.tenant, r.id, r.email_id,
                                            r.update);
                     });
    case Opcode::kRemoveEmail:
      return prepare(&p::DecodeRemoveEmailRequest,
                     [](ContactStore& s, const p::RemoveEmailRequest& r) {
                       return s.RemoveEmail(r.tenant, r.id, r.item_id);
                     });
    case Opcode::kAddTag:
      return prepare(&p::DecodeAddTagRequest,
                     [](ContactStore& s, const p::AddTagRequest& r) {
                       return s.AddTag(r.tenant, r.id, r.tag);
                     });
    case Opcode::kRemoveTag:
      return prepare(&p::DecodeRemoveTagRequest,
                     [](ContactStore& s, const p::RemoveTagRequest& r) {
                       return s.RemoveTag(r.tenant, r.id, r.tag);
                     });
    default:
      return std::nullopt;  // REQUIRES: IsWriteOpcode
  }
}

}  // namespace contactd::server
