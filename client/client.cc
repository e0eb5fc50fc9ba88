#include "client/client.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/client_connection.h"
#include "index/errors.h"
#include "protocol/frame.h"
#include "protocol/reply.h"

namespace contactd::client {

using protocol::Opcode;

namespace {

// PING and other replies without a payload.
struct Empty {};

absl::Status DecodePayload(std::span<const uint8_t> p, Empty&) {
  return protocol::DecodePingReply(p);
}
absl::Status DecodePayload(std::span<const uint8_t> p,
                           protocol::StatsReply& out) {
  return protocol::DecodeStatsReply(p, out);
}
absl::Status DecodePayload(std::span<const uint8_t> p,
                           protocol::CheckpointReply& out) {
  return protocol::DecodeCheckpointReply(p, out);
}
absl::Status DecodePayload(std::span<const uint8_t> p,
                           protocol::ReloadReply& out) {
  return protocol::DecodeReloadReply(p, out);
}
absl::Status DecodePayload(std::span<const uint8_t> p,
                           protocol::LookupReply& out) {
  return protocol::DecodeLookupReply(p, out);
}
absl::Status DecodePayload(std::span<const uint8_t> p,
                           protocol::LookupBatchReply& out) {
  return protocol::DecodeLookupBatchReply(p, out);
}
absl::Status DecodePayload(std::span<const uint8_t> p, index::Contact& out) {
  return protocol::DecodeContactReply(p, out);
}
absl::Status DecodePayload(std::span<const uint8_t> p,
                           protocol::ListByTagReply& out) {
  return protocol::DecodeListByTagReply(p, out);
}
absl::Status DecodePayload(std::span<const uint8_t> p,
                           protocol::UpsertReply& out) {
  return protocol::DecodeUpsertReply(p, out);
}

absl::Status Malformed(Opcode opcode, const absl::Status& why) {
  return absl::DataLossError(
      absl::StrCat("malformed ", index::ToAbsl(protocol::OpcodeName(opcode)),
                   " reply: ", why.message()));
}

// The reply body as a value: the server's error status, or the decoded
// payload; a body that does not decode is DATA_LOSS.
template <typename Reply>
absl::StatusOr<Reply> DecodeReply(
    Opcode opcode, const absl::StatusOr<std::span<const uint8_t>>& body) {
  if (!body.ok()) return body.status();
  protocol::ReplyPrefix prefix;
  if (absl::Status s = protocol::DecodeReplyPrefix(*body, prefix); !s.ok()) {
    return Malformed(opcode, s);
  }
  if (absl::Status s = protocol::ReplyStatus(prefix); !s.ok()) return s;
  Reply reply;
  if (absl::Status s = DecodePayload(prefix.payload, reply); !s.ok()) {
    return Malformed(opcode, s);
  }
  return reply;
}

template <typename Request>
std::string Encode(void (*encode)(std::string&, const Request&),
                   const Request& request) {
  std::string body;
  encode(body, request);
  return body;
}

absl::Status IgnoreValue(const absl::StatusOr<Empty>& result) {
  return result.status();
}

}  // namespace

// Counts the async calls whose callback has not returned (WaitIdle).
// std::mutex, not absl::Mutex, throughout the client: Debian's Abseil is not
// built with TSan, which would then not see the lock.
struct Client::Tracker {
  std::mutex mu;
  std::condition_variable idle;
  size_t in_flight ABSL_GUARDED_BY(mu) = 0;

  void Add() {
    std::lock_guard lock(mu);
    ++in_flight;
  }
  void Done() {
    {
      std::lock_guard lock(mu);
      --in_flight;
    }
    idle.notify_all();
  }
};

absl::StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  absl::StatusOr<ServerAddress> address = ParseServerAddress(options.server);
  if (!address.ok()) return address.status();
  if (options.connect_timeout <= absl::ZeroDuration() ||
      options.request_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("timeouts must be positive");
  }
  auto connection = std::make_unique<ClientConnection>(options, *address);
  return std::unique_ptr<Client>(
      new Client(std::move(options), std::move(connection)));
}

