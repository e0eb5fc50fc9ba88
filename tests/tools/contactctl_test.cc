// Runs the built contactctl binary and checks its stdout, stderr and exit
// code.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/run_program.h"

namespace contactd::tools {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// Runs the built contactctl with `args`.
contactd::testing::ProgramResult RunContactctl(std::vector<std::string> args) {
  args.insert(args.begin(), CONTACTCTL_PATH);
  return contactd::testing::RunProgram(args);
}

TEST(ContactctlNormalizeTest, PhoneInNationalFormat) {
  const contactd::testing::ProgramResult r = RunContactctl(
      {"normalize", "--phone", "(555) 123-4567", "--region", "US"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+15551234567\n");
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(ContactctlNormalizeTest, RegionDefaultsToUs) {
  const contactd::testing::ProgramResult r =
      RunContactctl({"normalize", "--phone", "(555) 123-4567"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+15551234567\n");
}

TEST(ContactctlNormalizeTest, PhoneWithOtherRegion) {
  const contactd::testing::ProgramResult r = RunContactctl(
      {"normalize", "--phone", "020 7946 0018", "--region", "GB"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+442079460018\n");
}

TEST(ContactctlNormalizeTest, InvalidPhoneExitsTwo) {
  const contactd::testing::ProgramResult r =
      RunContactctl({"normalize", "--phone", "anonymous"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "contactctl: INVALID_PHONE: 'anonymous' is not a phone number\n");
}

TEST(ContactctlNormalizeTest, InvalidRegionExitsTwo) {
  const contactd::testing::ProgramResult r = RunContactctl(
      {"normalize", "--phone", "(555) 123-4567", "--region", "XX"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: INVALID_REGION: "));
}

TEST(ContactctlNormalizeTest, Email) {
  const contactd::testing::ProgramResult r =
      RunContactctl({"normalize", "--email", "  John@Example.COM "});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "john@example.com\n");
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(ContactctlNormalizeTest, InvalidEmailExitsTwo) {
  const contactd::testing::ProgramResult r =
      RunContactctl({"normalize", "--email", "john"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: INVALID_EMAIL: "));
}

TEST(ContactctlNormalizeTest, PhoneAndEmailTogetherIsUsageError) {
  const contactd::testing::ProgramResult r = RunContactctl(
      {"normalize", "--phone", "+15551234567", "--email", "a@b.com"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: USAGE: "));
}

TEST(ContactctlNormalizeTest, NeitherPhoneNorEmailIsUsageError) {
  const contactd::testing::ProgramResult r =
      RunContactctl({"normalize", "--region", "US"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("contactctl: USAGE: "));
}

TEST(ContactctlNormalizeTest, UnknownFlagIsUsageError) {
  const contactd::testing::ProgramResult r =
      RunContactctl({"normalize", "--phone", "+15551234567", "--fax", "1"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ContactctlNormalizeTest, HelpListsExitCodes) {
  const contactd::testing::ProgramResult r =
      RunContactctl({"normalize", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--phone"));
  EXPECT_THAT(r.out, HasSubstr("Exit codes"));
}

TEST(ContactctlTest, NoSubcommandIsUsageError) {
  const contactd::testing::ProgramResult r = RunContactctl({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("contactctl: USAGE: "));
}

TEST(ContactctlTest, UnknownSubcommandIsUsageError) {
  const contactd::testing::ProgramResult r = RunContactctl({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ContactctlTest, HelpListsSubcommandsAndExitCodes) {
  const contactd::testing::ProgramResult r = RunContactctl({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("normalize"));
  EXPECT_THAT(r.out, HasSubstr("Exit codes"));
}

}  // namespace
}  // namespace contactd::tools
