#pragma once
// `contactctl delete`: DELETE; prints the contact as it was.
//
//   contactctl delete --tenant T --id 5f1c...
//   Not found: exit 1.

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Registers `delete` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddDeleteCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
