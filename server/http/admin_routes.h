#pragma once
// Health, admin and observability routes of the HTTP port:
//
//   GET  /healthz            200 while the process runs (no token needed)
//   GET  /readyz             200 once recovery is done, 503 before (no token)
//   POST /admin/reload       {"path": "/data/crm.snap"}: the atomic dataset
//                            swap; 200 {"contacts", "sequence", "duration_ms"}
//   POST /admin/checkpoint   200 {"sequence", "contacts", "bytes",
//   "duration_ms"} GET  /admin/stats        JSON: contacts, indexes, memory,
//   connections,
//                            requests by opcode and status, WAL, checkpoints
//   GET  /metrics            Prometheus text format (admin scope)
//
// Reload and checkpoint run on the admin thread (one at a time, at
// background priority), never on an HTTP thread.

#include "server/http/api_context.h"
#include "server/http/http_call.h"

namespace contactd::server::http {

void Healthz(const ApiContext& context, Call& call);
void Readyz(const ApiContext& context, Call& call);
void ReloadSnapshot(const ApiContext& context, Call& call);
void Checkpoint(const ApiContext& context, Call& call);
void Stats(const ApiContext& context, Call& call);
void Metrics(const ApiContext& context, Call& call);

}  // namespace contactd::server::http
