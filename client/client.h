#pragma once
// Client: the C++ client of contactd's binary protocol (docs/client.md).
//
// One Client is one TCP connection (made on first use, remade after it
// breaks) plus one I/O thread. Every opcode has a synchronous call that
// returns the decoded reply, and an asynchronous twin that queues the
// request and returns at once; any number of requests may be in flight on
// the connection (pipelining), replies are matched to requests by id.
//
//   ClientOptions options;
//   options.server = "127.0.0.1:7600";
//   options.token = "edge-7f3a9c2e41d8b6a0c5e9f1d2";
//   absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
//   protocol::LookupRequest request{.tenant = tenant, .input = "+15551234567"};
//   absl::StatusOr<protocol::LookupReply> reply =
//   (*client)->LookupPhone(request); if (reply.ok()) Use(reply->contacts[0]);
//   else if (absl::IsNotFound(reply.status())) ...  // no such number
//
//   // Pipelined: 1000 lookups in flight, one callback each.
//   for (...) (*client)->LookupPhoneAsync(request, [](auto reply) { ... });
//   (*client)->WaitIdle(absl::Seconds(5));
//
// Errors (absl::Status; never exceptions):
//   - the server's error reply: its code (FromWireStatus: NOT_FOUND,
//     INVALID_ARGUMENT, PERMISSION_DENIED, ...), with the reason attached
//     (index::ReasonOf(status) == Reason::kContactNotFound) and the server's
//     message;
//   - UNAVAILABLE: cannot connect, or the connection broke while the
//     request was in flight (the next call reconnects and re-sends HELLO);
//   - UNAUTHENTICATED (from HELLO): bad token; FAILED_PRECONDITION: no
//     common protocol version;
//   - DEADLINE_EXCEEDED: no reply within ClientOptions::request_timeout;
//   - DATA_LOSS: the server's reply did not decode (a malformed reply is an
//     error, never undefined behaviour);
//   - RESOURCE_EXHAUSTED: a request larger than the server accepts;
//   - FAILED_PRECONDITION: a synchronous call from inside a callback;
//   - CANCELLED: the Client was destroyed with the request in flight.
//
// Requests are encoded before the call returns, so views in a request
// (LookupRequest::input, ...) need only live for the call.
//
// Thread safety: every method may be called from any thread at once.
// Callbacks run on the client's I/O thread, one at a time, in reply order;
// a callback must not block, must not throw, and must not make a
// synchronous call on the same Client (it gets FAILED_PRECONDITION); it may
// queue more async calls. Destroying the Client fails the calls still in
// flight with CANCELLED (their callbacks run inside the destructor).
// REQUIRES: no call races with the destructor. NOTE: do not fork() with a
// live Client; create one per process, after the fork.

#include <cstddef>
#include <memory>
#include <optional>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/client_options.h"
#include "index/contact.h"
#include "protocol/admin_messages.h"
#include "protocol/contact_messages.h"
#include "protocol/frame.h"
#include "protocol/hello_messages.h"
#include "protocol/lookup_messages.h"
#include "protocol/mutation_messages.h"
#include "protocol/stats_messages.h"

