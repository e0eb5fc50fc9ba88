// HELLO, LIST_BY_TAG, UPSERT and the partial mutations: semantics beyond
// the byte-for-byte round trips of messages_test.cc.

#include <gtest/gtest.h>

#include "protocol/contact_codec.h"
#include "protocol/contact_messages.h"
#include "protocol/frame.h"
#include "protocol/hello_messages.h"
#include "protocol/mutation_messages.h"
#include "protocol/reply.h"
#include "protocol/stats_messages.h"
#include "protocol/wire_writer.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;
using testing::TestTenant;

TEST(HelloTest, RequestAndReplyRoundTrip) {
  const HelloRequest request{1, 2, "edge-7f3a9c2e41d8b6a0", "sbc-1"};
  std::string body;
  EncodeHelloRequest(body, request);
  HelloRequest decoded;
  ASSERT_TRUE(DecodeHelloRequest(Bytes(body), decoded).ok());
  EXPECT_EQ(decoded, request);

  const HelloReply reply{1,
                         kMaxBodyBytes,
                         128,
                         kScopeLookup | kScopeWrite,
                         TestTenant(),
                         "contactd 0.1.0"};
  std::string reply_body;
  EncodeHelloReply(reply_body, reply);
  auto payload = OkPayload(Bytes(reply_body));
  ASSERT_TRUE(payload.ok());
  HelloReply decoded_reply;
  ASSERT_TRUE(DecodeHelloReply(*payload, decoded_reply).ok());
  EXPECT_EQ(decoded_reply, reply);
}

TEST(HelloTest, MinVersionAboveMaxVersionIsAnError) {
  std::string body;
  EncodeHelloRequest(body, {3, 2, "token-0123456789ab", ""});
  HelloRequest out;
  EXPECT_FALSE(DecodeHelloRequest(Bytes(body), out).ok());
}

TEST(HelloTest, NegotiationPicksTheVersionThisCodeSpeaks) {
  EXPECT_EQ(NegotiateVersion(1, 1), 1);
  EXPECT_EQ(NegotiateVersion(1, 9), 1);
  EXPECT_EQ(NegotiateVersion(2, 9), 0);
  EXPECT_EQ(NegotiateVersion(0, 0), 0);
}

TEST(ListByTagTest, NextCursorIsTheLastContactSent) {
  index::Contact a = testing::TypicalContact();
  index::Contact b = testing::ExampleContact();
  b.id = testing::SequentialUuid(0x77);
  const auto ra = index::ContactRecord::Build(a);
  const auto rb = index::ContactRecord::Build(b);
  const index::ContactRecord* page[] = {ra.get(), rb.get()};
  std::string body;
  EncodeListByTagReply(body, 10, true, page);
  auto payload = OkPayload(Bytes(body));
  ASSERT_TRUE(payload.ok());
  ListByTagReply reply;
  ASSERT_TRUE(DecodeListByTagReply(*payload, reply).ok());
  EXPECT_EQ(reply.total, 10u);
  EXPECT_TRUE(reply.has_more);
  EXPECT_EQ(reply.next_after, b.id);
  ASSERT_EQ(reply.contacts.size(), 2u);
  EXPECT_EQ(reply.contacts[0], a);
  EXPECT_EQ(reply.contacts[1], b);
}

TEST(ListByTagTest, EmptyPageHasANilCursor) {
  std::string body;
  EncodeListByTagReply(body, 0, false,
                       std::span<const index::ContactRecord* const>());
  ListByTagReply reply;
  ASSERT_TRUE(DecodeListByTagReply(*OkPayload(Bytes(body)), reply).ok());
  EXPECT_TRUE(reply.next_after.is_nil());
  EXPECT_TRUE(reply.contacts.empty());
}

TEST(ListByTagTest, EffectiveLimitDefaultsAndCaps) {
  EXPECT_EQ(ListByTagRequest{}.effective_limit(), kDefaultListLimit);
  ListByTagRequest big;
  big.limit = 1u << 30;
  EXPECT_EQ(big.effective_limit(), kMaxListLimit);
}

TEST(ListByTagTest, ReplyCountAboveTheListLimitIsAnError) {
  std::string payload;
  PutU64(payload, 5000);
  PutU8(payload, 1);
  PutUuid(payload, index::Uuid());
  PutU16(payload, kMaxListLimit + 1);
  payload.append((kMaxListLimit + 1) * kMinContactBytes, '\0');
  ListByTagReply reply;
  EXPECT_FALSE(DecodeListByTagReply(Bytes(payload), reply).ok());
}

