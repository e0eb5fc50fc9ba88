#include "tools/client_flags.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "tools/command.h"

namespace contactd::tools {

void AddClientFlags(CLI::App& app, ClientFlags* flags) {
  flags->server = std::string(client::kDefaultServer);
  app.add_option("--server", flags->server, "contactd binary address HOST:PORT")
      ->envname("CONTACTD_SERVER")
      ->capture_default_str();
  app.add_option("--token", flags->token,
                 "access token (contactd --tokens file)")
      ->envname("CONTACTD_TOKEN");
  app.add_option("--timeout", flags->timeout_seconds,
                 "connect and request timeout, seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

int RunClientCommand(
    const ClientFlags& flags, std::ostream& out, std::ostream& err,
    absl::FunctionRef<absl::StatusOr<protocol::Json>(client::Client&)> body) {
  client::ClientOptions options;
  options.server = flags.server;
  options.token = flags.token;
  options.client_name = "contactctl 0.1.0";
  options.connect_timeout = absl::Seconds(flags.timeout_seconds);
  options.request_timeout = absl::Seconds(flags.timeout_seconds);
  absl::StatusOr<std::unique_ptr<client::Client>> client =
      client::Client::Create(options);
  if (!client.ok()) return ReportError(client.status(), err);
  if (absl::Status s = (*client)->Connect(); !s.ok()) {
    return ReportError(s, err);
  }
  absl::StatusOr<protocol::Json> result = body(**client);
  if (!result.ok()) return ReportError(result.status(), err);
  out << protocol::DumpJson(*result, 2) << "\n";
  return kExitOk;
}

absl::StatusOr<index::Uuid> ParseUuidFlag(const std::string& value,
                                          std::string_view flag_name) {
  absl::StatusOr<index::Uuid> id = index::Uuid::Parse(value);
  if (!id.ok()) {
    return index::InvalidArgument(
        index::Reason::kInvalidId,
        absl::StrCat(index::ToAbsl(flag_name), ": ",
                     index::QuoteInput(value, 64), " is not a UUID"));
  }
  return id;
}

absl::StatusOr<index::Uuid> ResolveTenant(client::Client& client,
                                          const std::string& flag) {
  if (!flag.empty()) return ParseUuidFlag(flag, "--tenant");
  const std::optional<protocol::HelloReply> hello = client.hello();
  if (hello && !hello->tenant.is_nil()) return hello->tenant;
  return absl::InvalidArgumentError(
      "--tenant is required (the token is not bound to one tenant)");
}

}  // namespace contactd::tools
