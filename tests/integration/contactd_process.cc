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

// The port of "<label>HOST:PORT" followed by `terminator`, or -1.
int PortAfter(const std::string& line, const std::string& label,
              char terminator) {
  const size_t start = line.find(label);
  if (start == std::string::npos) return -1;
  const size_t colon = line.find(':', start + label.size());
  const size_t end_of_port = line.find(terminator, colon);
  if (colon == std::string::npos || end_of_port == std::string::npos) {
    return -1;
  }
  int port = 0;
  const auto [end, ec] =
      std::from_chars(line.data() + colon + 1, line.data() + end_of_port, port);
  return ec == std::errc() && end == line.data() + end_of_port ? port : -1;
}

}  // namespace

int ReadyPort(const std::string& line) {
  return PortAfter(line, "binary ", ',');
}

int ReadyHttpPort(const std::string& line) {
  const int port = PortAfter(line, "http ", ',');
  return port > 0 ? port : PortAfter(line, "http ", ' ');
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
  std::vector<std::string> argv = {
      CONTACTD_PATH, "--listen",   "127.0.0.1:0", "--http-listen",
      "127.0.0.1:0", "--data-dir", data_dir};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto process = std::make_unique<ChildProcess>(argv);
  if (!process->started()) return nullptr;
  const auto ready = process->WaitForStderrLine("contactd ready", 30s);
  const int port = ready ? ReadyPort(*ready) : -1;
  const int http_port = ready ? ReadyHttpPort(*ready) : -1;
  if (port <= 0 || http_port <= 0) {
    std::cerr << "contactd did not start:\n" << process->stderr_text();
    return nullptr;
  }
  return std::unique_ptr<ContactdProcess>(
      new ContactdProcess(std::move(process), port, http_port));
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
