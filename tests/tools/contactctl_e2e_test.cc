// contactctl against the real contactd: put, lookup, get, list, delete,
// stats, exit codes, environment fallbacks and tenant-bound tokens.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/client/run_program.h"
#include "tests/client/test_contactd.h"

namespace contactd::tools {
namespace {

using ::contactd::testing::ProgramOptions;
using ::contactd::testing::ProgramResult;
using ::contactd::testing::RunProgram;
using ::contactd::testing::TestContactd;
using ::contactd::testing::WriteTempFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using Json = nlohmann::json;

constexpr char kTenant[] = "0b7e3f4c-9a2d-4c1e-8f00-1234567890ab";
constexpr char kOtherTenant[] = "5f1c0000-0000-4000-8000-000000000002";
constexpr char kAdminToken[] = "admin-token-0123456789abcdef";
constexpr char kEdgeToken[] = "edge-token-0123456789abcdef";

constexpr char kAda[] = R"({
  "first_name": "Ada", "last_name": "Lovelace", "display_name": "Ada L.",
  "company": "Acme Corp", "tags": ["vip", "enterprise"], "source": "sync",
  "external_id": "003Dn00000X1234",
  "phone_numbers": [{"number": "(555) 123-4567", "type": "mobile",
                     "is_primary": true}],
  "emails": [{"address": "Ada@Acme.com", "type": "work"}]
})";

// Parses stdout; a test failure (and null) when it is not one JSON document.
Json ParseOut(const ProgramResult& r) {
  Json j = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON: " << r.out;
  return j;
}

