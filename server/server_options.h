#pragma once
// ServerOptions: everything `contactd` is told on its command line, with the
// embedded defaults (data in ./data, loopback ports).

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "snapshot/fsync_policy.h"

namespace contactd::server {

// Per-connection and server-wide limits of the binary listener. Each
// violation is answered with a status or a closed connection, and counted
// (server/server_metrics.h); other clients keep being served.
struct ConnectionLimits {
  size_t max_connections = 10000;       // more: BUSY reply, then close
  uint32_t max_frame_bytes = 1u << 20;  // larger body: FRAME_TOO_LARGE, close
  // No complete request and nothing in flight for this long: close.
  absl::Duration idle_timeout = absl::Seconds(300);
  // Requests read but not yet answered on the socket; at the limit the
  // connection stops reading until replies drain (TCP pushes back).
  size_t max_in_flight = 1024;
  // Replies not yet taken by a client that does not read: at this size the
  // connection stops reading; if nothing drains for idle_timeout, it closes.
  size_t max_output_bytes = 4u << 20;
  // A pending write that makes no progress for this long closes the
  // connection (a client that sends but never reads).
  absl::Duration write_timeout = absl::Seconds(30);
};

// Limits of the HTTP port; each violation is a clean 4xx/5xx or a closed
// connection (docs/http_api.md).
struct HttpLimits {
  size_t max_connections = 1024;       // more: 503, then close
  uint32_t max_header_bytes = 16384;   // request line + headers; more: 413
  uint64_t max_body_bytes = 1u << 20;  // more: 413 BODY_TOO_LARGE
  // Reading one request (or waiting for the next on a keep-alive
  // connection), and writing one response, each within this time.
  absl::Duration request_timeout = absl::Seconds(30);
  size_t max_requests_per_connection = 1000;  // then Connection: close
};

struct ServerOptions {
  std::string listen = "127.0.0.1:7600";       // binary protocol
  std::string http_listen = "127.0.0.1:7601";  // HTTP API + admin
  int http_threads = 1;
  std::string data_dir = "./data";
  std::string default_region = "US";
  int threads = 0;  // 0: one per core
  std::string log_level = "info";
  std::string tokens_file;  // empty: no auth, loopback only
  bool insecure = false;    // allow a non-loopback listener without tokens
  ConnectionLimits limits;
  HttpLimits http_limits;
  size_t max_write_queue = 10000;  // queued writes; more get BUSY

  // Durability (snapshot/database.h).
  snapshot::FsyncPolicy fsync;                   // default: always
  uint64_t wal_segment_bytes = 64ull << 20;      // rotate WAL segments here
  uint64_t checkpoint_wal_bytes = 256ull << 20;  // auto checkpoint; 0: off
  bool salvage = false;  // start from what precedes damaged data
};

struct Endpoint {
  std::string host;
  unsigned short port = 0;
};

// Parses argv. Returns the options, or an error whose message is the help or
// usage text; `exit_code` tells main what to exit with (0 for --help).
absl::StatusOr<ServerOptions> ParseServerOptions(int argc, char** argv,
                                                 int* exit_code);

// "127.0.0.1:7600" -> {127.0.0.1, 7600}; "[::1]:0" -> {::1, 0}.
absl::StatusOr<Endpoint> ParseEndpoint(const std::string& text);

}  // namespace contactd::server