Client::Client(ClientOptions options,
               std::unique_ptr<ClientConnection> connection)
    : options_(std::move(options)),
      tracker_(std::make_unique<Tracker>()),
      connection_(std::move(connection)) {}

Client::~Client() = default;

bool Client::connected() const { return connection_->connected(); }

std::optional<protocol::HelloReply> Client::hello() const {
  return connection_->hello();
}

absl::Status Client::Connect() {
  if (connected()) return absl::OkStatus();
  return Ping();
}

template <typename Reply>
void Client::CallAsync(Opcode opcode, std::string body, Callback<Reply> done) {
  tracker_->Add();
  connection_->Submit(
      opcode, body,
      [tracker = tracker_.get(), opcode, done = std::move(done)](
          absl::StatusOr<std::span<const uint8_t>> reply) mutable {
        done(DecodeReply<Reply>(opcode, reply));
        tracker->Done();
      });
}

template <typename Reply>
absl::StatusOr<Reply> Client::Call(Opcode opcode, std::string body) {
  if (connection_->OnIoThread()) {
    return absl::FailedPreconditionError(
        "a synchronous contactd call from inside a callback would deadlock");
  }
  struct Result {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    absl::StatusOr<Reply> value = absl::UnknownError("no reply");
  };
  auto result = std::make_shared<Result>();
  connection_->Submit(
      opcode, body,
      [result, opcode](absl::StatusOr<std::span<const uint8_t>> reply) {
        auto value = DecodeReply<Reply>(opcode, reply);
        {
          std::lock_guard lock(result->mu);
          result->value = std::move(value);
          result->done = true;
        }
        result->cv.notify_one();
      });
  // The I/O thread answers every call within request_timeout; the margin
  // only guards against a bug there.
  const absl::Duration limit =
      options_.connect_timeout + options_.request_timeout + absl::Seconds(1);
  std::unique_lock lock(result->mu);
  if (!result->cv.wait_for(lock, absl::ToChronoNanoseconds(limit),
                           [&] { return result->done; })) {
    return absl::DeadlineExceededError(absl::StrCat(
        index::ToAbsl(protocol::OpcodeName(opcode)), ": no reply in time"));
  }
  return std::move(result->value);
}

size_t Client::in_flight() const {
  std::lock_guard lock(tracker_->mu);
  return tracker_->in_flight;
}

absl::Status Client::WaitIdle(absl::Duration timeout) {
  if (connection_->OnIoThread()) {
    return absl::FailedPreconditionError("WaitIdle from inside a callback");
  }
  Tracker& t = *tracker_;
  std::unique_lock lock(t.mu);
  const bool idle = t.idle.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                                    [&] { return t.in_flight == 0; });
  if (!idle) {
    return absl::DeadlineExceededError(
        absl::StrCat(t.in_flight, " calls still in flight"));
  }
  return absl::OkStatus();
}

// ---- Synchronous calls.

