#include "server/http/write_call.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "index/epoch.h"
#include "index/errors.h"

namespace contactd::server::http {

namespace {

Response RenderOutcome(const WriteOutcome& outcome) {
  if (!outcome.contact.ok()) {
    return ErrorResponse(ErrorFromStatus(outcome.contact.status()));
  }
  return JsonResponse(
      outcome.http_status,
      protocol::ContactToJson(*outcome.contact, outcome.tm_delete));
}

}  // namespace

void SubmitWrite(const ApiContext& context, Call& call, ContactWrite write) {
  snapshot::Database* database = context.database.load();
  // Shared with the task so that a refused (dropped) task leaves it here.
  auto respond = std::make_shared<Respond>(call.TakeRespond());
  const bool queued =
      context.writer->Submit([database, write = std::move(write), respond,
                              executor = context.executor]() mutable {
        WriteOutcome outcome = std::move(write)(database->store());
        // Runs after the batch's commit; the JSON is rendered on an HTTP
        // thread so that the writer goes on with the next batch.
        return WriteExecutor::Completion(
            [outcome = std::move(outcome), respond, executor]() mutable {
              boost::asio::post(
                  executor, [outcome = std::move(outcome), respond]() mutable {
                    std::move (*respond)(RenderOutcome(outcome));
                  });
            });
      });
  if (!queued) {
    Increment(context.metrics->writes_rejected_busy);
    std::move (*respond)(ErrorResponse(MakeApiError(
        503, kReasonBusy, "the write queue is full; retry later")));
    return;
  }
  Increment(context.metrics->writes);
}

absl::Status ContactNotFoundError(const index::ContactIndex& contacts,
                                  const index::Uuid& tenant,
                                  const index::Uuid& id) {
  if (contacts.HasId(id) && contacts.FindById(tenant, id) == nullptr) {
    return index::MakeError(
        absl::StatusCode::kPermissionDenied, index::Reason::kPermissionDenied,
        absl::StrCat("contact ", id.ToString(),
                     " belongs to another tenant than ", tenant.ToString()));
  }
  return index::NotFound(index::Reason::kContactNotFound,
                         absl::StrCat("no contact ", id.ToString()));
}

void SubmitContactWrite(const ApiContext& context, Call& call,
                        const index::Uuid& id, unsigned http_status,
                        ExistingContactWrite write, absl::Time tm_delete) {
  SubmitWrite(context, call,
              [tenant = call.tenant, id, http_status, tm_delete,
               write = std::move(write)](index::ContactStore& store) mutable {
                WriteOutcome outcome;
                outcome.http_status = http_status;
                outcome.tm_delete = tm_delete;
                outcome.contact = std::move(write)(store);
                if (index::ReasonOf(outcome.contact.status()) ==
                    index::Reason::kContactNotFound) {
                  index::EpochGuard guard;
                  outcome.contact =
                      ContactNotFoundError(store.index(), tenant, id);
                }
                return outcome;
              });
}

}  // namespace contactd::server::http
