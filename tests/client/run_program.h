#pragma once
// RunProgram: runs a program to completion for a test and captures its
// stdout, stderr and exit code (through temporary files, so neither pipe
// can fill up and block the child).
//
//   ProgramResult r = RunProgram({CONTACTCTL_PATH, "ping"},
//                                {.env = {"CONTACTD_SERVER=127.0.0.1:7600"}});
//   EXPECT_EQ(r.exit_code, 0) << r.err;

#include <chrono>
#include <string>
#include <vector>

namespace contactd::testing {

struct ProgramOptions {
  // Added to (or overriding) the test's environment, "NAME=value".
  std::vector<std::string> env;
  // Removed from the environment ("CONTACTD_TOKEN").
  std::vector<std::string> unset_env;
  std::string stdin_text;  // fed on stdin
  std::chrono::milliseconds timeout{30000};
};

struct ProgramResult {
  int exit_code = -1;  // 128 + signal when killed, -1 when it did not run
  std::string out;
  std::string err;
};

ProgramResult RunProgram(const std::vector<std::string>& argv,
                         const ProgramOptions& options = {});

}  // namespace contactd::testing
