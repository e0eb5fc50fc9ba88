#include "server/http/router.h"

#include "gtest/gtest.h"

namespace contactd::server::http {
namespace {

using beast_http::verb;

void Noop(const ApiContext&, Call&) {}

constexpr Route kRoutes[] = {
    {verb::get, "/v1/contacts/lookup", 0, true, false, &Noop},
    {verb::get, "/v1/contacts/{}", 0, true, false, &Noop},
    {verb::delete_, "/v1/contacts/{}", 0, true, false, &Noop},
    {verb::delete_, "/v1/contacts/{}/tags/{}", 0, true, false, &Noop},
};

TEST(RouterTest, FirstMatchingRouteWinsAndCapturesAreDecoded) {
  auto lookup = MatchRoute(kRoutes, verb::get, "/v1/contacts/lookup");
  ASSERT_TRUE(lookup.ok());
  EXPECT_EQ(lookup->route, &kRoutes[0]);
  auto tag =
      MatchRoute(kRoutes, verb::delete_, "/v1/contacts/abc/tags/vip%20gold");
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->route, &kRoutes[3]);
  EXPECT_EQ(tag->params, (std::vector<std::string>{"abc", "vip gold"}));
}

TEST(RouterTest, WrongMethodListsTheAllowedOnes) {
  auto match = MatchRoute(kRoutes, verb::post, "/v1/contacts/abc");
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(match->route, nullptr);
  EXPECT_EQ(match->allow, "GET, DELETE");
}

TEST(RouterTest, ALiteralPathIsNotAlsoACapture) {
  auto match = MatchRoute(kRoutes, verb::delete_, "/v1/contacts/lookup");
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(match->route, nullptr);
  EXPECT_EQ(match->allow, "GET");
}

TEST(RouterTest, UnknownPathAndEmptySegmentsMatchNothing) {
  for (const char* path : {"/v2/contacts", "/v1/contacts/",
                           "/v1/contacts//tags/x", "/v1/contacts/a/b"}) {
    auto match = MatchRoute(kRoutes, verb::get, path);
    ASSERT_TRUE(match.ok()) << path;
    EXPECT_EQ(match->route, nullptr) << path;
    EXPECT_EQ(match->allow, "") << path;
  }
}

TEST(RouterTest, BadEscapeInACapturedSegmentIsAnError) {
  EXPECT_FALSE(MatchRoute(kRoutes, verb::get, "/v1/contacts/%zz").ok());
}

}  // namespace
}  // namespace contactd::server::http
