#pragma once
// `contactctl stats`: STATS (needs the admin scope); one member per counter.
//
//   contactctl stats
//   {"contacts": 12, "lookups_total": 345, ...}

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Registers `stats` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddStatsCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
