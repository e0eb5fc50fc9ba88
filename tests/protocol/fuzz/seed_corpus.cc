// Writes one file per valid frame (every request opcode, and a few replies)
// into the directory named by argv[1]: the seed corpus of
// frame_decoder_fuzz. scripts/fuzz.sh runs it before fuzzing.

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "protocol/contact_messages.h"
#include "protocol/frame.h"
#include "protocol/hello_messages.h"
#include "protocol/lookup_messages.h"
#include "protocol/mutation_messages.h"
#include "protocol/stats_messages.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

void Write(const std::string& dir, const std::string& name, Opcode opcode,
           const std::function<void(std::string&)>& body) {
  std::string frame;
  const size_t start = BeginFrame(frame, opcode, 1);
  body(frame);
  EndFrame(frame, start);
  std::ofstream(dir + "/" + name, std::ios::binary) << frame;
}

void WriteAll(const std::string& dir) {
  using testing::TestTenant;
  const index::Contact c = testing::TypicalContact();
  const LookupRequest lookup{kLookupSummary, TestTenant(), "+15551234567", ""};
  Write(dir, "hello", Opcode::kHello, [](std::string& o) {
    EncodeHelloRequest(o, {1, 1, "token-0123456789abcdef", "seed"});
  });
  Write(dir, "ping", Opcode::kPing, [](std::string&) {});
  Write(dir, "stats", Opcode::kStats, [](std::string&) {});
  Write(dir, "lookup_phone", Opcode::kLookupPhone,
        [&](std::string& o) { EncodeLookupRequest(o, lookup); });
  Write(dir, "lookup_email", Opcode::kLookupEmail, [&](std::string& o) {
    EncodeLookupRequest(o, {kLookupAll, TestTenant(), "a@b.example", ""});
  });
  Write(dir, "lookup_batch", Opcode::kLookupBatch, [&](std::string& o) {
    EncodeLookupBatchRequest(
        o, {{{LookupKind::kPhone, lookup}, {LookupKind::kEmail, lookup}}});
  });
  Write(dir, "get", Opcode::kGet, [&](std::string& o) {
    EncodeGetRequest(o, {TestTenant(), c.id});
  });
  Write(dir, "get_by_external_id", Opcode::kGetByExternalId,
        [&](std::string& o) {
          EncodeGetByExternalIdRequest(o, {TestTenant(), "crm-1"});
        });
  Write(dir, "list_by_tag", Opcode::kListByTag, [&](std::string& o) {
    EncodeListByTagRequest(o, {TestTenant(), "vip", c.id, 10});
  });
  Write(dir, "upsert", Opcode::kUpsert, [&](std::string& o) {
    EncodeUpsertRequest(o, {c, "US"});
  });
  Write(dir, "delete", Opcode::kDelete, [&](std::string& o) {
    EncodeDeleteRequest(o, {TestTenant(), c.id});
  });
  Write(dir, "update_fields", Opcode::kUpdateFields, [&](std::string& o) {
    UpdateFieldsRequest r{TestTenant(), c.id, {}};
    r.update.company = "X";
    r.update.source = index::Source::kApi;
    r.update.tags = c.tags;
    EncodeUpdateFieldsRequest(o, r);
  });
  Write(dir, "add_phone", Opcode::kAddPhone, [&](std::string& o) {
    EncodeAddPhoneRequest(o, {TestTenant(), c.id, c.phone_numbers[1], "US"});
  });
  Write(dir, "update_phone", Opcode::kUpdatePhone, [&](std::string& o) {
    UpdatePhoneRequest r;
    r.update.number = "+15550000000";
    r.update.is_primary = true;
    EncodeUpdatePhoneRequest(o, r);
  });
  Write(dir, "remove_phone", Opcode::kRemovePhone, [&](std::string& o) {
    EncodeRemovePhoneRequest(o, {TestTenant(), c.id, c.id});
  });
  Write(dir, "add_email", Opcode::kAddEmail, [&](std::string& o) {
    EncodeAddEmailRequest(o, {TestTenant(), c.id, c.emails[0]});
  });
  Write(dir, "update_email", Opcode::kUpdateEmail, [&](std::string& o) {
    UpdateEmailRequest r;
    r.update.type = index::EmailType::kOther;
    EncodeUpdateEmailRequest(o, r);
  });
  Write(dir, "remove_email", Opcode::kRemoveEmail, [&](std::string& o) {
    EncodeRemoveEmailRequest(o, {TestTenant(), c.id, c.id});
  });
  Write(dir, "add_tag", Opcode::kAddTag, [&](std::string& o) {
    EncodeAddTagRequest(o, {TestTenant(), c.id, "vip"});
  });
  Write(dir, "remove_tag", Opcode::kRemoveTag, [&](std::string& o) {
    EncodeRemoveTagRequest(o, {TestTenant(), c.id, "vip"});
  });
  Write(dir, "reply_contact", Opcode::kGet,
        [&](std::string& o) { EncodeContactReply(o, c); });
  Write(dir, "reply_stats", Opcode::kStats, [&](std::string& o) {
    const StatsCounter counters[] = {{"contacts", 1}};
    EncodeStatsReply(o, counters);
  });
}

}  // namespace
}  // namespace contactd::protocol

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  contactd::protocol::WriteAll(argv[1]);
  return 0;
}
