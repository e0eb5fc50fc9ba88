#include "protocol/lookup_messages.h"

#include <gtest/gtest.h>

#include <vector>

#include "protocol/reply.h"
#include "protocol/wire_writer.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;
using testing::TestTenant;

LookupReply DecodeOk(const std::string& body) {
  auto payload = OkPayload(Bytes(body));
  EXPECT_TRUE(payload.ok()) << payload.status();
  LookupReply reply;
  const absl::Status s = DecodeLookupReply(*payload, reply);
  EXPECT_TRUE(s.ok()) << s;
  return reply;
}

TEST(LookupMessagesTest, RequestStringsAreViewsIntoTheBody) {
  std::string body;
  EncodeLookupRequest(body, {kLookupSummary, TestTenant(), "+15551234567", ""});
  LookupRequest out;
  ASSERT_TRUE(DecodeLookupRequest(Bytes(body), out).ok());
  EXPECT_GE(out.input.data(), body.data());
  EXPECT_LT(out.input.data(), body.data() + body.size());
  EXPECT_TRUE(out.summary());
  EXPECT_FALSE(out.all());
}

TEST(LookupMessagesTest, UnknownRequestFlagBitsAreAnError) {
  std::string body;
  EncodeLookupRequest(body, {0x04, TestTenant(), "+15551234567", ""});
  LookupRequest out;
  EXPECT_NE(DecodeLookupRequest(Bytes(body), out).message().find("flags"),
            std::string::npos);
}

TEST(LookupMessagesTest, SummaryReplyFromAPhoneSlot) {
  const auto record = index::ContactRecord::Build(testing::TypicalContact());
  const index::PhoneSlot* first = &record->phone(0);
  std::string body;
  EncodePhoneLookupReply(body, kLookupSummary, 3, {&first, 1});
  const LookupReply reply = DecodeOk(body);
  EXPECT_EQ(reply.match_count, 3u);
  ASSERT_EQ(reply.summaries.size(), 1u);
  EXPECT_TRUE(reply.contacts.empty());
  EXPECT_EQ(reply.summaries[0].contact_id, record->id());
  EXPECT_TRUE(reply.summaries[0].matched_primary);
}

TEST(LookupMessagesTest, FullReplyFromAnEmailSlotCarriesTheWholeContact) {
  const index::Contact contact = testing::TypicalContact();
  const auto record = index::ContactRecord::Build(contact);
  const index::EmailSlot* first = &record->email(0);
  std::string body;
  EncodeEmailLookupReply(body, 0, 1, {&first, 1});
  const LookupReply reply = DecodeOk(body);
  ASSERT_EQ(reply.contacts.size(), 1u);
  EXPECT_EQ(reply.contacts[0], contact);
}

TEST(LookupMessagesTest, WithoutAllOnlyTheFirstMatchIsSent) {
  const auto record = index::ContactRecord::Build(testing::TypicalContact());
  const index::PhoneSlot* slots[] = {&record->phone(0), &record->phone(1)};
  std::string body;
  EncodePhoneLookupReply(body, kLookupSummary, 2, slots);
  EXPECT_EQ(DecodeOk(body).summaries.size(), 1u);
  body.clear();
  EncodePhoneLookupReply(body, kLookupSummary | kLookupAll, 2, slots);
  EXPECT_EQ(DecodeOk(body).summaries.size(), 2u);
}

TEST(LookupMessagesTest, AllIsBoundedByTheMaximumMatches) {
  const auto record = index::ContactRecord::Build(testing::TypicalContact());
  std::vector<const index::PhoneSlot*> slots(kMaxLookupMatches + 5,
                                             &record->phone(0));
  std::string body;
  EncodePhoneLookupReply(body, kLookupSummary | kLookupAll, 500, slots);
  const LookupReply reply = DecodeOk(body);
  EXPECT_EQ(reply.summaries.size(), kMaxLookupMatches);
  EXPECT_EQ(reply.match_count, 500u);
}

TEST(LookupMessagesTest, ResultCountAboveTheMaximumIsAnError) {
  std::string payload;
  PutU8(payload, kLookupSummary);
  PutU32(payload, 1000);
  PutU16(payload, kMaxLookupMatches + 1);
  payload.append((kMaxLookupMatches + 1) * kMinSummaryBytes, '\0');
  LookupReply reply;
  EXPECT_FALSE(DecodeLookupReply(Bytes(payload), reply).ok());
}

TEST(LookupMessagesTest, ResultCountAboveMatchCountIsAnError) {
  std::string payload;
  PutU8(payload, kLookupSummary);
  PutU32(payload, 0);
  PutU16(payload, 1);
  payload.append(kMinSummaryBytes, '\0');
  LookupReply reply;
  EXPECT_FALSE(DecodeLookupReply(Bytes(payload), reply).ok());
}

