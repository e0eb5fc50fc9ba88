#pragma once
// `contactctl lookup`: LOOKUP_PHONE / LOOKUP_EMAIL.
//
//   contactctl lookup --tenant T --phone "+15551234567" [--region US]
//   contactctl lookup --tenant T --email ada@acme.com [--all] [--summary]
//   {"match_count": 2, "contacts": [{...contact...}]}
//   ("summaries" instead of "contacts" with --summary; every match, up to
//   100, with --all; else the first.) No match: exit 1.

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Registers `lookup` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddLookupCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
