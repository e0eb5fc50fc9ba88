#include "server/access_token.h"

#include "gtest/gtest.h"

namespace contactd::server {
namespace {

constexpr char kTenant[] = "0b7e3f4c-9a2d-4c1e-8f00-1234567890ab";

TEST(TokenTableTest, ParsesScopesTenantsAndComments) {
  const auto table = TokenTable::Parse(
      "# token scopes tenant\n"
      "\n"
      "edge-7f3a9c2e41d8b6a0 lookup " +
          std::string(kTenant) +
          "   # the edge nodes\n"
          "crm-sync-19d0e4b7a3c6\tlookup,write,admin\t*\n",
      "tokens");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);

  const auto edge = table->Authenticate("edge-7f3a9c2e41d8b6a0");
  ASSERT_TRUE(edge);
  EXPECT_EQ(edge->scopes, protocol::kScopeLookup);
  EXPECT_TRUE(edge->AllowsTenant(*index::Uuid::Parse(kTenant)));
  EXPECT_FALSE(edge->AllowsTenant(index::Uuid::Random()));

  const auto crm = table->Authenticate("crm-sync-19d0e4b7a3c6");
  ASSERT_TRUE(crm);
  EXPECT_TRUE(crm->Has(protocol::kScopeWrite));
  EXPECT_TRUE(crm->AllowsTenant(index::Uuid::Random()));
}

TEST(TokenTableTest, UnknownAndPrefixTokensAreRejected) {
  const auto table = TokenTable::Parse("edge-7f3a9c2e41d8b6a0 lookup *", "t");
  ASSERT_TRUE(table.ok());
  EXPECT_FALSE(table->Authenticate(""));
  EXPECT_FALSE(table->Authenticate("edge-7f3a9c2e41d8b6a"));
  EXPECT_FALSE(table->Authenticate("edge-7f3a9c2e41d8b6a00"));
  EXPECT_FALSE(table->Authenticate("EDGE-7f3a9c2e41d8b6a0"));
}

void ExpectLineError(const std::string& text, const std::string& expected) {
  const auto table = TokenTable::Parse(text, "tokens.txt");
  ASSERT_FALSE(table.ok()) << text;
  EXPECT_NE(table.status().message().find(expected), std::string::npos)
      << table.status();
}

TEST(TokenTableTest, ShortTokenNamesTheLine) {
  ExpectLineError("# c\nshort lookup *\n", "tokens.txt:2:");
}

TEST(TokenTableTest, UnknownScopeIsAnError) {
  ExpectLineError("edge-7f3a9c2e41d8b6a0 lookup,root *",
                  "unknown scope 'root'");
}

TEST(TokenTableTest, BadTenantIsAnError) {
  ExpectLineError("edge-7f3a9c2e41d8b6a0 lookup tenant-1", "tokens.txt:1:");
}

TEST(TokenTableTest, MissingFieldIsAnError) {
  ExpectLineError("edge-7f3a9c2e41d8b6a0 lookup", "3 fields");
}

TEST(TokenTableTest, DuplicateTokenIsAnError) {
  ExpectLineError(
      "edge-7f3a9c2e41d8b6a0 lookup *\nedge-7f3a9c2e41d8b6a0 write *\n",
      "tokens.txt:2: duplicate token");
}

TEST(TokenTableTest, FileWithoutTokensIsAnError) {
  ExpectLineError("# nothing here\n", "no tokens");
}

TEST(TokenTableTest, MissingFileIsNotFound) {
  const auto table = TokenTable::Load("/nonexistent/contactd-tokens");
  EXPECT_TRUE(absl::IsNotFound(table.status()));
}

}  // namespace
}  // namespace contactd::server
