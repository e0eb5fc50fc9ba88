// Runs the built contactctl binary and checks its stdout, stderr and exit
// code.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

extern char** environ;

namespace contactd::tools {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A temporary file for one stream of the child; removed on destruction.
class CaptureFile {
 public:
  CaptureFile() {
    path_ = testing::TempDir() + "contactctl_test_XXXXXX";
    fd_ = mkstemp(path_.data());
  }
  ~CaptureFile() {
    if (fd_ >= 0) close(fd_);
    unlink(path_.c_str());
  }
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

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

// Runs contactctl with `args`; stdout and stderr go to files so that neither
// pipe can fill up and block the child.
RunResult RunContactctl(std::vector<std::string> args) {
  args.insert(args.begin(), CONTACTCTL_PATH);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  CaptureFile out;
  CaptureFile err;
  RunResult result;
  if (out.fd() < 0 || err.fd() < 0) {
    ADD_FAILURE() << "mkstemp failed";
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), STDERR_FILENO);
  pid_t pid = 0;
  const int spawn_error =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    ADD_FAILURE() << "posix_spawn " << argv[0] << ": " << spawn_error;
    return result;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
    ADD_FAILURE() << "contactctl did not exit normally";
    return result;
  }
  result.exit_code = WEXITSTATUS(status);
  result.out = out.Contents();
  result.err = err.Contents();
  return result;
}

TEST(ContactctlNormalizeTest, PhoneInNationalFormat) {
  const RunResult r = RunContactctl(
      {"normalize", "--phone", "(555) 123-4567", "--region", "US"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+15551234567\n");
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(ContactctlNormalizeTest, RegionDefaultsToUs) {
  const RunResult r = RunContactctl({"normalize", "--phone", "(555) 123-4567"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+15551234567\n");
}

TEST(ContactctlNormalizeTest, PhoneWithOtherRegion) {
  const RunResult r = RunContactctl(
      {"normalize", "--phone", "020 7946 0018", "--region", "GB"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+442079460018\n");
}

TEST(ContactctlNormalizeTest, InvalidPhoneExitsTwo) {
  const RunResult r = RunContactctl({"normalize", "--phone", "anonymous"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "contactctl: INVALID_PHONE: 'anonymous' is not a phone number\n");
}

TEST(ContactctlNormalizeTest, InvalidRegionExitsTwo) {
  const RunResult r = RunContactctl(
      {"normalize", "--phone", "(555) 123-4567", "--region", "XX"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: INVALID_REGION: "));
}

TEST(ContactctlNormalizeTest, Email) {
  const RunResult r =
      RunContactctl({"normalize", "--email", "  John@Example.COM "});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "john@example.com\n");
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(ContactctlNormalizeTest, InvalidEmailExitsTwo) {
  const RunResult r = RunContactctl({"normalize", "--email", "john"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: INVALID_EMAIL: "));
}

TEST(ContactctlNormalizeTest, PhoneAndEmailTogetherIsUsageError) {
  const RunResult r = RunContactctl(
      {"normalize", "--phone", "+15551234567", "--email", "a@b.com"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: USAGE: "));
}

TEST(ContactctlNormalizeTest, NeitherPhoneNorEmailIsUsageError) {
  const RunResult r = RunContactctl({"normalize", "--region", "US"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: USAGE: "));
}

TEST(ContactctlNormalizeTest, UnknownFlagIsUsageError) {
  const RunResult r =
      RunContactctl({"normalize", "--phone", "+15551234567", "--fax", "1"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ContactctlNormalizeTest, HelpListsExitCodes) {
  const RunResult r = RunContactctl({"normalize", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--phone"));
  EXPECT_THAT(r.out, HasSubstr("Exit codes"));
}

TEST(ContactctlTest, NoSubcommandIsUsageError) {
  const RunResult r = RunContactctl({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("contactctl: USAGE: "));
}

TEST(ContactctlTest, UnknownSubcommandIsUsageError) {
  const RunResult r = RunContactctl({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ContactctlTest, HelpListsSubcommandsAndExitCodes) {
  const RunResult r = RunContactctl({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("normalize"));
  EXPECT_THAT(r.out, HasSubstr("Exit codes"));
}

}  // namespace
}  // namespace contactd::tools
