// The targets' reply parsers on canned bytes: contactd frames and RESP.

#include <gtest/gtest.h>

#include "bench/harness/contactd_target.h"
#include "bench/harness/echo_target.h"
#include "bench/harness/redis_target.h"
#include "protocol/frame.h"
#include "protocol/reply.h"

namespace contactd::bench {
namespace {

std::string ReplyFrame(protocol::Opcode opcode, uint32_t id,
                       protocol::WireStatus status) {
  std::string out;
  const size_t start =
      protocol::BeginFrame(out, opcode, id, protocol::kFlagResponse);
  if (status == protocol::WireStatus::kOk) {
    protocol::EncodeOkPrefix(out);
    out.append("payload");
  } else {
    protocol::EncodeErrorReply(out, status, index::Reason::kNone, "no");
  }
  protocol::EndFrame(out, start);
  return out;
}

TEST(ContactdReplyParserTest, ClassifiesByStatusAndMatchesById) {
  const Workload workload;
  auto target = ContactdTarget::Create(workload, {});
  auto parser = target->NewParser();
  const std::string bytes =
      ReplyFrame(protocol::Opcode::kLookupPhone, 7, protocol::WireStatus::kOk) +
      ReplyFrame(protocol::Opcode::kLookupEmail, 3,
                 protocol::WireStatus::kNotFound) +
      ReplyFrame(protocol::Opcode::kUpsert, 9, protocol::WireStatus::kOk) +
      ReplyFrame(protocol::Opcode::kLookupPhone, 4,
                 protocol::WireStatus::kBusy);
  std::vector<ParsedReply> replies;
  // Everything but the last byte: three replies, the fourth incomplete.
  absl::StatusOr<size_t> used = parser->Parse(
      std::string_view(bytes).substr(0, bytes.size() - 1), replies);
  ASSERT_TRUE(used.ok());
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].seq, 7u);
  EXPECT_TRUE(replies[0].has_seq);
  EXPECT_EQ(replies[0].outcome, ReplyOutcome::kHit);
  EXPECT_EQ(replies[1].seq, 3u);
  EXPECT_EQ(replies[1].outcome, ReplyOutcome::kMiss);
  EXPECT_EQ(replies[2].outcome, ReplyOutcome::kWritten);
  replies.clear();
  used = parser->Parse(std::string_view(bytes).substr(*used), replies);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].outcome, ReplyOutcome::kError);
}

TEST(ContactdReplyParserTest, BadMagicBreaksTheStream) {
  const Workload workload;
  auto parser = ContactdTarget::Create(workload, {})->NewParser();
  std::vector<ParsedReply> replies;
  EXPECT_FALSE(parser->Parse("XXXXXXXXXXXXXXXXXXXX", replies).ok());
}

TEST(ContactdTargetTest, RequestCarriesTheSeqAsRequestId) {
  Workload workload;
  workload.keys.push_back(
      {.tenant = *index::Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890ab"),
       .input = "+15551234567",
       .redis_key = "k"});
  auto target = ContactdTarget::Create(workload, {.summary = true});
  std::string out;
  target->AppendRequest(out, {OpKind::kLookup, 0}, 0x01020304);
  ASSERT_EQ(out.size(), 49u);  // docs/protocol.md's worked example's size
  const auto d = protocol::DecodeFrame(
      {reinterpret_cast<const uint8_t*>(out.data()), out.size()});
  ASSERT_EQ(d.result, protocol::DecodeResult::kFrame);
  EXPECT_EQ(d.header.request_id, 0x01020304u);
  EXPECT_EQ(d.header.opcode, protocol::Opcode::kLookupPhone);
  EXPECT_EQ(d.body[0], 1);  // SUMMARY
}

TEST(RedisReplyParserTest, ClassifiesRespRepliesInOrder) {
  const Workload workload;
  auto parser = (*RedisTarget::Create(workload))->NewParser();
  std::vector<ParsedReply> replies;
  const std::string bytes =
      "$3\r\nabc\r\n$-1\r\n+OK\r\n-ERR wrong\r\n$10\r\n01";
  ASSERT_TRUE(parser->Parse(bytes, replies).ok());
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_FALSE(replies[0].has_seq);
  EXPECT_EQ(replies[0].outcome, ReplyOutcome::kHit);
  EXPECT_EQ(replies[1].outcome, ReplyOutcome::kMiss);
  EXPECT_EQ(replies[2].outcome, ReplyOutcome::kWritten);
  EXPECT_EQ(replies[3].outcome, ReplyOutcome::kError);
  replies.clear();
  ASSERT_TRUE(parser->Parse("23456789\r\n", replies).ok());  // the rest
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].outcome, ReplyOutcome::kHit);
}

TEST(RedisReplyParserTest, ProtocolErrorBreaksTheStream) {
  const Workload workload;
  auto parser = (*RedisTarget::Create(workload))->NewParser();
  std::vector<ParsedReply> replies;
  EXPECT_FALSE(parser->Parse("?what\r\n", replies).ok());
}

TEST(RedisTargetTest, LookupIsGetOfTheRedisKeyAndWriteIsMset) {
  Workload workload;
  workload.keys.push_back({.input = "+1", .redis_key = "c:t:p:+1"});
  WriteOp write;
  write.json = "{}";
  write.redis_keys = {"k1", "k2"};
  workload.writes.push_back(write);
  auto target = *RedisTarget::Create(workload);
  std::string out;
  target->AppendRequest(out, {OpKind::kLookup, 0}, 5);
  EXPECT_EQ(out, "*2\r\n$3\r\nGET\r\n$8\r\nc:t:p:+1\r\n");
  out.clear();
  target->AppendRequest(out, {OpKind::kWrite, 0}, 6);
  EXPECT_EQ(
      out,
      "*5\r\n$4\r\nMSET\r\n$2\r\nk1\r\n$2\r\n{}\r\n$2\r\nk2\r\n$2\r\n{}\r\n");
}

TEST(EchoReplyParserTest, CountsWholeMessages) {
  EchoTarget target(10);
  auto parser = target.NewParser();
  std::vector<ParsedReply> replies;
  EXPECT_EQ(*parser->Parse(std::string(25, 'e'), replies), 20u);
  EXPECT_EQ(replies.size(), 2u);
}

}  // namespace
}  // namespace contactd::bench
