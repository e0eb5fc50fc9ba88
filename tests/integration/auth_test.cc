// Tokens, scopes and tenants on the binary port, and the start-up rule that
// refuses a non-loopback listener without tokens.

#include <fstream>

#include "gtest/gtest.h"
#include "protocol/hello_messages.h"
#include "tests/integration/protocol_test_support.h"

namespace contactd::testing {
namespace {

using namespace std::chrono_literals;
using protocol::Opcode;
using protocol::WireStatus;

constexpr char kAdminToken[] = "admin-token-0123456789abcdef";
constexpr char kTenantAToken[] = "tenant-a-lookup-0123456789";
constexpr char kLookupOnlyToken[] = "all-tenants-lookup-012345";

std::string HelloBody(const std::string& token) {
  return BodyOf(
      &protocol::EncodeHelloRequest,
      protocol::HelloRequest{.token = token, .client_name = "auth_test"});
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = FreshTempDir("auth_tokens");
    tokens_path_ = dir + "/tokens";
    std::ofstream(tokens_path_)
        << "# token scopes tenant\n"
        << kAdminToken << " lookup,write,admin *\n"
        << kTenantAToken << " lookup,write " << kTenantA.ToString() << "\n"
        << kLookupOnlyToken << " lookup *\n";
    server_ = ContactdProcess::Start("auth", {"--tokens", tokens_path_});
    ASSERT_TRUE(server_);
  }

  // A connection after HELLO with `token`.
  std::unique_ptr<WireConnection> Login(const std::string& token) {
    auto c = std::make_unique<WireConnection>(server_->port());
    auto reply = c->Call(Opcode::kHello, 1, HelloBody(token));
    EXPECT_TRUE(reply && reply->prefix().ok()) << token;
    return c;
  }

  std::string tokens_path_;
  std::unique_ptr<ContactdProcess> server_;
};

TEST_F(AuthTest, RequestBeforeHelloIsUnauthenticated) {
  WireConnection c(server_->port());
  const auto reply =
      c.Call(Opcode::kLookupPhone, 1, LookupBody(kTenantA, "+15551234567"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kUnauthenticated);
}

TEST_F(AuthTest, BadTokenIsUnauthenticatedAndClosed) {
  WireConnection c(server_->port());
  const auto reply = c.Call(Opcode::kHello, 9, HelloBody("wrong-token-000000"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.request_id, 9u);
  EXPECT_EQ(reply->prefix().status, WireStatus::kUnauthenticated);
  EXPECT_TRUE(c.WaitForClose());
}

TEST_F(AuthTest, HelloReportsTheGrant) {
  WireConnection c(server_->port());
  const auto reply = c.Call(Opcode::kHello, 1, HelloBody(kTenantAToken));
  const auto hello = DecodeOk(reply, &protocol::DecodeHelloReply);
  EXPECT_EQ(hello.scopes, protocol::kScopeLookup | protocol::kScopeWrite);
  EXPECT_EQ(hello.tenant, kTenantA);
}

TEST_F(AuthTest, TenantBoundTokenNeverSeesAnotherTenant) {
  auto admin = Login(kAdminToken);
  const auto put_b = admin->Call(
      Opcode::kUpsert, 2,
      BodyOf(&protocol::EncodeUpsertRequest,
             protocol::UpsertRequest{
                 .contact = MakeContact(kTenantB, "Bob", "+15551234567", "")}));
  ASSERT_TRUE(put_b && put_b->prefix().ok());

  auto tenant_a = Login(kTenantAToken);
  auto reply = tenant_a->Call(Opcode::kLookupPhone, 2,
                              LookupBody(kTenantB, "+15551234567"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kPermissionDenied);
  // Its own tenant has no such number: not found, not tenant B's contact.
  reply = tenant_a->Call(Opcode::kLookupPhone, 3,
                         LookupBody(kTenantA, "+15551234567"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kNotFound);
  // Nor may it write into tenant B.
  reply = tenant_a->Call(
      Opcode::kUpsert, 4,
      BodyOf(&protocol::EncodeUpsertRequest,
             protocol::UpsertRequest{
                 .contact = MakeContact(kTenantB, "Eve", "+15550000001", "")}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kPermissionDenied);
}

TEST_F(AuthTest, LookupScopeCannotWriteOrReadStats) {
  auto c = Login(kLookupOnlyToken);
  auto reply = c->Call(
      Opcode::kUpsert, 2,
      BodyOf(&protocol::EncodeUpsertRequest,
             protocol::UpsertRequest{
                 .contact = MakeContact(kTenantA, "Eve", "+15550000001", "")}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kPermissionDenied);
  reply = c->Call(Opcode::kStats, 3, "");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kPermissionDenied);
  reply =
      c->Call(Opcode::kLookupPhone, 4, LookupBody(kTenantB, "+15550000001"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kNotFound);
}

TEST(AuthStartupTest, NonLoopbackWithoutTokensRefusesToStart) {
  ChildProcess server({CONTACTD_PATH, "--listen", "0.0.0.0:0", "--http-listen",
                       "127.0.0.1:0", "--data-dir",
                       FreshTempDir("insecure_refused")});
  EXPECT_EQ(server.Wait(30s), 1);
  EXPECT_TRUE(server.WaitForStderrLine("--insecure", 10s))
      << server.stderr_text();
}

TEST(AuthStartupTest, NonLoopbackHttpWithoutTokensRefusesToStart) {
  ChildProcess server({CONTACTD_PATH, "--listen", "127.0.0.1:0",
                       "--http-listen", "0.0.0.0:0", "--data-dir",
                       FreshTempDir("insecure_http_refused")});
  EXPECT_EQ(server.Wait(30s), 1);
  EXPECT_TRUE(server.WaitForStderrLine("refusing to listen on 0.0.0.0:0", 10s))
      << server.stderr_text();
}

TEST(AuthStartupTest, InsecureAllowsNonLoopbackWithoutTokens) {
  ChildProcess server({CONTACTD_PATH, "--listen", "0.0.0.0:0", "--http-listen",
                       "127.0.0.1:0", "--data-dir",
                       FreshTempDir("insecure_allowed"), "--insecure"});
  EXPECT_TRUE(server.WaitForStderrLine("contactd ready", 30s))
      << server.stderr_text();
}

TEST(AuthStartupTest, MalformedTokensFileNamesTheLine) {
  const std::string dir = FreshTempDir("bad_tokens");
  std::ofstream(dir + "/tokens") << "# comment\nshort lookup *\n";
  ChildProcess server({CONTACTD_PATH, "--listen", "127.0.0.1:0",
                       "--http-listen", "127.0.0.1:0", "--data-dir", dir,
                       "--tokens", dir + "/tokens"});
  EXPECT_EQ(server.Wait(30s), 1);
  EXPECT_TRUE(server.WaitForStderrLine("tokens:2:", 10s))
      << server.stderr_text();
}

}  // namespace
}  // namespace contactd::testing
