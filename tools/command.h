#pragma once
// What every contactctl subcommand shares: exit codes and error reporting.
//
// Each subcommand lives in <name>_command.{h,cc} and exposes one
// `Add<Name>Command(CLI::App& app, int* exit_code)` that registers it;
// contactctl.cc calls them all. A subcommand prints its result on stdout, and
// on failure prints one line "contactctl: <REASON>: <message>" on stderr
// (ReportError) and returns the exit code for the status (ExitCodeFor).

#include <ostream>
#include <string_view>

#include "absl/status/status.h"

namespace contactd::tools {

// NOTE: scripts depend on these; do not renumber. Keep kExitCodesHelp in sync.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // internal or unexpected error
inline constexpr int kExitUsage = 2;    // bad flags or invalid input

// Appended to every --help.
inline constexpr std::string_view kExitCodesHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  internal or unexpected error\n"
    "  2  usage error, or invalid input (INVALID_PHONE, INVALID_EMAIL,\n"
    "     INVALID_REGION, ...)";

// The exit code for a failed `status`: kExitUsage for kInvalidArgument,
// kExitFailure otherwise.
int ExitCodeFor(const absl::Status& status);

// Prints "contactctl: <REASON>: <message>" on `err`, where REASON is the
// contactd reason name (INVALID_PHONE) or, without one, the status code name
// (INTERNAL). Returns ExitCodeFor(status). REQUIRES: !status.ok().
int ReportError(const absl::Status& status, std::ostream& err);

}  // namespace contactd::tools
