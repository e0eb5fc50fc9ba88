#include "tests/client/test_contactd.h"

#include <csignal>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {

namespace {

using namespace std::chrono_literals;

// "Suite_Test_": ctest runs the tests of one executable in parallel
// processes, so per-test files and directories must not collide.
std::string TestPrefix() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "";
  return std::string(info->test_suite_name()) + "_" + info->name() + "_";
}

}  // namespace

std::unique_ptr<TestContactd> TestContactd::Start(
    const std::string& name, const std::vector<std::string>& extra_args,
    int port) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) /
      (TestPrefix() + name + "_data");
  if (port == 0) std::filesystem::remove_all(dir);
  std::vector<std::string> argv = {
      CONTACTD_PATH,   "--listen",    "127.0.0.1:" + std::to_string(port),
      "--http-listen", "127.0.0.1:0", "--data-dir",
      dir.string(),    "--threads",   "2"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto process = std::make_unique<ChildProcess>(argv);
  if (!process->started()) {
    ADD_FAILURE() << "cannot start " << CONTACTD_PATH;
    return nullptr;
  }
  const auto ready = process->WaitForStderrLine("contactd ready", 20s);
  const int bound = ready ? ReadyPort(*ready) : -1;
  if (bound <= 0) {
    ADD_FAILURE() << "contactd did not get ready:\n" << process->stderr_text();
    return nullptr;
  }
  return std::unique_ptr<TestContactd>(
      new TestContactd(std::move(process), bound, dir.string()));
}

std::optional<int> TestContactd::Stop() {
  process_->Signal(SIGTERM);
  return process_->Wait(20s);
}

void TestContactd::Kill() {
  process_->Signal(SIGKILL);
  process_->Wait(20s);
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path =
      (std::filesystem::path(::testing::TempDir()) / (TestPrefix() + name))
          .string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return path;
}

}  // namespace contactd::testing
