#pragma once
// What every contactctl subcommand shares: exit codes and error reporting.
//
// Each subcommand lives in <name>_command.{h,cc} and exposes one
// `Add<Name>Command(CLI::App& app, ..., int* exit_code)` that registers it;
// contactctl.cc calls them all (the ones that talk to contactd also take the
// shared ClientFlags, client_flags.h). A subcommand prints its result on
// stdout, and on failure prints one line "contactctl: <REASON>: <message>" on
// stderr (ReportError) and returns the exit code for the status (ExitCodeFor).

#include <ostream>
#include <string_view>

#include "absl/status/status.h"

namespace contactd::tools {

// NOTE: scripts depend on these; do not renumber. Keep kExitCodesHelp in sync.
inline constexpr int kExitOk = 0;        // found / done
inline constexpr int kExitNotFound = 1;  // no such contact (NOT_FOUND)
inline constexpr int kExitError = 2;     // usage, connection, invalid input,
                                         // any other error
inline constexpr int kExitUsage = kExitError;

// Appended to every --help.
inline constexpr std::string_view kExitCodesHelp =
    "Exit codes:\n"
    "  0  found / done\n"
    "  1  not found (CONTACT_NOT_FOUND, ...)\n"
    "  2  error: usage, connection (UNAVAILABLE), invalid input\n"
    "     (INVALID_PHONE, INVALID_ID, ...), permission, internal";

// The exit code for a failed `status`: kExitNotFound for kNotFound,
// kExitError otherwise.
int ExitCodeFor(const absl::Status& status);

// Prints "contactctl: <REASON>: <message>" on `err`, where REASON is the
// contactd reason name (INVALID_PHONE) or, without one, the status code name
// (INTERNAL). Returns ExitCodeFor(status). REQUIRES: !status.ok().
int ReportError(const absl::Status& status, std::ostream& err);

}  // namespace contactd::tools
