#pragma once
// `contactctl put`: UPSERT a contact given as JSON (protocol/contact_json.h)
// from --file or stdin.
//
//   contactctl put --file ada.json [--tenant T] [--region US]
//   {"created": true, "contact": {...as stored...}}
//
// The tenant is the JSON customer_id, else --tenant, else the token's tenant;
// a customer_id that differs from --tenant is an error.

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Registers `put` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddPutCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
