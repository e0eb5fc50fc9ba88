// The worked example of docs/protocol.md, byte for byte: a LOOKUP_PHONE
// request and its summary reply. If this test fails, the wire format
// changed: fix the code, or bump the protocol version and the document.

#include <gtest/gtest.h>

#include "protocol/frame.h"
#include "protocol/lookup_messages.h"
#include "protocol/reply.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;

std::string ExampleRequestFrame() {
  std::string out;
  const size_t start = BeginFrame(out, Opcode::kLookupPhone, 7);
  EncodeLookupRequest(
      out, {kLookupSummary, testing::TestTenant(), "+15551234567", ""});
  EndFrame(out, start);
  return out;
}

std::string ExampleReplyFrame() {
  const auto record = index::ContactRecord::Build(testing::ExampleContact());
  const index::PhoneSlot* first = &record->phone(0);
  std::string out;
  const size_t start = BeginFrame(out, Opcode::kLookupPhone, 7, kFlagResponse);
  EncodePhoneLookupReply(out, kLookupSummary, 1, {&first, 1});
  EndFrame(out, start);
  return out;
}

// docs/protocol.md, "Worked example": the same bytes, the same grouping.
constexpr std::string_view kRequestHex =
    "4344 01 10 0000 0000 07000000 21000000"  // header: LOOKUP_PHONE, id 7
    "01"                                      // flags: SUMMARY
    "0b7e3f4c9a2d4c1e8f001234567890ab"        // tenant
    "0c00 2b3135353531323334353637"           // input "+15551234567"
    "0000";                                   // region ""

constexpr std::string_view kReplyHex =
    "4344 01 10 0100 0000 07000000 58000000"  // header: response, id 7
    "00 0000 0000"                            // OK, reason NONE, message ""
    "01 01000000 0100"                  // flags, match_count 1, result_count 1
    "101112131415161718191a1b1c1d1e1f"  // contact_id
    "202122232425262728292a2b2c2d2e2f"  // matched_id (the phone)
    "01 01"                             // matched_type WORK, PRIMARY
    "0300 416461"                       // first_name "Ada"
    "0800 4c6f76656c616365"             // last_name "Lovelace"
    "0c00 416461204c6f76656c616365"     // display_name "Ada Lovelace"
    "0400 41636d65"                     // company "Acme"
    "0100 0300 766970";                 // tags ["vip"]

TEST(GoldenTest, LookupPhoneRequestMatchesTheDocument) {
  EXPECT_EQ(testing::Hex(ExampleRequestFrame()),
            testing::Hex(testing::Unhex(kRequestHex)));
}

TEST(GoldenTest, LookupPhoneSummaryReplyMatchesTheDocument) {
  EXPECT_EQ(testing::Hex(ExampleReplyFrame()),
            testing::Hex(testing::Unhex(kReplyHex)));
}

TEST(GoldenTest, DocumentedRequestDecodes) {
  const std::string frame = testing::Unhex(kRequestHex);
  const FrameDecode d = DecodeFrame(Bytes(frame));
  ASSERT_EQ(d.result, DecodeResult::kFrame);
  LookupRequest request;
  ASSERT_TRUE(DecodeLookupRequest(d.body, request).ok());
  EXPECT_EQ(request.input, "+15551234567");
  EXPECT_EQ(request.tenant, testing::TestTenant());
}

TEST(GoldenTest, DocumentedReplyDecodes) {
  const std::string frame = testing::Unhex(kReplyHex);
  const FrameDecode d = DecodeFrame(Bytes(frame));
  ASSERT_EQ(d.result, DecodeResult::kFrame);
  auto payload = OkPayload(d.body);
  ASSERT_TRUE(payload.ok());
  LookupReply reply;
  ASSERT_TRUE(DecodeLookupReply(*payload, reply).ok());
  ASSERT_EQ(reply.summaries.size(), 1u);
  EXPECT_EQ(reply.summaries[0].display_name, "Ada Lovelace");
}

}  // namespace
}  // namespace contactd::protocol
