#pragma once
// ChildProcess: starts a program for an integration test, reads its stderr
// line by line with a deadline, and always reaps it (SIGKILL on destruction
// if still running). Tests wait for "ready" lines, never for time to pass.
//
//   ChildProcess server({CONTACTD_PATH, "--listen", "127.0.0.1:0"});
//   std::string line = server.WaitForStderrLine("contactd ready", 10s);
//   server.Signal(SIGTERM);
//   EXPECT_EQ(server.Wait(10s), 0);

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace contactd::testing {

class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }

  // The first stderr line containing `needle`, or nullopt if the process
  // closes stderr or the deadline passes first.
  std::optional<std::string> WaitForStderrLine(
      const std::string& needle, std::chrono::milliseconds timeout);
  // Everything read from stderr so far (for failure messages).
  const std::string& stderr_text() const { return stderr_; }

  void Signal(int signal);
  // The exit code (128 + signal when killed by one), or nullopt when the
  // process is still running at the deadline.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_;
  size_t scanned_ = 0;  // bytes of stderr_ already split into lines
  std::optional<int> exit_code_;
};

}  // namespace contactd::testing
