#include "tests/integration/protocol_test_support.h"

namespace contactd::testing {

index::Contact MakeContact(const index::Uuid& tenant, const std::string& name,
                           const std::string& phone, const std::string& email) {
  index::Contact contact;
  contact.customer_id = tenant;
  contact.first_name = name;
  contact.last_name = "Tester";
  contact.display_name = name + " Tester";
  contact.company = "Acme";
  contact.tags = {"vip"};
  if (!phone.empty()) {
    contact.phone_numbers.push_back(
        {.number = phone, .type = index::PhoneType::kMobile});
  }
  if (!email.empty()) {
    contact.emails.push_back(
        {.address = email, .type = index::EmailType::kWork});
  }
  return contact;
}

std::string LookupBody(const index::Uuid& tenant, std::string_view input,
                       uint8_t flags, std::string_view region) {
  return BodyOf(&protocol::EncodeLookupRequest,
                protocol::LookupRequest{flags, tenant, input, region});
}

void ProtocolTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  server_ = ContactdProcess::Start(std::string(info->test_suite_name()) + "_" +
                                   info->name());
  ASSERT_TRUE(server_);
  connection_ = std::make_unique<WireConnection>(server_->port());
  ASSERT_TRUE(connection_->connected());
}

std::optional<ReceivedFrame> ProtocolTest::Call(protocol::Opcode opcode,
                                                std::string_view body) {
  const uint32_t id = next_id_++;
  auto reply = connection_->Call(opcode, id, body);
  if (reply) {
    EXPECT_EQ(reply->header.request_id, id);
    EXPECT_EQ(reply->header.opcode, opcode);
    EXPECT_TRUE(reply->header.is_response());
  }
  return reply;
}

index::Contact ProtocolTest::Put(const index::Contact& contact) {
  const auto reply = Call(protocol::Opcode::kUpsert,
                          BodyOf(&protocol::EncodeUpsertRequest,
                                 protocol::UpsertRequest{.contact = contact}));
  return DecodeOk(reply, &protocol::DecodeUpsertReply).contact;
}

}  // namespace contactd::testing
