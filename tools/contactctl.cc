// contactctl: the command-line client of contactd.
//
//   contactctl normalize --phone "(555) 123-4567" --region US
//   contactctl --server 127.0.0.1:7600 lookup --tenant T --phone +15551234567
//   contactctl --help
//
// Each subcommand is registered by its Add<Name>Command() (tools/*_command.h);
// to add one, write <name>_command.{h,cc}, list the .cc in
// tools/CMakeLists.txt and call its Add function below.

#include <exception>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "tools/checkpoint_command.h"
#include "tools/client_flags.h"
#include "tools/command.h"
#include "tools/delete_command.h"
#include "tools/get_command.h"
#include "tools/import_command.h"
#include "tools/list_command.h"
#include "tools/lookup_command.h"
#include "tools/normalize_command.h"
#include "tools/ping_command.h"
#include "tools/put_command.h"
#include "tools/stats_command.h"

namespace contactd::tools {
namespace {

int Main(int argc, char** argv) {
  CLI::App app("contactctl: command-line client for contactd", "contactctl");
  app.footer(std::string(kExitCodesHelp));
  app.require_subcommand(1);
  // Usage errors look like the other errors: "contactctl: USAGE: <what>".
  app.failure_message([](const CLI::App*, const CLI::Error& error) {
    return std::string("contactctl: USAGE: ") + error.what() +
           "\nRun 'contactctl --help' for more information.\n";
  });

  // --server/--token/--timeout may also follow the subcommand.
  app.fallthrough();
  ClientFlags flags;
  AddClientFlags(app, &flags);

  int exit_code = kExitOk;
  AddPingCommand(app, &flags, &exit_code);
  AddLookupCommand(app, &flags, &exit_code);
  AddGetCommand(app, &flags, &exit_code);
  AddPutCommand(app, &flags, &exit_code);
  AddDeleteCommand(app, &flags, &exit_code);
  AddListCommand(app, &flags, &exit_code);
  AddStatsCommand(app, &flags, &exit_code);
  AddImportCommand(app, &flags, &exit_code);
  AddCheckpointCommand(app, &flags, &exit_code);
  AddReloadCommand(app, &flags, &exit_code);
  AddNormalizeCommand(app, &exit_code);

  // CLI11 reports bad flags (and --help) by exception; they end here.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int cli_code = app.exit(error);  // prints help or the error
    return cli_code == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace
}  // namespace contactd::tools

int main(int argc, char** argv) {
  try {
    return contactd::tools::Main(argc, argv);
  } catch (const std::exception& error) {  // e.g. std::bad_alloc
    std::cerr << "contactctl: INTERNAL: " << error.what() << "\n";
    return contactd::tools::kExitError;
  }
}
