#pragma once
// `contactctl get`: GET / GET_BY_EXTERNAL_ID; prints the contact.
//
//   contactctl get --tenant T --id 5f1c...
//   contactctl get --tenant T --external-id 003Dn00000X1234
//   Not found: exit 1.

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Registers `get` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddGetCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
