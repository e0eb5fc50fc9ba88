#include "server/listen_socket.h"

#include "absl/strings/str_cat.h"
#include "server/server_options.h"

namespace contactd::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

absl::StatusOr<tcp::endpoint> ResolveListen(const std::string& listen) {
  auto endpoint = ParseEndpoint(listen);
  if (!endpoint.ok()) return endpoint.status();
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(endpoint->host, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad address '", endpoint->host, "' in ", listen));
  }
  return tcp::endpoint(address, endpoint->port);
}

}  // namespace

absl::Status OpenListener(tcp::acceptor& acceptor, const std::string& listen) {
  auto bind_to = ResolveListen(listen);
  if (!bind_to.ok()) return bind_to.status();
  boost::system::error_code ec;
  if (acceptor.open(bind_to->protocol(), ec); !ec) {
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor.bind(*bind_to, ec);
  }
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen, ": ", ec.message()));
  }
  return absl::OkStatus();
}

absl::Status CheckExposure(const std::string& listen, bool has_tokens,
                           bool insecure) {
  auto endpoint = ResolveListen(listen);
  if (!endpoint.ok()) return endpoint.status();
  if (has_tokens || insecure || endpoint->address().is_loopback()) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to listen on ", listen,
      " without --tokens: anyone who can reach it could read and write "
      "every contact (pass --insecure to allow it anyway)"));
}

}  // namespace contactd::server
