#include "tools/list_command.h"

#include <iostream>
#include <memory>

#include "tools/command.h"

namespace contactd::tools {
namespace {

struct ListOptions {
  std::string tenant;
  std::string tag;
  std::string after;
  uint32_t limit = 0;
};

absl::StatusOr<protocol::Json> List(const ListOptions& o,
                                    client::Client& client) {
  absl::StatusOr<index::Uuid> tenant = ResolveTenant(client, o.tenant);
  if (!tenant.ok()) return tenant.status();
  protocol::ListByTagRequest request;
  request.tenant = *tenant;
  request.tag = o.tag;
  request.limit = o.limit;
  if (!o.after.empty()) {
    absl::StatusOr<index::Uuid> after = ParseUuidFlag(o.after, "--after");
    if (!after.ok()) return after.status();
    request.after = *after;
  }
  absl::StatusOr<protocol::ListByTagReply> reply = client.ListByTag(request);
  if (!reply.ok()) return reply.status();
  protocol::Json j = protocol::Json::object();
  j["total"] = reply->total;
  j["has_more"] = reply->has_more;
  j["next_after"] = reply->next_after.is_nil()
                        ? protocol::Json(nullptr)
                        : protocol::Json(reply->next_after.ToString());
  protocol::Json& contacts = j["contacts"] = protocol::Json::array();
  for (const auto& c : reply->contacts) {
    contacts.push_back(protocol::ContactToJson(c));
  }
  return j;
}

}  // namespace

void AddListCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "list", "List a tenant's contacts (with a tag), one page in id order");
  command->footer(std::string(kExitCodesHelp));
  auto o = std::make_shared<ListOptions>();
  command->add_option("--tenant", o->tenant,
                      "tenant (customer id); default: the token's tenant");
  command->add_option("--tag", o->tag, "only contacts with this tag");
  command->add_option("--after", o->after,
                      "cursor: the previous page's next_after");
  command->add_option("--limit", o->limit,
                      "page size (0: the server's default, 100; max 1000)");
  command->callback([o, flags, exit_code] {
    *exit_code = RunClientCommand(
        *flags, std::cout, std::cerr,
        [&](client::Client& client) { return List(*o, client); });
  });
}

}  // namespace contactd::tools
