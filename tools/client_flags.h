#pragma once
// What the contactctl subcommands that talk to contactd share: the
// connection flags, the tenant, and printing the JSON answer.
//
//   contactctl [--server HOST:PORT] [--token TOKEN] [--timeout SECONDS] <cmd>
//
// --server falls back to $CONTACTD_SERVER, then 127.0.0.1:7600; --token to
// $CONTACTD_TOKEN, then none. The flags may also follow the subcommand.
//
// A subcommand's work is a function from a connected client to the JSON
// document to print (RunClientCommand): it prints the document on stdout
// and returns kExitOk, or prints the error on stderr and returns its exit
// code (command.h).

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "client/client.h"
#include "index/uuid.h"
#include "protocol/contact_json.h"

namespace contactd::tools {

struct ClientFlags {
  std::string server;
  std::string token;
  double timeout_seconds = 5;
};

// Registers --server, --token and --timeout on `app` (the top-level app).
void AddClientFlags(CLI::App& app, ClientFlags* flags);

// Connects (HELLO included) and runs `body`; see above.
int RunClientCommand(
    const ClientFlags& flags, std::ostream& out, std::ostream& err,
    absl::FunctionRef<absl::StatusOr<protocol::Json>(client::Client&)> body);

// The tenant to use: `flag` when set (INVALID_ID unless a UUID), else the
// tenant the token is bound to (HELLO), else InvalidArgument asking for
// --tenant.
absl::StatusOr<index::Uuid> ResolveTenant(client::Client& client,
                                          const std::string& flag);

// Parses a UUID flag value; errors name `flag_name`.
absl::StatusOr<index::Uuid> ParseUuidFlag(const std::string& value,
                                          std::string_view flag_name);

}  // namespace contactd::tools
