#include "tools/delete_command.h"

#include <iostream>
#include <memory>

#include "tools/command.h"

namespace contactd::tools {
namespace {

struct DeleteOptions {
  std::string tenant;
  std::string id;
};

absl::StatusOr<protocol::Json> Delete(const DeleteOptions& o,
                                      client::Client& client) {
  absl::StatusOr<index::Uuid> tenant = ResolveTenant(client, o.tenant);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<index::Uuid> id = ParseUuidFlag(o.id, "--id");
  if (!id.ok()) return id.status();
  absl::StatusOr<index::Contact> deleted = client.Delete({*tenant, *id});
  if (!deleted.ok()) return deleted.status();
  return protocol::ContactToJson(*deleted);
}

}  // namespace

void AddDeleteCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("delete", "Delete a contact; prints it as it was");
  command->footer(std::string(kExitCodesHelp));
  auto o = std::make_shared<DeleteOptions>();
  command->add_option("--tenant", o->tenant,
                      "tenant (customer id); default: the token's tenant");
  command->add_option("--id", o->id, "contact id (UUID)")->required();
  command->callback([o, flags, exit_code] {
    *exit_code = RunClientCommand(
        *flags, std::cout, std::cerr,
        [&](client::Client& client) { return Delete(*o, client); });
  });
}

}  // namespace contactd::tools
