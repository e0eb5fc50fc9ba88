#include "tools/put_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "tools/command.h"

namespace contactd::tools {
namespace {

struct PutOptions {
  std::string file;  // "" or "-": stdin
  std::string tenant;
  std::string region;
};

absl::StatusOr<std::string> ReadInput(const std::string& file) {
  std::ostringstream text;
  if (file.empty() || file == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", file, ": ", std::strerror(errno)));
  }
  text << in.rdbuf();
  return text.str();
}

// Fills contact.customer_id from --tenant or the token (see put_command.h).
absl::Status SetTenant(const PutOptions& o, client::Client& client,
                       index::Contact& contact) {
  if (!contact.customer_id.is_nil() && o.tenant.empty()) {
    return absl::OkStatus();
  }
  absl::StatusOr<index::Uuid> tenant = ResolveTenant(client, o.tenant);
  if (!tenant.ok()) return tenant.status();
  if (!contact.customer_id.is_nil() && contact.customer_id != *tenant) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the contact's customer_id ", contact.customer_id.ToString(),
        " differs from --tenant ", tenant->ToString()));
  }
  contact.customer_id = *tenant;
  return absl::OkStatus();
}

absl::StatusOr<protocol::Json> Put(const PutOptions& o, index::Contact contact,
                                   client::Client& client) {
  if (absl::Status s = SetTenant(o, client, contact); !s.ok()) return s;
  protocol::UpsertRequest request{std::move(contact), o.region};
  absl::StatusOr<protocol::UpsertReply> reply = client.Upsert(request);
  if (!reply.ok()) return reply.status();
  protocol::Json j = protocol::Json::object();
  j["created"] = reply->created;
  j["contact"] = protocol::ContactToJson(reply->contact);
  return j;
}

int RunPut(const PutOptions& o, const ClientFlags& flags) {
  // The input is checked before connecting: bad JSON needs no server.
  absl::StatusOr<std::string> text = ReadInput(o.file);
  if (!text.ok()) return ReportError(text.status(), std::cerr);
  absl::StatusOr<index::Contact> contact = protocol::ContactFromJsonText(*text);
  if (!contact.ok()) return ReportError(contact.status(), std::cerr);
  return RunClientCommand(flags, std::cout, std::cerr,
                          [&](client::Client& client) {
                            return Put(o, *std::move(contact), client);
                          });
}

}  // namespace

void AddPutCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "put", "Create or replace a contact from JSON (--file or stdin)");
  command->footer(std::string(kExitCodesHelp));
  auto o = std::make_shared<PutOptions>();
  command->add_option("--file,-f", o->file,
                      "contact JSON file; '-' or none: stdin");
  command->add_option("--tenant", o->tenant,
                      "tenant when the JSON has no customer_id; default: the "
                      "token's tenant");
  command->add_option("--region", o->region,
                      "ISO 3166 region for national numbers (default: the "
                      "server's)");
  command->callback([o, flags, exit_code] { *exit_code = RunPut(*o, *flags); });
}

}  // namespace contactd::tools
