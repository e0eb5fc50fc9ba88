#pragma once
// TestContactd: the real contactd for the client and contactctl tests, on
// 127.0.0.1 port 0 (or a given port, to restart on the same one) with a
// fresh data directory under ::testing::TempDir() (named after the running
// test and `name`; kept when restarting on a given port). Ready when its
// "contactd ready" line names the port; SIGKILLed on destruction if still
// running.
//
//   auto server = TestContactd::Start("client_test");
//   ASSERT_NE(server, nullptr);
//   options.server = server->address();

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/child_process.h"

namespace contactd::testing {

class TestContactd {
 public:
  // nullptr (with a gtest failure naming the reason) when contactd does
  // not get ready within 20 s. `port` 0: any free port.
  static std::unique_ptr<TestContactd> Start(
      const std::string& name, const std::vector<std::string>& extra_args = {},
      int port = 0);

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  ChildProcess& process() { return *process_; }

  // SIGTERM and wait: the exit code, nullopt when it did not exit in time.
  std::optional<int> Stop();
  // SIGKILL and wait.
  void Kill();

 private:
  TestContactd(std::unique_ptr<ChildProcess> process, int port,
               std::string data_dir)
      : process_(std::move(process)),
        port_(port),
        data_dir_(std::move(data_dir)) {}

  std::unique_ptr<ChildProcess> process_;
  int port_;
  std::string data_dir_;
};

// Writes `text` to a file under ::testing::TempDir() whose name is `name`
// prefixed with the running test's name; returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);

}  // namespace contactd::testing
