#include "protocol/wire_reader.h"

#include <gtest/gtest.h>

#include "protocol/wire_writer.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;

TEST(WireReaderTest, ReadsWhatTheWriterWrote) {
  std::string out;
  PutU8(out, 0xAB);
  PutU16(out, 0x1234);
  PutU32(out, 0xDEADBEEF);
  PutU64(out, 0x0102030405060708);
  PutI64(out, -5);
  PutUuid(out, testing::TestTenant());
  PutString(out, "text");
  PutTime(out, absl::InfinitePast());
  WireReader r(Bytes(out), "test");
  EXPECT_EQ(r.U8("a"), 0xAB);
  EXPECT_EQ(r.U16("b"), 0x1234);
  EXPECT_EQ(r.U32("c"), 0xDEADBEEFu);
  EXPECT_EQ(r.U64("d"), 0x0102030405060708u);
  EXPECT_EQ(r.I64("e"), -5);
  EXPECT_EQ(r.Uuid("f"), testing::TestTenant());
  EXPECT_EQ(r.String("g"), "text");
  EXPECT_EQ(r.Time("h"), absl::InfinitePast());
  EXPECT_TRUE(r.Finish().ok());
}

TEST(WireReaderTest, TruncationIsStickyAndNamesTheField) {
  const std::string data(
      "\x05\x00"
      "ab",
      4);
  WireReader r(Bytes(data), "MSG");
  EXPECT_EQ(r.String("name"), "");
  EXPECT_EQ(r.U8("later"), 0);
  const absl::Status s = r.Finish();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "MSG: name: truncated (needs 5 bytes, 2 remain)");
}

TEST(WireReaderTest, TrailingBytesAreAnError) {
  const std::string data = "\x01\x02";
  WireReader r(Bytes(data), "MSG");
  r.U8("a");
  EXPECT_EQ(r.Finish().message(), "MSG: 1 trailing bytes after the body");
}

TEST(WireReaderTest, CountBeyondTheLimitIsAnError) {
  std::string data;
  PutU16(data, 11);
  data.append(100, '\0');
  WireReader r(Bytes(data), "MSG");
  EXPECT_EQ(r.Count("items", 10, 1), 0);
  EXPECT_FALSE(r.ok());
}

TEST(WireReaderTest, CountLargerThanTheRemainingBytesIsAnError) {
  std::string data;
  PutU16(data, 5);
  data.append(9, '\0');
  WireReader r(Bytes(data), "MSG");
  EXPECT_EQ(r.Count("items", 100, 2), 0);
  EXPECT_FALSE(r.ok());
}

TEST(WireReaderTest, BoolOtherThanZeroOrOneIsAnError) {
  const std::string data = "\x02";
  WireReader r(Bytes(data), "MSG");
  r.Bool("flag");
  EXPECT_FALSE(r.ok());
}

TEST(WireReaderTest, StringsAreViewsIntoTheBody) {
  std::string data;
  PutString(data, "view");
  WireReader r(Bytes(data), "MSG");
  const std::string_view v = r.String("s");
  EXPECT_EQ(v.data(), data.data() + 2);
}

TEST(WireWriterTest, OverlongStringIsCutToTheWireMaximum) {
  std::string out;
  PutString(out, std::string(kMaxWireString + 10, 'x'));
  EXPECT_EQ(out.size(), 2 + kMaxWireString);
}

TEST(WireWriterTest, TimesRoundTripInMicroseconds) {
  const absl::Time t = absl::FromUnixMicros(-123456789);
  EXPECT_EQ(TimeFromWire(TimeToWire(t)), t);
  EXPECT_EQ(TimeToWire(absl::InfinitePast()), kUnsetTime);
}

}  // namespace
}  // namespace contactd::protocol
