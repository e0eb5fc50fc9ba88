#pragma once
// `contactctl ping`: connects (HELLO) and sends PING; prints what the
// server granted.
//
//   contactctl ping
//   {"server": "contactd 0.1.0", "version": 1, "scopes": ["lookup", ...],
//    "tenant": null, "max_body_bytes": 1048576, "max_in_flight": 1024,
//    "round_trip_us": 85}

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Registers `ping` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddPingCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
