#include "tools/get_command.h"

#include <iostream>
#include <memory>

#include "tools/command.h"

namespace contactd::tools {
namespace {

struct GetOptions {
  std::string tenant;
  std::string id;
  std::string external_id;
  bool by_external_id = false;
};

absl::StatusOr<protocol::Json> Get(const GetOptions& o,
                                   client::Client& client) {
  absl::StatusOr<index::Uuid> tenant = ResolveTenant(client, o.tenant);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<index::Contact> contact;
  if (o.by_external_id) {
    contact = client.GetByExternalId({*tenant, o.external_id});
  } else {
    absl::StatusOr<index::Uuid> id = ParseUuidFlag(o.id, "--id");
    if (!id.ok()) return id.status();
    contact = client.Get({*tenant, *id});
  }
  if (!contact.ok()) return contact.status();
  return protocol::ContactToJson(*contact);
}

}  // namespace

void AddGetCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("get", "Print a contact by id or external id");
  command->footer(std::string(kExitCodesHelp));
  auto o = std::make_shared<GetOptions>();
  command->add_option("--tenant", o->tenant,
                      "tenant (customer id); default: the token's tenant");
  CLI::Option_group* key =
      command->add_option_group("key", "Which contact (exactly one)");
  key->add_option("--id", o->id, "contact id (UUID)");
  CLI::Option* external =
      key->add_option("--external-id", o->external_id, "CRM record id");
  key->require_option(1);
  command->callback([o, external, flags, exit_code] {
    o->by_external_id = external->count() > 0;
    *exit_code = RunClientCommand(
        *flags, std::cout, std::cerr,
        [&](client::Client& client) { return Get(*o, client); });
  });
}

}  // namespace contactd::tools
