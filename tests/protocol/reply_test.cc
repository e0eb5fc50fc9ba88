#include "protocol/reply.h"

#include <gtest/gtest.h>

#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;

TEST(ReplyTest, OkPrefixIsFiveZeroBytes) {
  std::string out;
  EncodeOkPrefix(out);
  EXPECT_EQ(out, std::string(5, '\0'));
}

TEST(ReplyTest, ErrorReplyRoundTripsToAStatusWithItsReason) {
  std::string out;
  EncodeErrorReply(out, index::InvalidArgument(index::Reason::kInvalidPhone,
                                               "not a number"));
  ReplyPrefix prefix;
  ASSERT_TRUE(DecodeReplyPrefix(Bytes(out), prefix).ok());
  EXPECT_EQ(prefix.status, WireStatus::kInvalidArgument);
  EXPECT_EQ(prefix.reason, index::Reason::kInvalidPhone);
  EXPECT_EQ(prefix.message, "not a number");
  const absl::Status s = ReplyStatus(prefix);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index::ReasonOf(s), index::Reason::kInvalidPhone);
}

TEST(ReplyTest, OkPayloadReturnsTheBytesAfterThePrefix) {
  std::string out;
  EncodeOkPrefix(out);
  out += "payload";
  auto payload = OkPayload(Bytes(out));
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(std::string(payload->begin(), payload->end()), "payload");
}

TEST(ReplyTest, OkPayloadReturnsTheServersError) {
  std::string out;
  EncodeErrorReply(out, WireStatus::kNotFound, index::Reason::kContactNotFound,
                   "");
  EXPECT_EQ(OkPayload(Bytes(out)).status().code(), absl::StatusCode::kNotFound);
}

TEST(ReplyTest, ErrorReplyWithAPayloadIsMalformed) {
  std::string out;
  EncodeErrorReply(out, WireStatus::kBusy, index::Reason::kNone, "later");
  out += "x";
  ReplyPrefix prefix;
  EXPECT_EQ(DecodeReplyPrefix(Bytes(out), prefix).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReplyTest, TruncatedPrefixIsAnErrorAtEveryLength) {
  std::string out;
  EncodeErrorReply(out, WireStatus::kBusy, index::Reason::kNone, "later");
  for (size_t n = 0; n < out.size(); ++n) {
    ReplyPrefix prefix;
    EXPECT_FALSE(DecodeReplyPrefix(Bytes(out).first(n), prefix).ok()) << n;
  }
}

TEST(ReplyTest, LongErrorMessageIsCut) {
  std::string out;
  EncodeErrorReply(out, WireStatus::kInternal, index::Reason::kNone,
                   std::string(5000, 'm'));
  ReplyPrefix prefix;
  ASSERT_TRUE(DecodeReplyPrefix(Bytes(out), prefix).ok());
  EXPECT_EQ(prefix.message.size(), kMaxErrorMessageBytes);
}

TEST(ReplyTest, UnknownStatusFromANewerServerIsNotOk) {
  const std::string out("\x40\x00\x00\x00\x00", 5);
  ReplyPrefix prefix;
  ASSERT_TRUE(DecodeReplyPrefix(Bytes(out), prefix).ok());
  EXPECT_FALSE(ReplyStatus(prefix).ok());
}

}  // namespace
}  // namespace contactd::protocol
