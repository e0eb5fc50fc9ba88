#include "server/http/admin_routes.h"

#include <utility>

#include "boost/asio/post.hpp"
#include "index/epoch.h"
#include "server/admin_requests.h"
#include "server/http/metrics_text.h"
#include "server/http/stats_json.h"

namespace contactd::server::http {
namespace {

double Millis(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

// Runs `work` (-> StatusOr<Json>) on the admin thread and answers `call`
// with 200 and its JSON, or its error.
template <typename Work>
void SubmitAdmin(const ApiContext& context, Call& call, Work work) {
  auto respond = std::make_shared<Respond>(call.TakeRespond());
  const bool queued = context.admin->Submit(
      [work = std::move(work), respond, executor = context.executor]() mutable {
        absl::StatusOr<Json> result = work();
        boost::asio::post(executor, [result = std::move(result), respond] {
          std::move (*respond)(
              result.ok() ? JsonResponse(200, *result)
                          : ErrorResponse(ErrorFromStatus(result.status())));
        });
        return WriteExecutor::Completion();
      });
  if (!queued) {
    std::move (*respond)(ErrorResponse(
        MakeApiError(503, kReasonBusy,
                     "a checkpoint or reload is already queued; retry later")));
  }
}

}  // namespace

void Healthz(const ApiContext&, Call& call) {
  call.Reply(200, Json{{"status", "ok"}});
}

void Readyz(const ApiContext& context, Call& call) {
  if (context.database.load() == nullptr) {
    return call.Reply(503, Json{{"status", "recovering"}});
  }
  call.Reply(200, Json{{"status", "ready"}});
}

void ReloadSnapshot(const ApiContext& context, Call& call) {
  absl::StatusOr<Json> body = call.JsonBody();
  const Json* path = nullptr;
  if (body.ok()) {
    const auto it = body->find("path");
    if (it != body->end() && it->is_string() &&
        !it->get_ref<const std::string&>().empty() && body->size() == 1) {
      path = &*it;
    }
  }
  if (path == nullptr) {
    return call.Fail(MakeApiError(
        400, kReasonInvalidJsonBody,
        body.ok() ? "the body must be {\"path\": \"<snapshot file>\"}"
                  : std::string(body.status().message())));
  }
  snapshot::Database* database = context.database.load();
  SubmitAdmin(
      context, call,
      [database, path = path->get<std::string>()]() -> absl::StatusOr<Json> {
        auto result = RunReload(*database, path);
        if (!result.ok()) return result.status();
        return Json{{"contacts", result->contacts},
                    {"sequence", result->sequence},
                    {"duration_ms", Millis(result->duration)}};
      });
}

void Checkpoint(const ApiContext& context, Call& call) {
  snapshot::Database* database = context.database.load();
  SubmitAdmin(context, call, [database]() -> absl::StatusOr<Json> {
    auto result = RunCheckpoint(*database);
    if (!result.ok()) return result.status();
    return Json{{"sequence", result->sequence},
                {"contacts", result->contacts},
                {"bytes", result->bytes},
                {"duration_ms", Millis(result->duration)}};
  });
}

void Stats(const ApiContext& context, Call& call) {
  call.Reply(200, StatsJson(*context.metrics, *context.database.load()));
}

void Metrics(const ApiContext& context, Call& call) {
  Response response(beast_http::status::ok, 11);
  response.set(beast_http::field::content_type,
               "text/plain; version=0.0.4; charset=utf-8");
  response.body() = MetricsText(*context.metrics, *context.database.load());
  call.Reply(std::move(response));
}

}  // namespace contactd::server::http
