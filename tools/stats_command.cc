#include "tools/stats_command.h"

#include <iostream>

#include "tools/command.h"

namespace contactd::tools {
namespace {

absl::StatusOr<protocol::Json> Stats(client::Client& client) {
  absl::StatusOr<protocol::StatsReply> reply = client.Stats();
  if (!reply.ok()) return reply.status();
  protocol::Json j = protocol::Json::object();
  for (const protocol::StatsCounter& c : reply->counters) j[c.name] = c.value;
  return j;
}

}  // namespace

void AddStatsCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "stats", "Print the server's counters (needs the admin scope)");
  command->footer(std::string(kExitCodesHelp));
  command->callback([flags, exit_code] {
    *exit_code = RunClientCommand(*flags, std::cout, std::cerr, Stats);
  });
}

}  // namespace contactd::tools
