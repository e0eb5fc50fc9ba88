#pragma once
// ApiContext: what every route of the HTTP API works with — the database
// (once recovered), the writer and admin threads, metrics, tokens.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <atomic>

#include "boost/asio/any_io_executor.hpp"
#include "server/access_token.h"
#include "server/server_metrics.h"
#include "server/write_executor.h"
#include "snapshot/database.h"

namespace contactd::server::http {

struct ApiContext {
  // Null until recovery is done: then /readyz answers 200 and every other
  // route serves (before, 503 NOT_READY).
  std::atomic<snapshot::Database*> database{nullptr};
  WriteExecutor* writer = nullptr;  // every mutation, as on the binary port
  WriteExecutor* admin = nullptr;   // checkpoints and reloads
  ServerMetrics* metrics = nullptr;
  const TokenTable* tokens = nullptr;  // nullptr: no auth (loopback only)
  // The HTTP threads: replies to writes are rendered here, not on the
  // writer thread.
  boost::asio::any_io_executor executor;
};

}  // namespace contactd::server::http
