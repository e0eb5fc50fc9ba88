#include "server/server_options.h"

#include <charconv>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"

namespace contactd::server {

namespace {

void AddDurationOption(CLI::App& app, const std::string& name,
                       absl::Duration& value, const std::string& help) {
  app.add_option_function<double>(
         name, [&value](double seconds) { value = absl::Seconds(seconds); },
         help + " (seconds, default " +
             std::to_string(absl::ToInt64Seconds(value)) + ")")
      ->check(CLI::PositiveNumber);
}

void AddLimitOptions(CLI::App& app, ServerOptions& o) {
  ConnectionLimits& l = o.limits;
  app.add_option("--max-connections", l.max_connections,
                 "binary connections at once; more get BUSY and are closed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-frame-bytes", l.max_frame_bytes,
                 "largest request body; larger: FRAME_TOO_LARGE and close")
      ->check(CLI::Range(64u, 16u << 20))
      ->capture_default_str();
  AddDurationOption(app, "--idle-timeout", l.idle_timeout,
                    "close a connection idle this long");
  app.add_option("--max-in-flight", l.max_in_flight,
                 "unanswered requests per connection before it stops reading")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-output-bytes", l.max_output_bytes,
                 "unsent reply bytes per connection before it stops reading")
      ->check(CLI::Range(size_t{4096}, size_t{1} << 30))
      ->capture_default_str();
  AddDurationOption(app, "--write-timeout", l.write_timeout,
                    "close a connection whose pending write makes no progress");
  app.add_option("--max-write-queue", o.max_write_queue,
                 "writes waiting for the writer thread; more get BUSY")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

void AddHttpOptions(CLI::App& app, ServerOptions& o) {
  HttpLimits& l = o.http_limits;
  app.add_option("--http-listen", o.http_listen,
                 "HTTP API, admin, /metrics and health address HOST:PORT "
                 "(port 0: any)")
      ->capture_default_str();
  app.add_option("--http-threads", o.http_threads,
                 "HTTP threads (they run at a lower priority than the binary "
                 "I/O threads)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--http-max-connections", l.max_connections,
                 "HTTP connections at once; more get 503 and are closed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--http-max-body-bytes", l.max_body_bytes,
                 "largest HTTP request body; larger: 413")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 30))
      ->capture_default_str();
  app.add_option("--http-max-header-bytes", l.max_header_bytes,
                 "largest HTTP request line + headers; larger: 413")
      ->check(CLI::Range(1024u, 1u << 20))
      ->capture_default_str();
  AddDurationOption(app, "--http-request-timeout", l.request_timeout,
                    "close an HTTP connection that takes longer to send a "
                    "request (or to read a response), or idles between "
                    "requests");
  app.add_option("--http-max-keepalive-requests", l.max_requests_per_connection,
                 "requests per HTTP connection before Connection: close")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

void AddDurabilityOptions(CLI::App& app, ServerOptions& o) {
  app.add_option_function<std::string>(
      "--fsync",
      [&o](const std::string& text) {
        auto policy = snapshot::ParseFsyncPolicy(text);
        if (!policy.ok())
          throw CLI::ValidationError("--fsync",
                                     std::string(policy.status().message()));
        o.fsync = *policy;
      },
      "when writes reach the disk: always (acknowledge after fsync, group "
      "commit), interval:<ms> (fsync every <ms>), never (default: "
      "always)");
  app.add_option("--wal-segment-bytes", o.wal_segment_bytes,
                 "start a new WAL segment file at this size")
      ->check(CLI::Range(uint64_t{4096}, uint64_t{1} << 40))
      ->capture_default_str();
  app.add_option("--checkpoint-wal-bytes", o.checkpoint_wal_bytes,
                 "write a snapshot after this many WAL bytes (0: only on "
                 "demand)")
      ->capture_default_str();
  app.add_flag("--salvage", o.salvage,
               "start even if a snapshot or the WAL is damaged, keeping what "
               "precedes the damage (logged); default: refuse to start");
}

}  // namespace

absl::StatusOr<ServerOptions> ParseServerOptions(int argc, char** argv,
                                                 int* exit_code) {
  ServerOptions o;
  CLI::App app{"contactd: in-memory contact lookup server for telephony"};
  app.add_option("--listen", o.listen,
                 "binary protocol address HOST:PORT (port 0: any)")
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir,
                 "directory for snapshots and the WAL")
      ->capture_default_str();
  app.add_option("--default-region", o.default_region,
                 "region for phone numbers written without a country code")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "I/O threads (0: one per core)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "trace|debug|info|warn|error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--tokens", o.tokens_file,
                 "auth tokens file (docs/operations.md); without it only a "
                 "loopback --listen / --http-listen is allowed");
  app.add_flag("--insecure", o.insecure,
               "allow a non-loopback --listen / --http-listen without "
               "--tokens");
  AddLimitOptions(app, o);
  AddHttpOptions(app, o);
  AddDurabilityOptions(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    *exit_code =
        app.exit(e, out, err) == 0 ? 0 : 2;  // 0 for --help, 2 for usage errors
    return absl::InvalidArgumentError(out.str() + err.str());
  }
  if (o.threads == 0)
    o.threads =
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return o;
}

absl::StatusOr<Endpoint> ParseEndpoint(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not HOST:PORT"));
  }
  Endpoint e;
  e.host = text.substr(0, colon);
  if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']') {
    e.host = e.host.substr(1, e.host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  const auto [end, ec] =
      std::from_chars(port.data(), port.data() + port.size(), e.port);
  if (ec != std::errc() || end != port.data() + port.size() || port.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", port, "' is not a port number"));
  }
  return e;
}

}  // namespace contactd::server