namespace contactd::client {

class ClientConnection;

template <typename T>
using Callback = absl::AnyInvocable<void(absl::StatusOr<T>)>;
using StatusCallback = absl::AnyInvocable<void(absl::Status)>;

class Client {
 public:
  // Checks the options (the server address must parse); does not connect.
  static absl::StatusOr<std::unique_ptr<Client>> Create(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const { return options_; }
  // Connects and completes HELLO now (calls do it on demand anyway); OK
  // when already connected.
  absl::Status Connect();
  // Whether the connection is up and HELLO was accepted.
  bool connected() const;
  // The server's last HELLO reply: version, limits, scopes, tenant binding.
  std::optional<protocol::HelloReply> hello() const;

  // ---- Synchronous calls: block until the reply (or the error).
  absl::Status Ping();
  absl::StatusOr<protocol::StatsReply> Stats();
  // Admin scope; both may take seconds on a big dataset: give the client a
  // request_timeout to match.
  absl::StatusOr<protocol::CheckpointReply> Checkpoint();
  absl::StatusOr<protocol::ReloadReply> Reload(const std::string& path);
  absl::StatusOr<protocol::LookupReply> LookupPhone(
      const protocol::LookupRequest& request);
  absl::StatusOr<protocol::LookupReply> LookupEmail(
      const protocol::LookupRequest& request);
  // Per-item statuses in the reply; the call fails only as a whole.
  absl::StatusOr<protocol::LookupBatchReply> LookupBatch(
      const protocol::LookupBatchRequest& request);
  absl::StatusOr<index::Contact> Get(const protocol::GetRequest& request);
  absl::StatusOr<index::Contact> GetByExternalId(
      const protocol::GetByExternalIdRequest& request);
  absl::StatusOr<protocol::ListByTagReply> ListByTag(
      const protocol::ListByTagRequest& request);
  absl::StatusOr<protocol::UpsertReply> Upsert(
      const protocol::UpsertRequest& request);
  // Returns the contact as it was before the delete.
  absl::StatusOr<index::Contact> Delete(const protocol::DeleteRequest& request);
  // The partial mutations return the contact as stored afterwards.
  absl::StatusOr<index::Contact> UpdateFields(
      const protocol::UpdateFieldsRequest& request);
  absl::StatusOr<index::Contact> AddPhone(
      const protocol::AddPhoneRequest& request);
  absl::StatusOr<index::Contact> UpdatePhone(
      const protocol::UpdatePhoneRequest& request);
  absl::StatusOr<index::Contact> RemovePhone(
      const protocol::RemovePhoneRequest& request);
  absl::StatusOr<index::Contact> AddEmail(
      const protocol::AddEmailRequest& request);
  absl::StatusOr<index::Contact> UpdateEmail(
      const protocol::UpdateEmailRequest& request);
  absl::StatusOr<index::Contact> RemoveEmail(
      const protocol::RemoveEmailRequest& request);
  absl::StatusOr<index::Contact> AddTag(const protocol::AddTagRequest& request);
  absl::StatusOr<index::Contact> RemoveTag(
      const protocol::RemoveTagRequest& request);

  // ---- Asynchronous calls: queue the request and return at once; `done`
  // runs exactly once, on the I/O thread (see Thread safety above).
  void PingAsync(StatusCallback done);
  void StatsAsync(Callback<protocol::StatsReply> done);
  void LookupPhoneAsync(const protocol::LookupRequest& request,
                        Callback<protocol::LookupReply> done);
  void LookupEmailAsync(const protocol::LookupRequest& request,
                        Callback<protocol::LookupReply> done);
  void LookupBatchAsync(const protocol::LookupBatchRequest& request,
                        Callback<protocol::LookupBatchReply> done);
  void GetAsync(const protocol::GetRequest& request,
                Callback<index::Contact> done);
  void GetByExternalIdAsync(const protocol::GetByExternalIdRequest& request,
                            Callback<index::Contact> done);
  void ListByTagAsync(const protocol::ListByTagRequest& request,
                      Callback<protocol::ListByTagReply> done);
  void UpsertAsync(const protocol::UpsertRequest& request,
                   Callback<protocol::UpsertReply> done);
  void DeleteAsync(const protocol::DeleteRequest& request,
                   Callback<index::Contact> done);
  void UpdateFieldsAsync(const protocol::UpdateFieldsRequest& request,
                         Callback<index::Contact> done);
  void AddPhoneAsync(const protocol::AddPhoneRequest& request,
                     Callback<index::Contact> done);
  void UpdatePhoneAsync(const protocol::UpdatePhoneRequest& request,
                        Callback<index::Contact> done);
  void RemovePhoneAsync(const protocol::RemovePhoneRequest& request,
                        Callback<index::Contact> done);
  void AddEmailAsync(const protocol::AddEmailRequest& request,
                     Callback<index::Contact> done);
  void UpdateEmailAsync(const protocol::UpdateEmailRequest& request,
                        Callback<index::Contact> done);
  void RemoveEmailAsync(const protocol::RemoveEmailRequest& request,
                        Callback<index::Contact> done);
  void AddTagAsync(const protocol::AddTagRequest& request,
                   Callback<index::Contact> done);
  void RemoveTagAsync(const protocol::RemoveTagRequest& request,
                      Callback<index::Contact> done);

  // Async calls whose callback has not returned yet.
  size_t in_flight() const;
  // Blocks until in_flight() is 0. DEADLINE_EXCEEDED if `timeout` passes
  // first; FAILED_PRECONDITION from inside a callback.
  absl::Status WaitIdle(absl::Duration timeout);

 private:
  struct Tracker;
  explicit Client(ClientOptions options,
                  std::unique_ptr<ClientConnection> connection);

  template <typename Reply>
  void CallAsync(protocol::Opcode opcode, std::string body,
                 Callback<Reply> done);
  template <typename Reply>
  absl::StatusOr<Reply> Call(protocol::Opcode opcode, std::string body);

  ClientOptions options_;
  std::unique_ptr<Tracker> tracker_;
  std::unique_ptr<ClientConnection> connection_;  // last: destroyed first
};

}  // namespace contactd::client
