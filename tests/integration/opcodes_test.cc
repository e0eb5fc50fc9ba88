// Every opcode of the binary protocol against the real contactd: a request
// goes in, the reply decodes and says what the store did.

#include "gtest/gtest.h"
#include "protocol/hello_messages.h"
#include "protocol/mutation_messages.h"
#include "protocol/stats_messages.h"
#include "tests/integration/protocol_test_support.h"

namespace contactd::testing {
namespace {

using protocol::Opcode;
using protocol::WireStatus;

TEST_F(ProtocolTest, HelloNegotiatesVersionOneWithoutTokens) {
  const auto reply =
      Call(Opcode::kHello,
           BodyOf(&protocol::EncodeHelloRequest,
                  protocol::HelloRequest{.min_version = 1,
                                         .max_version = 3,
                                         .client_name = "opcodes_test"}));
  const auto hello = DecodeOk(reply, &protocol::DecodeHelloReply);
  EXPECT_EQ(hello.version, 1);
  EXPECT_EQ(hello.scopes, protocol::kKnownScopes);
  EXPECT_TRUE(hello.tenant.is_nil());
  EXPECT_GT(hello.max_body_bytes, 0u);
}

TEST_F(ProtocolTest, PingAnswersOk) {
  const auto reply = Call(Opcode::kPing, "");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kOk);
}

TEST_F(ProtocolTest, UpsertThenLookupPhoneFullAndSummary) {
  const index::Contact stored =
      Put(MakeContact(kTenantA, "Ada", "(555) 123-4567", "Ada@Example.com"));
  ASSERT_FALSE(stored.id.is_nil());
  EXPECT_EQ(stored.phone_numbers.at(0).number_e164, "+15551234567");

  auto full = DecodeOk(
      Call(Opcode::kLookupPhone, LookupBody(kTenantA, "+1 (555) 123-4567")),
      &protocol::DecodeLookupReply);
  EXPECT_EQ(full.match_count, 1u);
  ASSERT_EQ(full.contacts.size(), 1u);
  EXPECT_EQ(full.contacts[0], stored);

  auto summary = DecodeOk(
      Call(Opcode::kLookupPhone,
           LookupBody(kTenantA, "5551234567", protocol::kLookupSummary)),
      &protocol::DecodeLookupReply);
  ASSERT_EQ(summary.summaries.size(), 1u);
  EXPECT_EQ(summary.summaries[0].contact_id, stored.id);
  EXPECT_EQ(summary.summaries[0].display_name, "Ada Tester");
  EXPECT_EQ(summary.summaries[0].tags, std::vector<std::string>{"vip"});
}

TEST_F(ProtocolTest, LookupPhoneUsesTheRequestRegion) {
  Put(MakeContact(kTenantA, "Grace", "+44 20 7946 0018", ""));
  auto reply = DecodeOk(Call(Opcode::kLookupPhone,
                             LookupBody(kTenantA, "020 7946 0018", 0, "GB")),
                        &protocol::DecodeLookupReply);
  EXPECT_EQ(reply.match_count, 1u);
}

TEST_F(ProtocolTest, LookupAllReturnsEveryMatchInOrder) {
  const auto first = Put(MakeContact(kTenantA, "One", "+15550001111", ""));
  const auto second = Put(MakeContact(kTenantA, "Two", "+15550001111", ""));
  auto reply = DecodeOk(
      Call(Opcode::kLookupPhone,
           LookupBody(kTenantA, "+15550001111",
                      protocol::kLookupAll | protocol::kLookupSummary)),
      &protocol::DecodeLookupReply);
  EXPECT_EQ(reply.match_count, 2u);
  ASSERT_EQ(reply.summaries.size(), 2u);
  EXPECT_EQ(reply.summaries[0].contact_id, first.id);  // oldest first
  EXPECT_EQ(reply.summaries[1].contact_id, second.id);
}

TEST_F(ProtocolTest, LookupMissIsNotFound) {
  const auto reply =
      Call(Opcode::kLookupPhone, LookupBody(kTenantA, "+15559999999"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kNotFound);
}

TEST_F(ProtocolTest, LookupOfNonNumberIsInvalidPhone) {
  const auto reply =
      Call(Opcode::kLookupPhone, LookupBody(kTenantA, "anonymous"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kInvalidArgument);
  EXPECT_EQ(reply->prefix().reason, index::Reason::kInvalidPhone);
}

TEST_F(ProtocolTest, LookupEmailIsCaseInsensitive) {
  const auto stored = Put(MakeContact(kTenantA, "Ada", "", "ada@example.com"));
  auto reply = DecodeOk(
      Call(Opcode::kLookupEmail, LookupBody(kTenantA, "  ADA@Example.COM ")),
      &protocol::DecodeLookupReply);
  ASSERT_EQ(reply.contacts.size(), 1u);
  EXPECT_EQ(reply.contacts[0].id, stored.id);
}

TEST_F(ProtocolTest, LookupBatchAnswersEachItem) {
  Put(MakeContact(kTenantA, "Ada", "+15551234567", "ada@example.com"));
  protocol::LookupBatchRequest batch;
  batch.items = {
      {protocol::LookupKind::kPhone, {0, kTenantA, "+15551234567", ""}},
      {protocol::LookupKind::kEmail, {0, kTenantA, "ada@example.com", ""}},
      {protocol::LookupKind::kPhone, {0, kTenantA, "+15550000000", ""}},
      {protocol::LookupKind::kPhone, {0, kTenantA, "not a number", ""}},
  };
  auto reply =
      DecodeOk(Call(Opcode::kLookupBatch,
                    BodyOf(&protocol::EncodeLookupBatchRequest, batch)),
               &protocol::DecodeLookupBatchReply);
  ASSERT_EQ(reply.results.size(), 4u);
  EXPECT_TRUE(reply.results[0].status.ok());
  EXPECT_TRUE(reply.results[1].status.ok());
  EXPECT_TRUE(absl::IsNotFound(reply.results[2].status));
  EXPECT_TRUE(absl::IsInvalidArgument(reply.results[3].status));
}

TEST_F(ProtocolTest, GetAndGetByExternalId) {
  index::Contact contact = MakeContact(kTenantA, "Ada", "+15551234567", "");
  contact.external_id = "crm-42";
  const auto stored = Put(contact);
  auto by_id = DecodeOk(
      Call(Opcode::kGet, BodyOf(&protocol::EncodeGetRequest,
                                protocol::GetRequest{kTenantA, stored.id})),
      &protocol::DecodeContactReply);
  EXPECT_EQ(by_id, stored);
  auto by_external = DecodeOk(
      Call(Opcode::kGetByExternalId,
           BodyOf(&protocol::EncodeGetByExternalIdRequest,
                  protocol::GetByExternalIdRequest{kTenantA, "crm-42"})),
      &protocol::DecodeContactReply);
  EXPECT_EQ(by_external, stored);
}

TEST_F(ProtocolTest, UpsertWithExistingExternalIdUpdates) {
  index::Contact contact = MakeContact(kTenantA, "Ada", "+15551234567", "");
  contact.external_id = "crm-7";
  const auto first = Put(contact);
  contact.company = "Analytical Engines";
  const auto reply = Call(Opcode::kUpsert,
                          BodyOf(&protocol::EncodeUpsertRequest,
                                 protocol::UpsertRequest{.contact = contact}));
  const auto second = DecodeOk(reply, &protocol::DecodeUpsertReply);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.contact.id, first.id);
  EXPECT_EQ(second.contact.company, "Analytical Engines");
}

TEST_F(ProtocolTest, InvalidContactGetsTheValidationReason) {
  index::Contact contact = MakeContact(kTenantA, "Ada", "+15551234567", "");
  contact.first_name = std::string(101, 'x');
  const auto reply = Call(Opcode::kUpsert,
                          BodyOf(&protocol::EncodeUpsertRequest,
                                 protocol::UpsertRequest{.contact = contact}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kInvalidArgument);
  EXPECT_EQ(reply->prefix().reason, index::Reason::kFieldTooLong);
}

TEST_F(ProtocolTest, DeleteRemovesTheContact) {
  const auto stored = Put(MakeContact(kTenantA, "Ada", "+15551234567", ""));
  auto deleted =
      DecodeOk(Call(Opcode::kDelete,
                    BodyOf(&protocol::EncodeDeleteRequest,
                           protocol::DeleteRequest{kTenantA, stored.id})),
               &protocol::DecodeContactReply);
  EXPECT_EQ(deleted.id, stored.id);
  const auto lookup =
      Call(Opcode::kLookupPhone, LookupBody(kTenantA, "+15551234567"));
  ASSERT_TRUE(lookup);
  EXPECT_EQ(lookup->prefix().status, WireStatus::kNotFound);
}

TEST_F(ProtocolTest, PartialMutationsChangeOnePart) {
  const auto stored = Put(MakeContact(kTenantA, "Ada", "+15551234567", ""));
  using protocol::DecodeContactReply;
  index::FieldUpdate fields;
  fields.company = "Babbage & Co";
  auto c = DecodeOk(
      Call(Opcode::kUpdateFields,
           BodyOf(&protocol::EncodeUpdateFieldsRequest,
                  protocol::UpdateFieldsRequest{kTenantA, stored.id, fields})),
      &DecodeContactReply);
  EXPECT_EQ(c.company, "Babbage & Co");

  c = DecodeOk(
      Call(Opcode::kAddPhone,
           BodyOf(&protocol::EncodeAddPhoneRequest,
                  protocol::AddPhoneRequest{kTenantA,
                                            stored.id,
                                            {.number = "020 7946 0018",
                                             .type = index::PhoneType::kWork},
                                            "GB"})),
      &DecodeContactReply);
  ASSERT_EQ(c.phone_numbers.size(), 2u);
  EXPECT_EQ(c.phone_numbers[1].number_e164, "+442079460018");
  const index::Uuid work_phone = c.phone_numbers[1].id;

  index::PhoneUpdate phone_update;
  phone_update.is_primary = true;
  c = DecodeOk(
      Call(Opcode::kUpdatePhone,
           BodyOf(&protocol::EncodeUpdatePhoneRequest,
                  protocol::UpdatePhoneRequest{kTenantA, stored.id, work_phone,
                                               phone_update, ""})),
      &DecodeContactReply);
  EXPECT_TRUE(c.phone_numbers[1].is_primary);

  c = DecodeOk(
      Call(Opcode::kRemovePhone, BodyOf(&protocol::EncodeRemovePhoneRequest,
                                        protocol::RemovePhoneRequest{
                                            kTenantA, stored.id, work_phone})),
      &DecodeContactReply);
  EXPECT_EQ(c.phone_numbers.size(), 1u);

  c = DecodeOk(
      Call(Opcode::kAddEmail,
           BodyOf(&protocol::EncodeAddEmailRequest,
                  protocol::AddEmailRequest{
                      kTenantA, stored.id, {.address = "Ada@Example.com"}})),
      &DecodeContactReply);
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0].address, "ada@example.com");
  const index::Uuid email_id = c.emails[0].id;

  index::EmailUpdate email_update;
  email_update.type = index::EmailType::kPersonal;
  c = DecodeOk(Call(Opcode::kUpdateEmail,
                    BodyOf(&protocol::EncodeUpdateEmailRequest,
                           protocol::UpdateEmailRequest{
                               kTenantA, stored.id, email_id, email_update})),
               &DecodeContactReply);
  EXPECT_EQ(c.emails[0].type, index::EmailType::kPersonal);

  c = DecodeOk(
      Call(Opcode::kRemoveEmail,
           BodyOf(&protocol::EncodeRemoveEmailRequest,
                  protocol::RemoveEmailRequest{kTenantA, stored.id, email_id})),
      &DecodeContactReply);
  EXPECT_TRUE(c.emails.empty());

  c = DecodeOk(Call(Opcode::kAddTag, BodyOf(&protocol::EncodeAddTagRequest,
                                            protocol::AddTagRequest{
                                                kTenantA, stored.id, "gold"})),
               &DecodeContactReply);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"vip", "gold"}));
  c = DecodeOk(
      Call(Opcode::kRemoveTag,
           BodyOf(&protocol::EncodeRemoveTagRequest,
                  protocol::RemoveTagRequest{kTenantA, stored.id, "vip"})),
      &DecodeContactReply);
  EXPECT_EQ(c.tags, std::vector<std::string>{"gold"});
}

