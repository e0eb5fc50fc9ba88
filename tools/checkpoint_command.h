#pragma once
// `contactctl checkpoint` and `contactctl reload FILE`: the durability
// operations (admin scope). Both wait up to max(--timeout, 10 minutes).
//
//   contactctl checkpoint
//   {"sequence": 4711, "contacts": 1000000, "bytes": 351234567,
//    "duration_ms": 2345.6}
//   contactctl reload /srv/crm/contacts.snap   # a path on the server
//   {"contacts": 1000000, "sequence": 4712, "duration_ms": 3456.7}

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Register the commands on `app`; see stats_command.h for the arguments.
void AddCheckpointCommand(CLI::App& app, const ClientFlags* flags,
                          int* exit_code);
void AddReloadCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
