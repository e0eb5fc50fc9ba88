#include "tools/ping_command.h"

#include <iostream>

#include "protocol/hello_messages.h"
#include "tools/command.h"

namespace contactd::tools {
namespace {

protocol::Json ScopesJson(uint8_t scopes) {
  protocol::Json names = protocol::Json::array();
  if (scopes & protocol::kScopeLookup) names.push_back("lookup");
  if (scopes & protocol::kScopeWrite) names.push_back("write");
  if (scopes & protocol::kScopeAdmin) names.push_back("admin");
  return names;
}

absl::StatusOr<protocol::Json> Ping(client::Client& client) {
  const absl::Time start = absl::Now();
  if (absl::Status s = client.Ping(); !s.ok()) return s;
  const int64_t round_trip_us = absl::ToInt64Microseconds(absl::Now() - start);
  protocol::Json j = protocol::Json::object();
  const std::optional<protocol::HelloReply> hello = client.hello();
  if (hello) {
    j["server"] = hello->server_name;
    j["version"] = hello->version;
    j["scopes"] = ScopesJson(hello->scopes);
    j["tenant"] = hello->tenant.is_nil()
                      ? protocol::Json(nullptr)
                      : protocol::Json(hello->tenant.ToString());
    j["max_body_bytes"] = hello->max_body_bytes;
    j["max_in_flight"] = hello->max_in_flight;
  }
  j["round_trip_us"] = round_trip_us;
  return j;
}

}  // namespace

void AddPingCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "ping", "Connect, authenticate and measure one round trip");
  command->footer(std::string(kExitCodesHelp));
  command->callback([flags, exit_code] {
    *exit_code = RunClientCommand(*flags, std::cout, std::cerr, Ping);
  });
}

}  // namespace contactd::tools
