#include "tools/lookup_command.h"

#include <iostream>
#include <memory>

#include "protocol/lookup_messages.h"
#include "tools/command.h"

namespace contactd::tools {
namespace {

struct LookupOptions {
  std::string tenant;
  std::string phone;
  std::string email;
  std::string region;
  bool all = false;
  bool summary = false;
  protocol::LookupKind kind = protocol::LookupKind::kPhone;
};

protocol::Json ReplyJson(const protocol::LookupReply& reply,
                         protocol::LookupKind kind) {
  protocol::Json j = protocol::Json::object();
  j["match_count"] = reply.match_count;
  if (reply.flags & protocol::kLookupSummary) {
    protocol::Json& list = j["summaries"] = protocol::Json::array();
    for (const auto& s : reply.summaries) {
      list.push_back(protocol::ContactSummaryToJson(s, kind));
    }
  } else {
    protocol::Json& list = j["contacts"] = protocol::Json::array();
    for (const auto& c : reply.contacts) {
      list.push_back(protocol::ContactToJson(c));
    }
  }
  return j;
}

absl::StatusOr<protocol::Json> Lookup(const LookupOptions& o,
                                      client::Client& client) {
  absl::StatusOr<index::Uuid> tenant = ResolveTenant(client, o.tenant);
  if (!tenant.ok()) return tenant.status();
  const bool phone = o.kind == protocol::LookupKind::kPhone;
  protocol::LookupRequest request;
  request.tenant = *tenant;
  request.flags = (o.all ? protocol::kLookupAll : 0) |
                  (o.summary ? protocol::kLookupSummary : 0);
  request.input = phone ? o.phone : o.email;
  request.region = o.region;
  absl::StatusOr<protocol::LookupReply> reply =
      phone ? client.LookupPhone(request) : client.LookupEmail(request);
  if (!reply.ok()) return reply.status();
  return ReplyJson(*reply, o.kind);
}

}  // namespace

void AddLookupCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "lookup", "Find the contact that owns a phone number or email address");
  command->footer(std::string(kExitCodesHelp));
  auto o = std::make_shared<LookupOptions>();
  command->add_option("--tenant", o->tenant,
                      "tenant (customer id); default: the token's tenant");
  CLI::Option_group* input =
      command->add_option_group("input", "What to look up (exactly one)");
  CLI::Option* phone =
      input->add_option("--phone", o->phone, "phone number, any format");
  input->add_option("--email", o->email, "email address");
  input->require_option(1);
  command->add_option("--region", o->region,
                      "ISO 3166 region for a national number (default: the "
                      "server's)");
  command->add_flag("--all", o->all, "every match (up to 100), not the first");
  command->add_flag("--summary", o->summary,
                    "summaries (names, company, tags) instead of contacts");
  command->callback([o, phone, flags, exit_code] {
    o->kind = phone->count() > 0 ? protocol::LookupKind::kPhone
                                 : protocol::LookupKind::kEmail;
    *exit_code = RunClientCommand(
        *flags, std::cout, std::cerr,
        [&](client::Client& client) { return Lookup(*o, client); });
  });
}

}  // namespace contactd::tools
