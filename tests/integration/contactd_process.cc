#include "tests/integration/contactd_process.h"

#include <csignal>
#include <filesystem>
#include <iostream>
#include <regex>

namespace contactd::testing {
namespace {

using namespace std::chrono_literals;

// The port from "contactd ready: binary 127.0.0.1:PORT, ...".
int ReadyPort(const std::string& line) {
  std::smatch m;
  static const std::regex kPort(R"(binary [^ ]+:(\d+),)");
  return std::regex_search(line, m, kPort) ? std::stoi(m[1]) : -1;
}

std::string TestTempRoot() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : std::filesystem::temp_directory_path().string();
}

}  // namespace

std::string FreshTempDir(const std::string& name) {
  const auto dir = std::filesystem::path(TestTempRoot()) /
                   ("contactd_test_" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::unique_ptr<ContactdProcess> ContactdProcess::Start(
    const std::string& name, const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {CONTACTD_PATH, "--listen", "127.0.0.1:0",
                                   "--data-dir", FreshTempDir(name)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto process = std::make_unique<ChildProcess>(argv);
  if (!process->started()) return nullptr;
  const auto ready = process->WaitForStderrLine("contactd ready", 30s);
  const int port = ready ? ReadyPort(*ready) : -1;
  if (port <= 0) {
    std::cerr << "contactd did not start:\n" << process->stderr_text();
    return nullptr;
  }
  return std::unique_ptr<ContactdProcess>(
      new ContactdProcess(std::move(process), port));
}

std::optional<int> ContactdProcess::Stop() {
  process_->Signal(SIGTERM);
  return process_->Wait(30s);
}

}  // namespace contactd::testing
