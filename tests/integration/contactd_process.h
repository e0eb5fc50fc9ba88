#pragma once
// ContactdProcess: the real contactd, started for a test on 127.0.0.1:0
// (binary and HTTP) with a fresh data directory, ready when its "contactd
// ready" line says which ports it bound. Killed (SIGKILL) on destruction if a
// test did not stop it.
//
//   auto server = ContactdProcess::Start("lookup_test", {"--threads", "2"});
//   ASSERT_TRUE(server) << "contactd did not start";
//   WireConnection c(server->port());

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/child_process.h"

namespace contactd::testing {

// The port from "contactd ready: binary 127.0.0.1:PORT, ...", or -1.
int ReadyPort(const std::string& line);
// The HTTP port from "... http 127.0.0.1:PORT, ..." (the ready line, or the
// "http 127.0.0.1:PORT: /healthz up" line logged before recovery), or -1.
int ReadyHttpPort(const std::string& line);

// A fresh (emptied) directory under the test's temporary directory.
std::string FreshTempDir(const std::string& name);

class ContactdProcess {
 public:
  // nullptr when contactd exits or is not ready within the deadline (the
  // reason is logged to the test output).
  static std::unique_ptr<ContactdProcess> Start(
      const std::string& name, const std::vector<std::string>& extra_args = {});
  // The same on an existing data directory (a restart).
  static std::unique_ptr<ContactdProcess> StartInDataDir(
      const std::string& data_dir,
      const std::vector<std::string>& extra_args = {});

  int port() const { return port_; }
  int http_port() const { return http_port_; }
  ChildProcess& process() { return *process_; }
  // SIGTERM, then the exit code (nullopt if it did not exit in time).
  std::optional<int> Stop();
  // SIGKILL (a crash), then wait for it to be gone.
  void Kill();

 private:
  ContactdProcess(std::unique_ptr<ChildProcess> process, int port,
                  int http_port)
      : process_(std::move(process)), port_(port), http_port_(http_port) {}

  std::unique_ptr<ChildProcess> process_;
  int port_;
  int http_port_;
};

}  // namespace contactd::testing
