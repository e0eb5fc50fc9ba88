#include "tests/client/run_program.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "gtest/gtest.h"

extern char** environ;

namespace contactd::testing {

namespace {

// A temporary file for one stream of the child; removed on destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& contents = "") {
    path_ = ::testing::TempDir() + "run_program_XXXXXX";
    fd_ = mkstemp(path_.data());
    if (fd_ >= 0 && !contents.empty()) {
      if (write(fd_, contents.data(), contents.size()) < 0) fd_ = -1;
      lseek(fd_, 0, SEEK_SET);
    }
  }
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  std::string Contents() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

std::vector<std::string> Environment(const ProgramOptions& options) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    bool drop = false;
    for (const std::string& u : options.unset_env) drop = drop || u == name;
    for (const std::string& o : options.env) {
      drop = drop || o.substr(0, o.find('=')) == name;
    }
    if (!drop) env.push_back(entry);
  }
  env.insert(env.end(), options.env.begin(), options.env.end());
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Waits for `pid` until the deadline, then kills it.
int Reap(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (auto pause = std::chrono::milliseconds(1);;
       pause = std::min(pause * 2, std::chrono::milliseconds(20))) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "program did not exit in time; killing it";
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(pause);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

}  // namespace

ProgramResult RunProgram(const std::vector<std::string>& argv,
                         const ProgramOptions& options) {
  ProgramResult result;
  TempFile in(options.stdin_text);
  TempFile out;
  TempFile err;
  if (in.fd() < 0 || out.fd() < 0 || err.fd() < 0) {
    ADD_FAILURE() << "mkstemp failed";
    return result;
  }
  std::vector<std::string> args = argv;
  std::vector<std::string> env = Environment(options);
  std::vector<char*> arg_ptrs = Pointers(args);
  std::vector<char*> env_ptrs = Pointers(env);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), STDERR_FILENO);
  pid_t pid = 0;
  const int spawn_error = posix_spawn(&pid, arg_ptrs[0], &actions, nullptr,
                                      arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    ADD_FAILURE() << "posix_spawn " << argv[0] << ": "
                  << std::strerror(spawn_error);
    return result;
  }
  result.exit_code = Reap(pid, options.timeout);
  result.out = out.Contents();
  result.err = err.Contents();
  return result;
}

}  // namespace contactd::testing
