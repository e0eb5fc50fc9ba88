#include "client/server_address.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "index/errors.h"

namespace contactd::client {

std::string ServerAddress::ToString() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<ServerAddress> ParseServerAddress(std::string_view text) {
  const std::string quoted = index::QuoteInput(text, 128);
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("server address ", quoted, " is not HOST:PORT"));
  }
  ServerAddress address;
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  address.host = std::string(host);
  const std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] =
      std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value == 0 || value > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "server address ", quoted, ": the port is not a number in 1..65535"));
  }
  address.port = static_cast<uint16_t>(value);
  return address;
}

}  // namespace contactd::client
