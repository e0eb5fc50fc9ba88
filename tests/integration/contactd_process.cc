#include "tests/integration/contactd_process.h"

#include <charconv>
#include <csignal>
#include <filesystem>
#include <iostream>

namespace contactd::testing {
namespace {

using namespace std::chrono_literals;

std::string TestTempRoot() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : std::filesystem::temp_directory_path().string();
}

}  // namespace

int ReadyPort(const std::string& line) {
  const size_t binary = line.find("binary ");
  const size_t comma = line.find(',', binary);
  if (binary == std::string::npos || comma == std::string::npos) return -1;
  const size_t colon = line.rfind(':', comma);
  if (colon == std::string::npos || colon < binary) return -1;
  int port = 0;
  const auto [end, ec] =
      std::from_chars(line.data() + colon + 1, line.data() + comma, port);
  return ec == std::errc() && end == line.data() + comma ? port : -1;
}

std::string FreshTempDir(const std::string& name) {
  const auto dir = std::filesystem::path(TestTempRoot()) /
                   ("contactd_test_" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::unique_ptr<ContactdProcess> ContactdProcess::Start(
    const std::string& name, const std::vector<std::string>& extra_args) {
  return StartInDataDir(FreshTempDir(name), extra_args);
}

std::unique_ptr<ContactdProcess> ContactdProcess::StartInDataDir(
    const std::string& data_dir, const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {CONTACTD_PATH, "--listen", "127.0.0.1:0",
                                   "--data-dir", data_dir};
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

void ContactdProcess::Kill() {
  process_->Signal(SIGKILL);
  process_->Wait(30s);
}

}  // namespace contactd::testing
