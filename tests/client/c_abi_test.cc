// The C interface (libcontactd_client.so) against the real contactd: the
// C11 example program end to end, and the error reporting of the calls.

#include "client/contactd_client.h"

#include <cstring>
#include <string>

#include "client/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/run_program.h"
#include "tests/client/test_contactd.h"

namespace contactd::client {
namespace {

using ::contactd::testing::ProgramResult;
using ::contactd::testing::RunProgram;
using ::contactd::testing::TestContactd;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kTenant[] = "0b7e3f4c-9a2d-4c1e-8f00-1234567890ab";

class CAbiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = TestContactd::Start("c_abi_test");
    ASSERT_NE(server_, nullptr);
    ClientOptions options;
    options.server = server_->address();
    std::unique_ptr<Client> client = *Client::Create(options);
    index::Contact c;
    c.customer_id = *index::Uuid::Parse(kTenant);
    c.first_name = "Ada";
    c.display_name = "Ada Lovelace";
    c.company = "Acme Corp";
    c.tags = {"vip", "enterprise"};
    index::PhoneNumber phone;
    phone.number = "(555) 123-4567";
    phone.is_primary = true;
    c.phone_numbers.push_back(phone);
    index::Email email;
    email.address = "ada@acme.com";
    c.emails.push_back(email);
    absl::StatusOr<protocol::UpsertReply> stored = client->Upsert({c, ""});
    ASSERT_TRUE(stored.ok()) << stored.status();
    contact_id_ = stored->contact.id.ToString();
  }

  std::unique_ptr<TestContactd> server_;
  std::string contact_id_;
};

TEST_F(CAbiTest, ExampleFindsTheCaller) {
  const ProgramResult r = RunProgram(
      {LOOKUP_EXAMPLE_PATH, server_->address(), kTenant, "+15551234567"},
      {.unset_env = {"CONTACTD_TOKEN"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "display_name=Ada Lovelace\n"
            "company=Acme Corp\n"
            "contact_id=" +
                contact_id_ +
                "\n"
                "matches=1\n"
                "tags=vip,enterprise\n"
                "primary_phone=+15551234567 (mobile)\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CAbiTest, ExampleReportsAnUnknownCaller) {
  const ProgramResult r = RunProgram(
      {LOOKUP_EXAMPLE_PATH, server_->address(), kTenant, "+15550000000"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "not_found=+15550000000\n");
}

TEST_F(CAbiTest, ExampleReportsAnInvalidNumber) {
  const ProgramResult r = RunProgram(
      {LOOKUP_EXAMPLE_PATH, server_->address(), kTenant, "anonymous"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              StartsWith("lookup_example: INVALID_ARGUMENT INVALID_PHONE: "));
}

TEST_F(CAbiTest, ExampleReportsNoServer) {
  const std::string address = server_->address();
  server_->Kill();
  const ProgramResult r =
      RunProgram({LOOKUP_EXAMPLE_PATH, address, kTenant, "+15551234567"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("lookup_example: UNAVAILABLE : "));
}

TEST_F(CAbiTest, LookupEmailGetAndErrors) {
  contactd_error err;
  contactd_client* c =
      contactd_connect(server_->address().c_str(), nullptr, &err);
  ASSERT_NE(c, nullptr) << err.message;
  EXPECT_EQ(contactd_ping(c, &err), CONTACTD_OK);

  contactd_result r;
  ASSERT_EQ(contactd_lookup_email(c, kTenant, "ADA@acme.com", &r), CONTACTD_OK)
      << r.error.message;
  EXPECT_STREQ(r.contact.display_name, "Ada Lovelace");
  ASSERT_EQ(r.contact.email_count, 1u);
  EXPECT_STREQ(r.contact.emails[0].address, "ada@acme.com");
  EXPECT_STREQ(r.contact.emails[0].type, "work");
  EXPECT_STREQ(r.contact.source, "manual");
  EXPECT_GT(r.contact.tm_create_us, 0);
  contactd_result_free(&r);
  contactd_result_free(&r);  // twice is fine
  EXPECT_STREQ(r.contact.display_name, "");

  ASSERT_EQ(contactd_get(c, kTenant, contact_id_.c_str(), &r), CONTACTD_OK);
  EXPECT_STREQ(r.contact.id, contact_id_.c_str());
  EXPECT_EQ(r.contact.tag_count, 2u);
  contactd_result_free(&r);

  EXPECT_EQ(contactd_get(c, "not-a-uuid", contact_id_.c_str(), &r),
            CONTACTD_INVALID_ARGUMENT);
  EXPECT_STREQ(r.error.reason_name, "INVALID_ID");
  EXPECT_THAT(r.error.message, HasSubstr("tenant"));
  contactd_result_free(&r);

  EXPECT_EQ(contactd_get_by_external_id(c, kTenant, "nope", &r),
            CONTACTD_NOT_FOUND);
  EXPECT_STREQ(r.error.reason_name, "CONTACT_NOT_FOUND");
  EXPECT_STREQ(contactd_code_name(r.error.code), "NOT_FOUND");
  contactd_result_free(&r);

  EXPECT_EQ(
      contactd_lookup_phone(nullptr, kTenant, "+15551234567", nullptr, &r),
      CONTACTD_INVALID_ARGUMENT);
  contactd_result_free(&r);
  contactd_close(c);
}

TEST_F(CAbiTest, ConnectFailureReturnsNullWithTheError) {
  contactd_error err;
  EXPECT_EQ(contactd_connect("no-port", nullptr, &err), nullptr);
  EXPECT_EQ(err.code, CONTACTD_INVALID_ARGUMENT);
  const std::string address = server_->address();
  server_->Kill();
  EXPECT_EQ(contactd_connect(address.c_str(), nullptr, &err), nullptr);
  EXPECT_EQ(err.code, CONTACTD_UNAVAILABLE);
  EXPECT_THAT(err.message, HasSubstr(address));
  EXPECT_EQ(contactd_connect(address.c_str(), nullptr, nullptr), nullptr);
  EXPECT_STREQ(contactd_code_name(99), "UNKNOWN");
}

}  // namespace
}  // namespace contactd::client
