// Every request and reply body: round trips, truncation at every byte
// offset, trailing bytes, and the count limits.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "index/contact_record.h"
#include "protocol/contact_messages.h"
#include "protocol/hello_messages.h"
#include "protocol/lookup_messages.h"
#include "protocol/mutation_messages.h"
#include "protocol/reply.h"
#include "protocol/stats_messages.h"
#include "protocol/wire_writer.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;
using testing::SequentialUuid;
using testing::TestTenant;
using Span = std::span<const uint8_t>;

// One encoded body and how to decode (and re-encode) it.
struct Case {
  std::string name;
  std::string body;
  std::function<absl::Status(Span)> decode;
  std::function<std::string(Span)> reencode;
};

template <typename T>
Case MakeCase(std::string name, const T& value,
              void (*encode)(std::string&, const T&),
              absl::Status (*decode)(Span, T&)) {
  Case c{std::move(name), {}, nullptr, nullptr};
  encode(c.body, value);
  c.decode = [decode](Span body) {
    T out;
    return decode(body, out);
  };
  c.reencode = [encode, decode](Span body) {
    T out;
    EXPECT_TRUE(decode(body, out).ok());
    std::string again;
    encode(again, out);
    return again;
  };
  return c;
}

// A reply case: the payload after the OK prefix the encoder wrote.
Case PayloadCase(Case c) {
  EXPECT_EQ(c.body.substr(0, kOkPrefixSize), std::string(kOkPrefixSize, 0));
  c.body.erase(0, kOkPrefixSize);
  c.reencode = nullptr;
  return c;
}

LookupRequest PhoneLookup() {
  return {kLookupSummary | kLookupAll, TestTenant(), "(555) 123-4567", "US"};
}

index::FieldUpdate AllFields() {
  index::FieldUpdate u;
  u.first_name = "A";
  u.last_name = "";
  u.display_name = "A B";
  u.company = "C";
  u.job_title = "J";
  u.external_id = "x-1";
  u.notes = "n";
  u.source = index::Source::kSync;
  u.tags = std::vector<std::string>{"t1", "t2"};
  return u;
}

std::vector<Case> RequestCases() {
  const index::Contact contact = testing::TypicalContact();
  std::vector<Case> cases;
  cases.push_back(MakeCase<HelloRequest>(
      "HELLO", {1, 3, "edge-token-0123456789", "test 1.0"}, EncodeHelloRequest,
      DecodeHelloRequest));
  cases.push_back(MakeCase<LookupRequest>(
      "LOOKUP", PhoneLookup(), EncodeLookupRequest, DecodeLookupRequest));
  LookupBatchRequest batch;
  batch.items = {{LookupKind::kPhone, PhoneLookup()},
                 {LookupKind::kEmail, {0, TestTenant(), "a@b.example", ""}}};
  cases.push_back(MakeCase<LookupBatchRequest>("LOOKUP_BATCH", batch,
                                               EncodeLookupBatchRequest,
                                               DecodeLookupBatchRequest));
  cases.push_back(MakeCase<GetRequest>("GET", {TestTenant(), contact.id},
                                       EncodeGetRequest, DecodeGetRequest));
  cases.push_back(MakeCase<GetByExternalIdRequest>(
      "GET_BY_EXTERNAL_ID", {TestTenant(), "crm-1"},
      EncodeGetByExternalIdRequest, DecodeGetByExternalIdRequest));
  cases.push_back(MakeCase<ListByTagRequest>(
      "LIST_BY_TAG", {TestTenant(), "vip", contact.id, 50},
      EncodeListByTagRequest, DecodeListByTagRequest));
  cases.push_back(MakeCase<UpsertRequest>(
      "UPSERT", {contact, "GB"}, EncodeUpsertRequest, DecodeUpsertRequest));
  cases.push_back(MakeCase<DeleteRequest>("DELETE", {TestTenant(), contact.id},
                                          EncodeDeleteRequest,
                                          DecodeDeleteRequest));
  cases.push_back(MakeCase<UpdateFieldsRequest>(
      "UPDATE_FIELDS", {TestTenant(), contact.id, AllFields()},
      EncodeUpdateFieldsRequest, DecodeUpdateFieldsRequest));
  cases.push_back(MakeCase<AddPhoneRequest>(
      "ADD_PHONE", {TestTenant(), contact.id, contact.phone_numbers[1], "US"},
      EncodeAddPhoneRequest, DecodeAddPhoneRequest));
  UpdatePhoneRequest update_phone;
  update_phone.tenant = TestTenant();
  update_phone.id = contact.id;
  update_phone.phone_id = SequentialUuid(0x20);
  update_phone.update.number = "+442071234567";
  update_phone.update.type = index::PhoneType::kHome;
  update_phone.update.is_primary = true;
  update_phone.region = "GB";
  cases.push_back(MakeCase<UpdatePhoneRequest>("UPDATE_PHONE", update_phone,
                                               EncodeUpdatePhoneRequest,
                                               DecodeUpdatePhoneRequest));
  cases.push_back(MakeCase<RemovePhoneRequest>(
      "REMOVE_PHONE", {TestTenant(), contact.id, SequentialUuid(0x20)},
      EncodeRemovePhoneRequest, DecodeRemovePhoneRequest));
  cases.push_back(MakeCase<AddEmailRequest>(
      "ADD_EMAIL", {TestTenant(), contact.id, contact.emails[0]},
      EncodeAddEmailRequest, DecodeAddEmailRequest));
  UpdateEmailRequest update_email;
  update_email.tenant = TestTenant();
  update_email.id = contact.id;
  update_email.email_id = SequentialUuid(0x40);
  update_email.update.address = "m@x.example";
  update_email.update.type = index::EmailType::kPersonal;
  update_email.update.is_primary = false;
  cases.push_back(MakeCase<UpdateEmailRequest>("UPDATE_EMAIL", update_email,
                                               EncodeUpdateEmailRequest,
                                               DecodeUpdateEmailRequest));
  cases.push_back(MakeCase<RemoveEmailRequest>(
      "REMOVE_EMAIL", {TestTenant(), contact.id, SequentialUuid(0x40)},
      EncodeRemoveEmailRequest, DecodeRemoveEmailRequest));
  cases.push_back(
      MakeCase<AddTagRequest>("ADD_TAG", {TestTenant(), contact.id, "vip"},
                              EncodeAddTagRequest, DecodeAddTagRequest));
  cases.push_back(MakeCase<RemoveTagRequest>(
      "REMOVE_TAG", {TestTenant(), contact.id, "vip"}, EncodeRemoveTagRequest,
      DecodeRemoveTagRequest));
  return cases;
}

