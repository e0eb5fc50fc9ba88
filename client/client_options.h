#pragma once
// ClientOptions: where and how a contactd::client::Client connects.

#include <string>

#include "absl/time/time.h"
#include "client/server_address.h"

namespace contactd::client {

struct ClientOptions {
  // "HOST:PORT" of the binary protocol listener (contactd --listen).
  std::string server = std::string(kDefaultServer);
  // Presented in HELLO; "" for a server without --tokens.
  std::string token;
  // For the server's logs, e.g. "kamailio-edge-3".
  std::string client_name = "contactd-client";
  // Resolving and connecting the socket, per attempt.
  absl::Duration connect_timeout = absl::Seconds(5);
  // From the moment a request is queued until its reply (HELLO included).
  absl::Duration request_timeout = absl::Seconds(5);
};

}  // namespace contactd::client
