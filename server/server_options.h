#pragma once
// ServerOptions: everything `contactd` is told on its command line, with the
// embedded defaults (data in ./data, loopback ports).

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace contactd::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:7600";       // binary protocol
  std::string http_listen = "127.0.0.1:7601";  // HTTP API + admin (HTTP issue)
  std::string data_dir = "./data";
  std::string default_region = "US";
  int threads = 0;  // 0: one per core
  std::string log_level = "info";
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
