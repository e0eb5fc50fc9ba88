#include "tools/checkpoint_command.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include "tools/command.h"

namespace contactd::tools {
namespace {

// A checkpoint or reload of a big dataset takes seconds to minutes.
constexpr double kMinAdminTimeoutSeconds = 600;

ClientFlags WithAdminTimeout(const ClientFlags& flags) {
  ClientFlags slow = flags;
  slow.timeout_seconds =
      std::max(flags.timeout_seconds, kMinAdminTimeoutSeconds);
  return slow;
}

double Millis(uint64_t micros) { return static_cast<double>(micros) / 1000; }

absl::StatusOr<protocol::Json> Checkpoint(client::Client& client) {
  auto reply = client.Checkpoint();
  if (!reply.ok()) return reply.status();
  return protocol::Json{{"sequence", reply->sequence},
                        {"contacts", reply->contacts},
                        {"bytes", reply->bytes},
                        {"duration_ms", Millis(reply->duration_us)}};
}

}  // namespace

void AddCheckpointCommand(CLI::App& app, const ClientFlags* flags,
                          int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "checkpoint",
      "Write a snapshot now and drop the WAL it covers (admin scope)");
  command->footer(std::string(kExitCodesHelp));
  command->callback([flags, exit_code] {
    *exit_code = RunClientCommand(WithAdminTimeout(*flags), std::cout,
                                  std::cerr, Checkpoint);
  });
}

void AddReloadCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "reload",
      "Swap in a snapshot file (a path on the server's machine, e.g. from "
      "`contactctl import --out`) for the whole dataset (admin scope)");
  auto path = std::make_shared<std::string>();
  command->add_option("file", *path, "snapshot file")->required();
  command->footer(std::string(kExitCodesHelp));
  command->callback([flags, exit_code, path] {
    *exit_code = RunClientCommand(
        WithAdminTimeout(*flags), std::cout, std::cerr,
        [&](client::Client& client) -> absl::StatusOr<protocol::Json> {
          auto reply = client.Reload(*path);
          if (!reply.ok()) return reply.status();
          return protocol::Json{{"contacts", reply->contacts},
                                {"sequence", reply->sequence},
                                {"duration_ms", Millis(reply->duration_us)}};
        });
  });
}

}  // namespace contactd::tools
