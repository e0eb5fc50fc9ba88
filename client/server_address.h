#pragma once
// ServerAddress: the "HOST:PORT" a client connects to.
//
//   absl::StatusOr<ServerAddress> a = ParseServerAddress("127.0.0.1:7600");
//   a->host == "127.0.0.1", a->port == 7600
//
// HOST is a name, an IPv4 address or a bracketed IPv6 address
// ("[::1]:7600"). The client library has its own parser because it must not
// depend on server/.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace contactd::client {

inline constexpr std::string_view kDefaultServer = "127.0.0.1:7600";

struct ServerAddress {
  std::string host;  // without brackets
  uint16_t port = 0;

  // "host:port", brackets restored for an IPv6 host.
  std::string ToString() const;
};

// Errors: InvalidArgument naming the text, for a missing host or port, a
// port that is not a number in 1..65535.
absl::StatusOr<ServerAddress> ParseServerAddress(std::string_view text);

}  // namespace contactd::client