TEST(UpsertTest, ContactWithNilIdAndRegionRoundTrips) {
  UpsertRequest request{testing::TypicalContact(), "GB"};
  request.contact.id = index::Uuid();
  std::string body;
  EncodeUpsertRequest(body, request);
  UpsertRequest decoded;
  ASSERT_TRUE(DecodeUpsertRequest(Bytes(body), decoded).ok());
  EXPECT_EQ(decoded, request);
}

TEST(UpsertTest, ReplyCarriesTheCreatedFlag) {
  std::string body;
  EncodeUpsertReply(body, true, testing::ExampleContact());
  UpsertReply reply;
  ASSERT_TRUE(DecodeUpsertReply(*OkPayload(Bytes(body)), reply).ok());
  EXPECT_TRUE(reply.created);
  EXPECT_EQ(reply.contact, testing::ExampleContact());
}

TEST(MutationTest, UpdateFieldsDecodesOnlyThePresentFields) {
  UpdateFieldsRequest request;
  request.tenant = TestTenant();
  request.id = testing::SequentialUuid(1);
  request.update.company = "New Co";
  request.update.tags = std::vector<std::string>{};
  std::string body;
  EncodeUpdateFieldsRequest(body, request);
  UpdateFieldsRequest out;
  out.update.first_name = "stale";  // overwritten by the decode
  ASSERT_TRUE(DecodeUpdateFieldsRequest(Bytes(body), out).ok());
  EXPECT_FALSE(out.update.first_name.has_value());
  EXPECT_EQ(out.update.company, "New Co");
  ASSERT_TRUE(out.update.tags.has_value());
  EXPECT_TRUE(out.update.tags->empty());
  EXPECT_FALSE(out.update.source.has_value());
}

TEST(MutationTest, UpdateFieldsWithUnknownPresenceBitsIsAnError) {
  std::string body;
  PutUuid(body, TestTenant());
  PutUuid(body, testing::SequentialUuid(1));
  PutU16(body, 0x0200);
  UpdateFieldsRequest out;
  EXPECT_NE(
      DecodeUpdateFieldsRequest(Bytes(body), out).message().find("present"),
      std::string::npos);
}

TEST(MutationTest, UpdatePhoneWithNoFieldsRoundTrips) {
  UpdatePhoneRequest request;
  request.phone_id = testing::SequentialUuid(9);
  std::string body;
  EncodeUpdatePhoneRequest(body, request);
  EXPECT_EQ(body.size(), 16 * 3 + 1 + 2u);
  UpdatePhoneRequest out;
  ASSERT_TRUE(DecodeUpdatePhoneRequest(Bytes(body), out).ok());
  EXPECT_EQ(out.phone_id, request.phone_id);
  EXPECT_FALSE(out.update.number || out.update.type || out.update.is_primary);
}

TEST(MutationTest, UpdateEmailWithAnUnknownTypeIsAnError) {
  std::string body;
  PutUuid(body, TestTenant());
  PutUuid(body, testing::SequentialUuid(1));
  PutUuid(body, testing::SequentialUuid(2));
  PutU8(body, kItemType);
  PutU8(body, 3);  // EmailType ends at kOther = 2
  UpdateEmailRequest out;
  EXPECT_FALSE(DecodeUpdateEmailRequest(Bytes(body), out).ok());
}

TEST(MutationTest, AddPhoneKeepsEveryPhoneField) {
  AddPhoneRequest request{TestTenant(), testing::SequentialUuid(1),
                          testing::TypicalContact().phone_numbers[1], "US"};
  std::string body;
  EncodeAddPhoneRequest(body, request);
  AddPhoneRequest out;
  ASSERT_TRUE(DecodeAddPhoneRequest(Bytes(body), out).ok());
  EXPECT_EQ(out.phone, request.phone);
  EXPECT_EQ(out.region, "US");
}

TEST(StatsTest, CountersRoundTripInOrder) {
  const std::vector<StatsCounter> counters = {{"contacts", 3},
                                              {"lookups_total", 99}};
  std::string body;
  EncodeStatsReply(body, counters);
  StatsReply reply;
  ASSERT_TRUE(DecodeStatsReply(*OkPayload(Bytes(body)), reply).ok());
  EXPECT_EQ(reply.counters, counters);
}

TEST(StatsTest, CounterCountBeyondTheLimitIsAnError) {
  std::string payload;
  PutU16(payload, kMaxStatsCounters + 1);
  for (size_t i = 0; i <= kMaxStatsCounters; ++i) {
    PutString(payload, "c");
    PutU64(payload, i);
  }
  StatsReply reply;
  EXPECT_FALSE(DecodeStatsReply(Bytes(payload), reply).ok());
}

}  // namespace
}  // namespace contactd::protocol
