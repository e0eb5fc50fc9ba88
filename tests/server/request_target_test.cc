#include "server/http/request_target.h"

#include "gtest/gtest.h"

namespace contactd::server::http {
namespace {

TEST(RequestTargetTest, SplitsPathAndDecodesQuery) {
  auto target = ParseRequestTarget(
      "/v1/contacts/lookup?phone=%2B44+20+7946+0018&region=GB&all");
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->path, "/v1/contacts/lookup");
  EXPECT_EQ(target->Query("phone"), "+44 20 7946 0018");
  EXPECT_EQ(target->Query("region"), "GB");
  EXPECT_EQ(target->Query("all"), "");  // present without a value
  EXPECT_FALSE(target->Query("email").has_value());
}

TEST(RequestTargetTest, FirstValueWins) {
  auto target = ParseRequestTarget("/x?tag=a&tag=b");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->Query("tag"), "a");
}

TEST(RequestTargetTest, PathStaysRaw) {
  auto target = ParseRequestTarget("/v1/contacts/x/tags/a%2Fb");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->path, "/v1/contacts/x/tags/a%2Fb");
  EXPECT_EQ(*DecodePathSegment("a%2Fb"), "a/b");
  EXPECT_EQ(*DecodePathSegment("vip+gold"), "vip+gold");  // '+' is literal
}

TEST(RequestTargetTest, RejectsBadEscapesAndNonOriginForm) {
  EXPECT_FALSE(ParseRequestTarget("/x?a=%zz").ok());
  EXPECT_FALSE(ParseRequestTarget("/x?a=%4").ok());
  EXPECT_FALSE(ParseRequestTarget("http://host/x").ok());
  EXPECT_FALSE(ParseRequestTarget("").ok());
  EXPECT_FALSE(DecodePathSegment("%").ok());
}

}  // namespace
}  // namespace contactd::server::http
