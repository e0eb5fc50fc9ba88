#include "bench/harness/key_list.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "bench/harness/redis_keys.h"

namespace contactd::bench {
namespace {

const index::Uuid kTenant =
    *index::Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890ab");

TEST(RedisKeysTest, PhoneKeyIsTenantThenE164) {
  EXPECT_EQ(RedisPhoneKey(kTenant, "+14155550123"),
            "c:0b7e3f4c-9a2d-4c1e-8f00-1234567890ab:p:+14155550123");
}

TEST(RedisKeysTest, EmailKeyIsTenantThenAddress) {
  EXPECT_EQ(RedisEmailKey(kTenant, "ada@example.com"),
            "c:0b7e3f4c-9a2d-4c1e-8f00-1234567890ab:e:ada@example.com");
}

TEST(KeyListTest, LineRoundTrips) {
  const LookupKey key{.kind = KeyKind::kPhone,
                      .hit = false,
                      .tenant = kTenant,
                      .input = "020 7946 0018",
                      .region = "GB",
                      .redis_key = RedisPhoneKey(kTenant, "+442079460018")};
  const std::string line = FormatKeyLine(key);
  EXPECT_EQ(line,
            "phone\tmiss\t0b7e3f4c-9a2d-4c1e-8f00-1234567890ab\t020 7946 "
            "0018\tGB\tc:0b7e3f4c-9a2d-4c1e-8f00-1234567890ab:p:+442079460018");
  absl::StatusOr<LookupKey> parsed = ParseKeyLine(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, key);
}

TEST(KeyListTest, NoRegionIsADash) {
  const LookupKey key{.kind = KeyKind::kEmail,
                      .tenant = kTenant,
                      .input = "Ada@Example.com",
                      .redis_key = RedisEmailKey(kTenant, "ada@example.com")};
  EXPECT_NE(FormatKeyLine(key).find("\t-\t"), std::string::npos);
  EXPECT_EQ(*ParseKeyLine(FormatKeyLine(key)), key);
}

TEST(KeyListTest, BadLinesAreErrors) {
  EXPECT_FALSE(ParseKeyLine("phone\thit").ok());
  EXPECT_FALSE(ParseKeyLine("fax\thit\t0b7e3f4c-9a2d-4c1e-8f00-1234567890ab"
                            "\t1\t-\tk")
                   .ok());
  EXPECT_FALSE(ParseKeyLine("phone\tmaybe\t0b7e3f4c-9a2d-4c1e-8f00-"
                            "1234567890ab\t1\t-\tk")
                   .ok());
  EXPECT_FALSE(ParseKeyLine("phone\thit\tnot-a-uuid\t1\t-\tk").ok());
  EXPECT_FALSE(ParseKeyLine("phone\thit\t0b7e3f4c-9a2d-4c1e-8f00-1234567890ab"
                            "\t\t-\tk")
                   .ok());
}

TEST(KeyListTest, FileRoundTripsAndNamesTheBadLine) {
  const std::string path =
      (std::filesystem::temp_directory_path() /
       ("key_list_test_" + std::to_string(::getpid()) + ".tsv"))
          .string();
  std::vector<LookupKey> keys = {
      {.tenant = kTenant, .input = "+1", .redis_key = "a"},
      {.kind = KeyKind::kEmail,
       .hit = false,
       .tenant = kTenant,
       .input = "x@y",
       .redis_key = "b"}};
  ASSERT_TRUE(WriteKeyList(path, keys).ok());
  absl::StatusOr<std::vector<LookupKey>> read = ReadKeyList(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, keys);
  {
    std::FILE* f = std::fopen(path.c_str(), "a");
    std::fputs("garbage\n", f);
    std::fclose(f);
  }
  read = ReadKeyList(path);
  EXPECT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find(":4:"), std::string::npos)
      << read.status();
  std::filesystem::remove(path);
  EXPECT_EQ(ReadKeyList(path).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace contactd::bench