std::vector<Case> ReplyCases() {
  const index::Contact contact = testing::TypicalContact();
  std::vector<Case> cases;
  Case hello{"HELLO reply", {}, nullptr, nullptr};
  EncodeHelloReply(hello.body, {1, 1 << 20, 64, kScopeLookup, TestTenant(),
                                "contactd 0.1.0"});
  hello.decode = [](Span p) {
    HelloReply r;
    return DecodeHelloReply(p, r);
  };
  cases.push_back(PayloadCase(hello));
  Case get{"contact reply", {}, nullptr, nullptr};
  EncodeContactReply(get.body, contact);
  get.decode = [](Span p) {
    index::Contact c;
    return DecodeContactReply(p, c);
  };
  cases.push_back(PayloadCase(get));
  Case upsert{"UPSERT reply", {}, nullptr, nullptr};
  EncodeUpsertReply(upsert.body, true, contact);
  upsert.decode = [](Span p) {
    UpsertReply r;
    return DecodeUpsertReply(p, r);
  };
  cases.push_back(PayloadCase(upsert));
  Case list{"LIST_BY_TAG reply", {}, nullptr, nullptr};
  const std::vector<index::Contact> page = {contact, contact};
  EncodeListByTagReply(list.body, 7, true, page);
  list.decode = [](Span p) {
    ListByTagReply r;
    return DecodeListByTagReply(p, r);
  };
  cases.push_back(PayloadCase(list));
  Case stats{"STATS reply", {}, nullptr, nullptr};
  const std::vector<StatsCounter> counters = {
      {"contacts", 12}, {"lookups_total", uint64_t{1} << 40}};
  EncodeStatsReply(stats.body, counters);
  stats.decode = [](Span p) {
    StatsReply r;
    return DecodeStatsReply(p, r);
  };
  cases.push_back(PayloadCase(stats));
  return cases;
}

TEST(MessagesTest, EveryRequestRoundTripsByteForByte) {
  for (const Case& c : RequestCases()) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(c.decode(Bytes(c.body)).ok()) << c.decode(Bytes(c.body));
    EXPECT_EQ(testing::Hex(c.reencode(Bytes(c.body))), testing::Hex(c.body));
  }
}

TEST(MessagesTest, EveryReplyPayloadDecodes) {
  for (const Case& c : ReplyCases()) {
    EXPECT_TRUE(c.decode(Bytes(c.body)).ok()) << c.name;
  }
}

TEST(MessagesTest, RequestTruncatedAtEveryOffsetIsAnError) {
  for (const Case& c : RequestCases()) {
    for (size_t n = 0; n < c.body.size(); ++n) {
      const std::string cut = c.body.substr(0, n);  // exact-size allocation
      const absl::Status s = c.decode(Bytes(cut));
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
          << c.name << " cut at " << n;
    }
  }
}

TEST(MessagesTest, ReplyTruncatedAtEveryOffsetIsAnError) {
  for (const Case& c : ReplyCases()) {
    for (size_t n = 0; n < c.body.size(); ++n) {
      const std::string cut = c.body.substr(0, n);
      EXPECT_FALSE(c.decode(Bytes(cut)).ok()) << c.name << " cut at " << n;
    }
  }
}

TEST(MessagesTest, TrailingByteAfterACompleteBodyIsAnError) {
  std::vector<Case> cases = RequestCases();
  for (Case& c : ReplyCases()) cases.push_back(std::move(c));
  for (const Case& c : cases) {
    const std::string longer = c.body + std::string(1, '\0');
    const absl::Status s = c.decode(Bytes(longer));
    EXPECT_NE(s.message().find("trailing"), std::string::npos)
        << c.name << ": " << s;
  }
}

TEST(MessagesTest, ErrorMessagesNameTheMessageAndField) {
  LookupRequest out;
  const std::string body(5, '\0');
  const absl::Status s = DecodeLookupRequest(Bytes(body), out);
  EXPECT_EQ(s.message(),
            "LOOKUP request: tenant: truncated (needs 16 bytes, 4 remain)");
}

TEST(MessagesTest, EmptyBodiesOfPingAndStats) {
  EXPECT_TRUE(DecodePingRequest({}).ok());
  EXPECT_TRUE(DecodeStatsRequest({}).ok());
  const std::string one = "x";
  EXPECT_FALSE(DecodePingRequest(Bytes(one)).ok());
  EXPECT_FALSE(DecodeStatsRequest(Bytes(one)).ok());
  std::string ping;
  EncodePingReply(ping);
  auto payload = OkPayload(Bytes(ping));
  ASSERT_TRUE(payload.ok());
  EXPECT_TRUE(DecodePingReply(*payload).ok());
}

}  // namespace
}  // namespace contactd::protocol
