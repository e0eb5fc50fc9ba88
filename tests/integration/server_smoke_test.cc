// Starts the real contactd on port 0 and checks start-up, the listening
// socket, flag errors and graceful shutdown.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <csignal>
#include <filesystem>

#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "gtest/gtest.h"
#include "tests/integration/child_process.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {
namespace {

using namespace std::chrono_literals;

TEST(ServerSmokeTest, StartsAcceptsAndStopsOnSigterm) {
  // A directory that does not exist yet: contactd creates it.
  const std::string data_dir = FreshTempDir("smoke") + "/data";
  ChildProcess server({CONTACTD_PATH, "--listen", "127.0.0.1:0",
                       "--http-listen", "127.0.0.1:0", "--data-dir", data_dir});
  ASSERT_TRUE(server.started());
  const auto ready = server.WaitForStderrLine("contactd ready", 20s);
  ASSERT_TRUE(ready.has_value()) << server.stderr_text();
  const int port = ReadyPort(*ready);
  ASSERT_GT(port, 0) << *ready;
  EXPECT_TRUE(std::filesystem::is_directory(data_dir));

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(port)},
                 ec);
  EXPECT_FALSE(ec) << ec.message();

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(20s), 0) << server.stderr_text();
}

TEST(ServerSmokeTest, HelpListsEveryFlagAndExitsZero) {
  ChildProcess server({CONTACTD_PATH, "--help"});
  EXPECT_EQ(server.Wait(20s), 0);
}

TEST(ServerSmokeTest, UnknownFlagExitsTwo) {
  ChildProcess server({CONTACTD_PATH, "--no-such-flag"});
  EXPECT_EQ(server.Wait(20s), 2);
}

TEST(ServerSmokeTest, UnknownRegionRefusesToStart) {
  ChildProcess server({CONTACTD_PATH, "--listen", "127.0.0.1:0",
                       "--http-listen", "127.0.0.1:0", "--data-dir",
                       FreshTempDir("region_data"), "--default-region", "XX"});
  EXPECT_EQ(server.Wait(20s), 1);
}

TEST(ServerSmokeTest, PortInUseRefusesToStartWithAMessage) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(
      io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string address =
      "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
  ChildProcess server({CONTACTD_PATH, "--listen", address, "--http-listen",
                       "127.0.0.1:0", "--data-dir", FreshTempDir("busy_data")});
  EXPECT_EQ(server.Wait(20s), 1);
  server.WaitForStderrLine("cannot listen", 1s);
  EXPECT_NE(server.stderr_text().find("cannot listen"), std::string::npos)
      << server.stderr_text();
}

}  // namespace
}  // namespace contactd::testing
