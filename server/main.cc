// contactd: in-memory contact lookup server for telephony. See README.md.
#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <csignal>
#include <cstdio>

#include "boost/asio/io_context.hpp"
#include "boost/asio/signal_set.hpp"
#include "server/server.h"
#include "server/server_options.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  int exit_code = 2;
  auto options = contactd::server::ParseServerOptions(argc, argv, &exit_code);
  if (!options.ok()) {
    std::fputs(std::string(options.status().message()).c_str(),
               exit_code == 0 ? stdout : stderr);
    return exit_code;
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("contactd"));
  spdlog::set_level(spdlog::level::from_str(options->log_level));

  auto server = contactd::server::Server::Create(*options);
  if (!server.ok()) {
    spdlog::error("{}", server.status().ToString());
    return 1;
  }
  // SIGTERM / SIGINT: stop accepting, finish, exit 0.
  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    (*server)->Stop();
  });
  std::thread signal_thread([&] { signals_io.run(); });
  (*server)->Run();
  signals_io.stop();
  signal_thread.join();
  spdlog::info("contactd stopped");
  return 0;
}
