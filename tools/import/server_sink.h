#pragma once
// ServerSink: an online import — every contact is an UPSERT to a running
// contactd over one pipelined connection (client/client.h), with up to
// `max_in_flight` requests unanswered at a time. The server normalizes,
// validates and dedups by the tenant's external_id (a re-import updates);
// the reply says created or updated, an error reply rejects the row.
//
//   ASSIGN_OR_RETURN(auto sink, ServerSink::Create(client, {.region = "US"},
//                                                  &report));
//   RETURN_IF_ERROR(sink->Add(line, contact));  // blocks while the window
//                                               // is full
//   RETURN_IF_ERROR(sink->Finish(true));        // waits for every reply
//
// Each contact is first checked locally with the server's own rules
// (normalization, index/validation.h), so a row the server would reject for
// its content is rejected before anything is sent: with --on-error abort
// nothing after it is sent. Only what needs the server's data
// (EXTERNAL_ID_CONFLICT, an id of another tenant) or its permissions
// (PERMISSION_DENIED) is learned from the reply, by which time up to
// `max_in_flight` later rows may have been sent.
//
// BUSY (the server's write queue is full) is not an error: the row is sent
// again after a pause (1 ms, doubling with each BUSY of the same row, at
// most 100 ms), and the window of requests in flight halves (once per BUSY
// episode; after the first BUSY it grows back by one per window of
// successes, as TCP's congestion avoidance), so a loaded server is not
// flooded. A row BUSY kMaxAttempts times is fatal. NOTE: a retried row can
// land after later rows that were already in flight: if one external_id
// appears twice within --batch rows, the earlier row may win on a busy
// server.
//
// Fatal (Add/Finish fail, nothing more is sent): the connection broke
// (UNAVAILABLE), a reply timed out (DEADLINE_EXCEEDED), the token was refused
// (UNAUTHENTICATED), a malformed reply (DATA_LOSS), an INTERNAL error.
// Every other error reply rejects its row only.
//
// Thread safety: Add and Finish from one thread; replies are counted on the
// client's I/O thread. The destructor waits for the replies still due.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/client.h"
#include "index/phone_normalizer.h"
#include "tools/import/import_report.h"
#include "tools/import/import_sink.h"

namespace contactd::tools {

struct ServerSinkOptions {
  std::string region;  // for numbers without a country code ("US")
  size_t max_in_flight = 256;
};

class ServerSink : public ImportSink {
 public:
  // Errors: INVALID_REGION. `client` and `report` must outlive the sink.
  static absl::StatusOr<std::unique_ptr<ServerSink>> Create(
      client::Client& client, ServerSinkOptions options, ImportReport* report);
  ~ServerSink() override;

  absl::Status Add(int64_t line, index::Contact contact) override;
  absl::Status Finish(bool commit) override;

  // Whether a status of a reply ends the import rather than its row.
  static bool IsFatal(const absl::Status& status);
  // Whether it is the server's BUSY (retry later).
  static bool IsBusy(const absl::Status& status);

  static constexpr int kMaxAttempts = 50;

 private:
  // A row on its way to the server.
  struct Pending {
    int64_t line = 0;
    index::Contact contact;
    int attempts = 0;  // BUSY replies so far
  };

  ServerSink(client::Client& client, ServerSinkOptions options,
             ImportReport* report, index::PhoneNormalizer normalizer)
      : client_(client),
        options_(std::move(options)),
        report_(report),
        normalizer_(std::move(normalizer)),
        window_(options_.max_in_flight) {}

  // Sends the rows waiting for a retry, then `next` (if any), each when the
  // window has room and the BUSY pause is over. Returns the fatal error.
  absl::Status Send(std::optional<Pending> next);
  // The reply to the UPSERT of `row`.
  void OnReply(Pending row, absl::StatusOr<protocol::UpsertReply> reply);
  // Blocks until no request is in flight.
  void WaitIdle();

  client::Client& client_;
  const ServerSinkOptions options_;
  ImportReport* const report_;
  const index::PhoneNormalizer normalizer_;

  absl::Mutex mu_;
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  size_t window_ ABSL_GUARDED_BY(mu_);              // 1..max_in_flight
  bool slow_start_ ABSL_GUARDED_BY(mu_) = true;     // no BUSY yet
  size_t successes_ ABSL_GUARDED_BY(mu_) = 0;       // since the window grew
  std::deque<Pending> retry_ ABSL_GUARDED_BY(mu_);  // BUSY rows, in order
  absl::Time not_before_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status fatal_ ABSL_GUARDED_BY(mu_);  // the first fatal reply
};

// The server's checks of an UPSERT that need no data: phone normalization
// (with `region`), email normalization, ValidateContact. OK when the
// server would accept the contact's content.
absl::Status PrecheckContact(const index::PhoneNormalizer& normalizer,
                             index::Contact contact, std::string_view region);

}  // namespace contactd::tools
