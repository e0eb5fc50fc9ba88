#pragma once
// Opening a listening socket from a HOST:PORT flag, for both of contactd's
// ports, with the rule that keeps an unauthenticated port off the network.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <string>

#include "absl/status/status.h"
#include "boost/asio/ip/tcp.hpp"

namespace contactd::server {

// Binds `acceptor` to `listen` ("127.0.0.1:7600", "[::1]:0") and listens.
// Errors name the flag: "cannot listen on 127.0.0.1:7600: Address already
// in use".
absl::Status OpenListener(boost::asio::ip::tcp::acceptor& acceptor,
                          const std::string& listen);

// Without tokens, anyone who can reach a port can read and write every
// contact: refuses a non-loopback `listen` unless `insecure`.
absl::Status CheckExposure(const std::string& listen, bool has_tokens,
                           bool insecure);

}  // namespace contactd::server
