#include "tools/import/server_sink.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "index/email_normalizer.h"
#include "index/status_macros.h"
#include "index/validation.h"

namespace contactd::tools {

absl::Status PrecheckContact(const index::PhoneNormalizer& normalizer,
                             index::Contact contact, std::string_view region) {
  // As ContactStore::Normalize, then ContactStore::Commit's validation.
  for (index::PhoneNumber& phone : contact.phone_numbers) {
    RETURN_IF_ERROR(index::ValidateLength("phone_numbers.number", phone.number,
                                          index::FieldLimits::kPhoneInput));
    ASSIGN_OR_RETURN(index::E164Number number,
                     normalizer.Normalize(phone.number, region));
    phone.number_e164 = number.ToString();
  }
  for (index::Email& email : contact.emails) {
    ASSIGN_OR_RETURN(index::NormalizedEmail address,
                     index::NormalizeEmail(email.address));
    email.address = address.ToString();
  }
  absl::flat_hash_set<std::string> seen;
  std::erase_if(contact.tags, [&](const std::string& tag) {
    return !seen.insert(tag).second;
  });
  return index::ValidateContact(contact);
}

absl::StatusOr<std::unique_ptr<ServerSink>> ServerSink::Create(
    client::Client& client, ServerSinkOptions options, ImportReport* report) {
  ASSIGN_OR_RETURN(index::PhoneNormalizer normalizer,
                   index::PhoneNormalizer::Create(options.region));
  if (options.max_in_flight == 0) options.max_in_flight = 1;
  return std::unique_ptr<ServerSink>(new ServerSink(
      client, std::move(options), report, std::move(normalizer)));
}

ServerSink::~ServerSink() { WaitIdle(); }

namespace {

constexpr absl::Duration kFirstPause = absl::Milliseconds(1);
constexpr absl::Duration kMaxPause = absl::Milliseconds(100);

}  // namespace

bool ServerSink::IsFatal(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

bool ServerSink::IsBusy(const absl::Status& status) {
  // The client maps the wire status BUSY to UNAVAILABLE and keeps its name
  // in front of the message (protocol/wire_status.h, FromWireStatus).
  return status.code() == absl::StatusCode::kUnavailable &&
         absl::StartsWith(status.message(), "BUSY");
}

absl::Status ServerSink::Add(int64_t line, index::Contact contact) {
  if (absl::Status s = PrecheckContact(normalizer_, contact, options_.region);
      !s.ok()) {
    report_->Rejected(line, s);
    return absl::OkStatus();
  }
  return Send(Pending{line, std::move(contact), 0});
}

absl::Status ServerSink::Send(std::optional<Pending> next) {
  absl::MutexLock lock(&mu_);
  while (true) {
    if (!fatal_.ok()) return fatal_;
    if (retry_.empty() && !next.has_value()) return absl::OkStatus();
    if (in_flight_ >= window_) {
      mu_.Await(absl::Condition(
          +[](ServerSink* sink) {
            return sink->in_flight_ < sink->window_ || !sink->fatal_.ok();
          },
          this));
      continue;
    }
    if (const absl::Time now = absl::Now(); now < not_before_) {
      const absl::Duration pause = not_before_ - now;
      mu_.Unlock();
      absl::SleepFor(pause);
      mu_.Lock();
      continue;
    }
    Pending row;
    if (!retry_.empty()) {
      row = std::move(retry_.front());
      retry_.pop_front();
    } else {
      row = *std::move(next);
      next.reset();
    }
    ++in_flight_;
    mu_.Unlock();
    // The request is encoded before UpsertAsync returns; the callback keeps
    // the row for a retry.
    const protocol::UpsertRequest request{row.contact, options_.region};
    client_.UpsertAsync(
        request, [this, sent = std::move(row)](
                     absl::StatusOr<protocol::UpsertReply> reply) mutable {
          OnReply(std::move(sent), std::move(reply));
        });
    mu_.Lock();
  }
}

void ServerSink::OnReply(Pending row,
                         absl::StatusOr<protocol::UpsertReply> reply) {
  absl::MutexLock lock(&mu_);
  --in_flight_;
  if (reply.ok()) {
    if (reply->created) {
      report_->Created();
    } else {
      report_->Updated();
    }
    // Slow start until the first BUSY, then one more per window of
    // successes (additive increase).
    if (window_ < options_.max_in_flight &&
        (slow_start_ || ++successes_ >= window_)) {
      ++window_;
      successes_ = 0;
    }
    return;
  }
  const absl::Status& status = reply.status();
  if (IsBusy(status) && ++row.attempts < kMaxAttempts) {
    // One BUSY episode (the replies to one window's requests) halves the
    // window once; a row BUSY again after its pause waits twice as long.
    const absl::Time now = absl::Now();
    if (now >= not_before_) {
      window_ = std::max<size_t>(1, window_ / 2);
      slow_start_ = false;
      successes_ = 0;
    }
    const absl::Duration pause =
        std::min(kFirstPause * (int64_t{1} << std::min(row.attempts - 1, 16)),
                 kMaxPause);
    not_before_ = std::max(not_before_, now + pause);
    retry_.push_back(std::move(row));
    return;
  }
  if (IsFatal(status)) {
    if (fatal_.ok()) fatal_ = status;
    return;
  }
  report_->Rejected(row.line, status);
}

void ServerSink::WaitIdle() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](size_t* in_flight) { return *in_flight == 0; }, &in_flight_));
}

absl::Status ServerSink::Finish(bool commit) {
  while (commit) {
    if (absl::Status s = Send(std::nullopt); !s.ok()) break;
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](ServerSink* sink) {
          return sink->in_flight_ == 0 || !sink->retry_.empty() ||
                 !sink->fatal_.ok();
        },
        this));
    if (!fatal_.ok()) break;
    if (in_flight_ == 0 && retry_.empty()) return absl::OkStatus();
  }
  // commit=false (abort, fatal error): the rows waiting for a retry are
  // dropped; the replies still due are awaited.
  WaitIdle();
  absl::MutexLock lock(&mu_);
  retry_.clear();
  return fatal_;
}

}  // namespace contactd::tools
