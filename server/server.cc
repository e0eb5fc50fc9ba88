#include "server/server.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "spdlog/spdlog.h"

namespace contactd::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

absl::StatusOr<std::unique_ptr<Server>> Server::Create(
    const ServerOptions& options) {
  std::error_code fs_error;
  std::filesystem::create_directories(options.data_dir, fs_error);
  if (fs_error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data dir '", options.data_dir,
                     "': ", fs_error.message()));
  }
  auto store = index::ContactStore::Create(options.default_region);
  if (!store.ok()) return store.status();
  auto endpoint = ParseEndpoint(options.listen);
  if (!endpoint.ok()) return endpoint.status();

  std::unique_ptr<Server> server(new Server(options, *std::move(store)));
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(endpoint->host, ec);
  if (ec)
    return absl::InvalidArgumentError(
        absl::StrCat("bad address '", endpoint->host, "'"));
  const tcp::endpoint bind_to(address, endpoint->port);
  auto& acceptor = server->acceptor_;
  if (acceptor.open(bind_to.protocol(), ec); !ec) {
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor.bind(bind_to, ec);
  }
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, ": ", ec.message()));
  }
  return server;
}

Server::Server(const ServerOptions& options,
               std::unique_ptr<index::ContactStore> store)
    : options_(options), store_(std::move(store)), acceptor_(io_) {}

void Server::Accept() {
  acceptor_.async_accept(
      [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
          spdlog::debug("connection from {} closed: no protocol yet",
                        socket.remote_endpoint(ec).address().to_string());
          socket.close(ec);
        }
        Accept();
      });
}

void Server::Run() {
  Accept();
  spdlog::info("contactd ready: binary {}:{}, data dir {}, default region {}",
               acceptor_.local_endpoint().address().to_string(), port(),
               options_.data_dir, options_.default_region);
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.threads; ++i)
    threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (std::thread& t : threads) t.join();
}

void Server::Stop() {
  asio::post(io_, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    io_.stop();
  });
}

}  // namespace contactd::server