class ContactctlE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string tokens =
        WriteTempFile("contactctl_e2e_tokens.txt",
                      absl::StrCat(kAdminToken, " lookup,write,admin *\n",
                                   kEdgeToken, " lookup ", kTenant, "\n"));
    server_ = TestContactd::Start("contactctl_e2e", {"--tokens", tokens});
    ASSERT_NE(server_, nullptr);
  }

  // Runs contactctl with --server and the admin token from the
  // environment (unless `options` says otherwise).
  ProgramResult Run(std::vector<std::string> args,
                    ProgramOptions options = {}) {
    args.insert(args.begin(), CONTACTCTL_PATH);
    if (options.env.empty()) {
      options.env = {"CONTACTD_SERVER=" + server_->address(),
                     std::string("CONTACTD_TOKEN=") + kAdminToken};
    }
    return RunProgram(args, options);
  }

  // Puts Ada; returns her id.
  std::string PutAda() {
    const std::string file = WriteTempFile("ada.json", kAda);
    const ProgramResult r = Run({"put", "--tenant", kTenant, "--file", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const Json j = ParseOut(r);
    return j.is_object() ? j["contact"]["id"].get<std::string>() : "";
  }

  std::unique_ptr<TestContactd> server_;
};

TEST_F(ContactctlE2eTest, PutFromAFileThenLookupFound) {
  const std::string file = WriteTempFile("ada.json", kAda);
  ProgramResult r = Run({"put", "--tenant", kTenant, "--file", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = ParseOut(r);
  EXPECT_EQ(j["created"], true);
  EXPECT_EQ(j["contact"]["customer_id"], kTenant);
  EXPECT_EQ(j["contact"]["phone_numbers"][0]["number_e164"], "+15551234567");
  EXPECT_EQ(j["contact"]["emails"][0]["address"], "ada@acme.com");

  r = Run({"lookup", "--tenant", kTenant, "--phone", "+1 555 123 4567"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  j = ParseOut(r);
  EXPECT_EQ(j["match_count"], 1);
  const Json& contact = j["contacts"][0];
  EXPECT_EQ(contact["display_name"], "Ada L.");
  EXPECT_EQ(contact["source"], "sync");
  EXPECT_EQ(contact["tags"], Json::array({"vip", "enterprise"}));
  EXPECT_TRUE(contact["tm_create"].is_string());
  EXPECT_THAT(contact["tm_create"].get<std::string>(),
              ::testing::EndsWith("Z"));
}

TEST_F(ContactctlE2eTest, PutFromStdinAndLookupByEmailSummary) {
  ProgramResult r =
      RunProgram({CONTACTCTL_PATH, "put", "--tenant", kTenant},
                 {.env = {"CONTACTD_SERVER=" + server_->address(),
                          std::string("CONTACTD_TOKEN=") + kAdminToken},
                  .stdin_text = kAda});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"lookup", "--tenant", kTenant, "--email", "ADA@acme.com",
           "--summary", "--all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["summaries"][0]["company"], "Acme Corp");
  EXPECT_EQ(j["summaries"][0]["matched_type"], "work");
}

TEST_F(ContactctlE2eTest, LookupMissExitsOne) {
  const ProgramResult r =
      Run({"lookup", "--tenant", kTenant, "--phone", "+15550000000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: CONTACT_NOT_FOUND: "));
}

TEST_F(ContactctlE2eTest, GetByIdAndExternalIdThenDeleteThenMiss) {
  const std::string id = PutAda();
  ProgramResult r = Run({"get", "--tenant", kTenant, "--id", id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseOut(r)["first_name"], "Ada");
  r = Run({"get", "--tenant", kTenant, "--external-id", "003Dn00000X1234"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseOut(r)["id"], id);

  r = Run({"delete", "--tenant", kTenant, "--id", id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseOut(r)["id"], id);
  r = Run({"get", "--tenant", kTenant, "--id", id});
  EXPECT_EQ(r.exit_code, 1);
  r = Run({"delete", "--tenant", kTenant, "--id", id});
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(ContactctlE2eTest, ListPagesWithACursor) {
  const std::string id = PutAda();
  ProgramResult r = Run({"list", "--tenant", kTenant, "--tag", "vip"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = ParseOut(r);
  EXPECT_EQ(j["total"], 1);
  EXPECT_EQ(j["has_more"], false);
  EXPECT_EQ(j["contacts"][0]["id"], id);
  r = Run({"list", "--tenant", kTenant, "--after", id, "--limit", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ParseOut(r)["contacts"].empty());
}

TEST_F(ContactctlE2eTest, PingAndStats) {
  ProgramResult r = Run({"ping"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ParseOut(r)["server"].get<std::string>(), HasSubstr("contactd"));
  r = Run({"stats"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ParseOut(r).is_object());
}

TEST_F(ContactctlE2eTest, FlagsOverrideTheEnvironment) {
  // The environment names a dead server; --server and --token win.
  const ProgramResult r =
      RunProgram({CONTACTCTL_PATH, "--server", server_->address(), "--token",
                  kAdminToken, "ping"},
                 {.env = {"CONTACTD_SERVER=127.0.0.1:1",
                          "CONTACTD_TOKEN=wrong-token-0123456789"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ContactctlE2eTest, FlagsMayFollowTheSubcommand) {
  const ProgramResult r =
      RunProgram({CONTACTCTL_PATH, "ping", "--server", server_->address(),
                  "--token", kAdminToken},
                 {.unset_env = {"CONTACTD_SERVER", "CONTACTD_TOKEN"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ContactctlE2eTest, EnvironmentTokenIsUsed) {
  const ProgramResult r =
      Run({"ping"}, {.env = {"CONTACTD_SERVER=" + server_->address(),
                             "CONTACTD_TOKEN=wrong-token-0123456789"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("contactctl: UNAUTHENTICATED: "));
}

TEST_F(ContactctlE2eTest, TenantBoundTokenNeedsNoTenantFlag) {
  PutAda();
  const ProgramOptions edge{
      .env = {"CONTACTD_SERVER=" + server_->address(),
              std::string("CONTACTD_TOKEN=") + kEdgeToken}};
  ProgramResult r = Run({"lookup", "--phone", "+15551234567"}, edge);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseOut(r)["contacts"][0]["first_name"], "Ada");

  r = Run({"lookup", "--tenant", kOtherTenant, "--phone", "+15551234567"},
          edge);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("contactctl: PERMISSION_DENIED: "));

  r = Run({"put", "--tenant", kTenant}, {.env = edge.env, .stdin_text = kAda});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("contactctl: PERMISSION_DENIED: "));
}

TEST_F(ContactctlE2eTest, MissingTenantWithAnUnboundTokenIsUsageError) {
  const ProgramResult r = Run({"lookup", "--phone", "+15551234567"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--tenant is required"));
}

TEST_F(ContactctlE2eTest, BadInputsExitTwo) {
  EXPECT_EQ(Run({"lookup", "--tenant", kTenant}).exit_code, 2);  // no input
  EXPECT_EQ(
      Run({"lookup", "--tenant", kTenant, "--phone", "1", "--email", "a@b.c"})
          .exit_code,
      2);
  EXPECT_EQ(Run({"get", "--tenant", kTenant, "--id", "nope"}).exit_code, 2);
  EXPECT_EQ(Run({"delete", "--tenant", kTenant}).exit_code, 2);
  EXPECT_EQ(Run({"list", "--limit", "many"}).exit_code, 2);
  const ProgramResult bad_tenant =
      Run({"lookup", "--tenant", "acme", "--phone", "+15551234567"});
  EXPECT_EQ(bad_tenant.exit_code, 2);
  EXPECT_THAT(bad_tenant.err, StartsWith("contactctl: INVALID_ID: "));
  const ProgramResult bad_phone =
      Run({"lookup", "--tenant", kTenant, "--phone", "anonymous"});
  EXPECT_EQ(bad_phone.exit_code, 2);
  EXPECT_THAT(bad_phone.err, StartsWith("contactctl: INVALID_PHONE: "));
}

TEST_F(ContactctlE2eTest, BadJsonNamesTheField) {
  const std::string file = WriteTempFile(
      "bad.json",
      R"({"first_name": "A", "phone_numbers": [{"type": "cell"}]})");
  ProgramResult r = Run({"put", "--tenant", kTenant, "--file", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("contactctl: INVALID_ENUM: "));
  EXPECT_THAT(r.err, HasSubstr("phone_numbers[0].type"));
  r = Run({"put", "--tenant", kTenant, "--file", "/nonexistent/x.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot read"));
}

TEST(ContactctlNoServerTest, ConnectionErrorExitsTwo) {
  auto server = TestContactd::Start("contactctl_no_server");
  ASSERT_NE(server, nullptr);
  const std::string address = server->address();
  server->Kill();
  const ProgramResult r = RunProgram(
      {CONTACTCTL_PATH, "lookup", "--tenant", kTenant, "--phone", "+1555"},
      {.env = {"CONTACTD_SERVER=" + address}, .unset_env = {"CONTACTD_TOKEN"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("contactctl: UNAVAILABLE: "));
  EXPECT_THAT(r.out, IsEmpty());
}

}  // namespace
}  // namespace contactd::tools