absl::Status Client::Ping() {
  return IgnoreValue(Call<Empty>(Opcode::kPing, ""));
}
absl::StatusOr<protocol::StatsReply> Client::Stats() {
  return Call<protocol::StatsReply>(Opcode::kStats, "");
}
absl::StatusOr<protocol::CheckpointReply> Client::Checkpoint() {
  return Call<protocol::CheckpointReply>(Opcode::kCheckpoint, "");
}
absl::StatusOr<protocol::ReloadReply> Client::Reload(const std::string& path) {
  return Call<protocol::ReloadReply>(
      Opcode::kReload,
      Encode(protocol::EncodeReloadRequest, protocol::ReloadRequest{path}));
}
absl::StatusOr<protocol::LookupReply> Client::LookupPhone(
    const protocol::LookupRequest& request) {
  return Call<protocol::LookupReply>(
      Opcode::kLookupPhone, Encode(protocol::EncodeLookupRequest, request));
}
absl::StatusOr<protocol::LookupReply> Client::LookupEmail(
    const protocol::LookupRequest& request) {
  return Call<protocol::LookupReply>(
      Opcode::kLookupEmail, Encode(protocol::EncodeLookupRequest, request));
}
absl::StatusOr<protocol::LookupBatchReply> Client::LookupBatch(
    const protocol::LookupBatchRequest& request) {
  return Call<protocol::LookupBatchReply>(
      Opcode::kLookupBatch,
      Encode(protocol::EncodeLookupBatchRequest, request));
}
absl::StatusOr<index::Contact> Client::Get(
    const protocol::GetRequest& request) {
  return Call<index::Contact>(Opcode::kGet,
                              Encode(protocol::EncodeGetRequest, request));
}
absl::StatusOr<index::Contact> Client::GetByExternalId(
    const protocol::GetByExternalIdRequest& request) {
  return Call<index::Contact>(
      Opcode::kGetByExternalId,
      Encode(protocol::EncodeGetByExternalIdRequest, request));
}
absl::StatusOr<protocol::ListByTagReply> Client::ListByTag(
    const protocol::ListByTagRequest& request) {
  return Call<protocol::ListByTagReply>(
      Opcode::kListByTag, Encode(protocol::EncodeListByTagRequest, request));
}
absl::StatusOr<protocol::UpsertReply> Client::Upsert(
    const protocol::UpsertRequest& request) {
  return Call<protocol::UpsertReply>(
      Opcode::kUpsert, Encode(protocol::EncodeUpsertRequest, request));
}
absl::StatusOr<index::Contact> Client::Delete(
    const protocol::DeleteRequest& request) {
  return Call<index::Contact>(Opcode::kDelete,
                              Encode(protocol::EncodeDeleteRequest, request));
}
absl::StatusOr<index::Contact> Client::UpdateFields(
    const protocol::UpdateFieldsRequest& request) {
  return Call<index::Contact>(
      Opcode::kUpdateFields,
      Encode(protocol::EncodeUpdateFieldsRequest, request));
}
absl::StatusOr<index::Contact> Client::AddPhone(
    const protocol::AddPhoneRequest& request) {
  return Call<index::Contact>(Opcode::kAddPhone,
                              Encode(protocol::EncodeAddPhoneRequest, request));
}
absl::StatusOr<index::Contact> Client::UpdatePhone(
    const protocol::UpdatePhoneRequest& request) {
  return Call<index::Contact>(
      Opcode::kUpdatePhone,
      Encode(protocol::EncodeUpdatePhoneRequest, request));
}
absl::StatusOr<index::Contact> Client::RemovePhone(
    const protocol::RemovePhoneRequest& request) {
  return Call<index::Contact>(
      Opcode::kRemovePhone,
      Encode(protocol::EncodeRemovePhoneRequest, request));
}
absl::StatusOr<index::Contact> Client::AddEmail(
    const protocol::AddEmailRequest& request) {
  return Call<index::Contact>(Opcode::kAddEmail,
                              Encode(protocol::EncodeAddEmailRequest, request));
}
absl::StatusOr<index::Contact> Client::UpdateEmail(
    const protocol::UpdateEmailRequest& request) {
  return Call<index::Contact>(
      Opcode::kUpdateEmail,
      Encode(protocol::EncodeUpdateEmailRequest, request));
}
absl::StatusOr<index::Contact> Client::RemoveEmail(
    const protocol::RemoveEmailRequest& request) {
  return Call<index::Contact>(
      Opcode::kRemoveEmail,
      Encode(protocol::EncodeRemoveEmailRequest, request));
}
absl::StatusOr<index::Contact> Client::AddTag(
    const protocol::AddTagRequest& request) {
  return Call<index::Contact>(Opcode::kAddTag,
                              Encode(protocol::EncodeAddTagRequest, request));
}
absl::StatusOr<index::Contact> Client::RemoveTag(
    const protocol::RemoveTagRequest& request) {
  return Call<index::Contact>(
      Opcode::kRemoveTag, Encode(protocol::EncodeRemoveTagRequest, request));
}

// ---- Asynchronous calls.

