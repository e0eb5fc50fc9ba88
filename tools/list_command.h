#pragma once
// `contactctl list`: LIST_BY_TAG, one page.
//
//   contactctl list --tenant T [--tag vip] [--after ID] [--limit N]
//   {"total": 1234, "has_more": true, "next_after": "5f1c...",
//    "contacts": [...]}
//   Pass next_after as --after for the next page.

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Registers `list` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddListCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