TEST_F(ProtocolTest, MutationOfMissingContactIsNotFound) {
  const auto reply = Call(
      Opcode::kAddTag,
      BodyOf(&protocol::EncodeAddTagRequest,
             protocol::AddTagRequest{kTenantA, index::Uuid::Random(), "x"}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kNotFound);
  EXPECT_EQ(reply->prefix().reason, index::Reason::kContactNotFound);
}

TEST_F(ProtocolTest, ListByTagPagesInIdOrder) {
  for (int i = 0; i < 5; ++i) {
    Put(MakeContact(kTenantA, "P" + std::to_string(i),
                    "+1555000000" + std::to_string(i), ""));
  }
  protocol::ListByTagRequest request{kTenantA, "vip", index::Uuid(), 2};
  std::vector<index::Uuid> seen;
  for (int page = 0; page < 3; ++page) {
    auto reply =
        DecodeOk(Call(Opcode::kListByTag,
                      BodyOf(&protocol::EncodeListByTagRequest, request)),
                 &protocol::DecodeListByTagReply);
    EXPECT_EQ(reply.total, 5u);
    for (const auto& c : reply.contacts) seen.push_back(c.id);
    EXPECT_EQ(reply.has_more, page < 2);
    request.after = reply.next_after;
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(ProtocolTest, StatsCountsContactsAndRequests) {
  Put(MakeContact(kTenantA, "Ada", "+15551234567", ""));
  auto stats = DecodeOk(Call(Opcode::kStats, ""), &protocol::DecodeStatsReply);
  auto value = [&](std::string_view name) -> int64_t {
    for (const auto& c : stats.counters) {
      if (c.name == name) return static_cast<int64_t>(c.value);
    }
    return -1;
  };
  EXPECT_EQ(value("contacts"), 1);
  EXPECT_GE(value("requests"), 2);
  EXPECT_EQ(value("connections_active"), 1);
}

}  // namespace
}  // namespace contactd::testing