void Client::PingAsync(StatusCallback done) {
  CallAsync<Empty>(Opcode::kPing, "",
                   [done = std::move(done)](absl::StatusOr<Empty> r) mutable {
                     done(r.status());
                   });
}
void Client::StatsAsync(Callback<protocol::StatsReply> done) {
  CallAsync<protocol::StatsReply>(Opcode::kStats, "", std::move(done));
}
void Client::LookupPhoneAsync(const protocol::LookupRequest& request,
                              Callback<protocol::LookupReply> done) {
  CallAsync<protocol::LookupReply>(
      Opcode::kLookupPhone, Encode(protocol::EncodeLookupRequest, request),
      std::move(done));
}
void Client::LookupEmailAsync(const protocol::LookupRequest& request,
                              Callback<protocol::LookupReply> done) {
  CallAsync<protocol::LookupReply>(
      Opcode::kLookupEmail, Encode(protocol::EncodeLookupRequest, request),
      std::move(done));
}
void Client::LookupBatchAsync(const protocol::LookupBatchRequest& request,
                              Callback<protocol::LookupBatchReply> done) {
  CallAsync<protocol::LookupBatchReply>(
      Opcode::kLookupBatch, Encode(protocol::EncodeLookupBatchRequest, request),
      std::move(done));
}
void Client::GetAsync(const protocol::GetRequest& request,
                      Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kGet,
                            Encode(protocol::EncodeGetRequest, request),
                            std::move(done));
}
void Client::GetByExternalIdAsync(
    const protocol::GetByExternalIdRequest& request,
    Callback<index::Contact> done) {
  CallAsync<index::Contact>(
      Opcode::kGetByExternalId,
      Encode(protocol::EncodeGetByExternalIdRequest, request), std::move(done));
}
void Client::ListByTagAsync(const protocol::ListByTagRequest& request,
                            Callback<protocol::ListByTagReply> done) {
  CallAsync<protocol::ListByTagReply>(
      Opcode::kListByTag, Encode(protocol::EncodeListByTagRequest, request),
      std::move(done));
}
void Client::UpsertAsync(const protocol::UpsertRequest& request,
                         Callback<protocol::UpsertReply> done) {
  CallAsync<protocol::UpsertReply>(
      Opcode::kUpsert, Encode(protocol::EncodeUpsertRequest, request),
      std::move(done));
}
void Client::DeleteAsync(const protocol::DeleteRequest& request,
                         Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kDelete,
                            Encode(protocol::EncodeDeleteRequest, request),
                            std::move(done));
}
void Client::UpdateFieldsAsync(const protocol::UpdateFieldsRequest& request,
                               Callback<index::Contact> done) {
  CallAsync<index::Contact>(
      Opcode::kUpdateFields,
      Encode(protocol::EncodeUpdateFieldsRequest, request), std::move(done));
}
void Client::AddPhoneAsync(const protocol::AddPhoneRequest& request,
                           Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kAddPhone,
                            Encode(protocol::EncodeAddPhoneRequest, request),
                            std::move(done));
}
void Client::UpdatePhoneAsync(const protocol::UpdatePhoneRequest& request,
                              Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kUpdatePhone,
                            Encode(protocol::EncodeUpdatePhoneRequest, request),
                            std::move(done));
}
void Client::RemovePhoneAsync(const protocol::RemovePhoneRequest& request,
                              Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kRemovePhone,
                            Encode(protocol::EncodeRemovePhoneRequest, request),
                            std::move(done));
}
void Client::AddEmailAsync(const protocol::AddEmailRequest& request,
                           Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kAddEmail,
                            Encode(protocol::EncodeAddEmailRequest, request),
                            std::move(done));
}
void Client::UpdateEmailAsync(const protocol::UpdateEmailRequest& request,
                              Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kUpdateEmail,
                            Encode(protocol::EncodeUpdateEmailRequest, request),
                            std::move(done));
}
void Client::RemoveEmailAsync(const protocol::RemoveEmailRequest& request,
                              Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kRemoveEmail,
                            Encode(protocol::EncodeRemoveEmailRequest, request),
                            std::move(done));
}
void Client::AddTagAsync(const protocol::AddTagRequest& request,
                         Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kAddTag,
                            Encode(protocol::EncodeAddTagRequest, request),
                            std::move(done));
}
void Client::RemoveTagAsync(const protocol::RemoveTagRequest& request,
                            Callback<index::Contact> done) {
  CallAsync<index::Contact>(Opcode::kRemoveTag,
                            Encode(protocol::EncodeRemoveTagRequest, request),
                            std::move(done));
}

}  // namespace contactd::client