std::string BatchOf(size_t count) {
  std::string body;
  PutU16(body, static_cast<uint16_t>(count));
  for (size_t i = 0; i < count; ++i) {
    PutU8(body, static_cast<uint8_t>(i % 2));
    EncodeLookupRequest(body, {0, TestTenant(), "x", ""});
  }
  return body;
}

TEST(LookupMessagesTest, BatchAtTheLimitDecodes) {
  const std::string body = BatchOf(kMaxBatchItems);
  LookupBatchRequest out;
  ASSERT_TRUE(DecodeLookupBatchRequest(Bytes(body), out).ok());
  EXPECT_EQ(out.items.size(), kMaxBatchItems);
  EXPECT_EQ(out.items[1].kind, LookupKind::kEmail);
}

TEST(LookupMessagesTest, BatchCountBeyondTheLimitIsAnError) {
  const std::string body = BatchOf(kMaxBatchItems + 1);
  LookupBatchRequest out;
  const absl::Status s = DecodeLookupBatchRequest(Bytes(body), out);
  EXPECT_NE(s.message().find("count exceeds"), std::string::npos) << s;
  EXPECT_TRUE(out.items.empty());
}

TEST(LookupMessagesTest, EmptyBatchDecodes) {
  const std::string body = BatchOf(0);
  LookupBatchRequest out;
  EXPECT_TRUE(DecodeLookupBatchRequest(Bytes(body), out).ok());
}

TEST(LookupMessagesTest, UnknownBatchItemKindIsAnError) {
  std::string body = BatchOf(1);
  body[2] = 2;
  LookupBatchRequest out;
  EXPECT_FALSE(DecodeLookupBatchRequest(Bytes(body), out).ok());
}

TEST(LookupMessagesTest, ForEachVisitsItemsInOrder) {
  const std::string body = BatchOf(3);
  std::vector<LookupKind> kinds;
  ASSERT_TRUE(ForEachLookupBatchItem(Bytes(body), [&](const auto& item) {
                kinds.push_back(item.kind);
              }).ok());
  EXPECT_EQ(kinds,
            (std::vector<LookupKind>{LookupKind::kPhone, LookupKind::kEmail,
                                     LookupKind::kPhone}));
}

TEST(LookupMessagesTest, ForEachVisitsNothingWhenTheLastItemIsMalformed) {
  std::string body = BatchOf(3);
  body.pop_back();
  int visited = 0;
  EXPECT_FALSE(ForEachLookupBatchItem(Bytes(body), [&](const auto&) {
                 ++visited;
               }).ok());
  EXPECT_EQ(visited, 0);
}

TEST(LookupMessagesTest, BatchReplyCarriesOneStatusPerItem) {
  const auto record = index::ContactRecord::Build(testing::TypicalContact());
  const index::PhoneSlot* first = &record->phone(0);
  std::string body;
  EncodeLookupBatchReplyHeader(body, 2);
  size_t item = BeginBatchItemReply(body);
  EncodePhoneLookupReply(body, kLookupSummary, 1, {&first, 1});
  EndBatchItemReply(body, item);
  item = BeginBatchItemReply(body);
  EncodeErrorReply(body, WireStatus::kNotFound, index::Reason::kContactNotFound,
                   "");
  EndBatchItemReply(body, item);

  auto payload = OkPayload(Bytes(body));
  ASSERT_TRUE(payload.ok());
  LookupBatchReply reply;
  ASSERT_TRUE(DecodeLookupBatchReply(*payload, reply).ok());
  ASSERT_EQ(reply.results.size(), 2u);
  EXPECT_TRUE(reply.results[0].status.ok());
  EXPECT_EQ(reply.results[0].reply.summaries.size(), 1u);
  EXPECT_EQ(reply.results[1].status.code(), absl::StatusCode::kNotFound);

  for (size_t n = 0; n < payload->size(); ++n) {
    const std::string cut(payload->begin(), payload->begin() + n);
    EXPECT_FALSE(DecodeLookupBatchReply(Bytes(cut), reply).ok()) << n;
  }
}

TEST(LookupMessagesTest, BatchItemLengthBeyondTheBodyIsAnError) {
  std::string payload;
  PutU16(payload, 1);
  PutU32(payload, 0xFFFFFFF0u);
  payload.append(5, '\0');
  LookupBatchReply reply;
  EXPECT_FALSE(DecodeLookupBatchReply(Bytes(payload), reply).ok());
}

}  // namespace
}  // namespace contactd::protocol
