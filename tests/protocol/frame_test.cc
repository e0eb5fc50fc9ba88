// The frame decoder contract (protocol/frame.h): need-more consumes nothing,
// exactly one frame is consumed, header errors are reported with the
// request id when it can be read, and lengths are checked before the body.

#include "protocol/frame.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/little_endian.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::protocol {
namespace {

using testing::Bytes;

std::string PingFrame(uint32_t request_id, std::string_view body = "") {
  std::string out;
  const size_t start = BeginFrame(out, Opcode::kPing, request_id);
  out.append(body);
  EndFrame(out, start);
  return out;
}

TEST(FrameTest, HeaderIsSixteenBytesLittleEndian) {
  const std::string frame = PingFrame(0x01020304, "ab");
  EXPECT_EQ(testing::Hex(frame),
            "4344"
            "01"
            "02"
            "0000"
            "0000"
            "04030201"
            "02000000"
            "6162");
}

TEST(FrameTest, EveryPrefixOfAValidFrameNeedsMoreAndConsumesNothing) {
  const std::string frame = PingFrame(7, "hello body");
  for (size_t n = 0; n < frame.size(); ++n) {
    const FrameDecode d = DecodeFrame(Bytes(frame).first(n));
    EXPECT_EQ(d.result, DecodeResult::kNeedMore) << "prefix " << n;
    EXPECT_EQ(d.consumed, 0u) << "prefix " << n;
  }
}

TEST(FrameTest, CompleteFrameIsDecoded) {
  const std::string frame = PingFrame(42, "xyz");
  const FrameDecode d = DecodeFrame(Bytes(frame));
  ASSERT_EQ(d.result, DecodeResult::kFrame);
  EXPECT_EQ(d.consumed, frame.size());
  EXPECT_EQ(d.header.request_id, 42u);
  EXPECT_EQ(d.header.opcode, Opcode::kPing);
  EXPECT_EQ(std::string(d.body.begin(), d.body.end()), "xyz");
}

TEST(FrameTest, TwoConcatenatedFramesConsumeExactlyOne) {
  const std::string first = PingFrame(1, "first");
  const std::string both = first + PingFrame(2, "second!");
  const FrameDecode d = DecodeFrame(Bytes(both));
  ASSERT_EQ(d.result, DecodeResult::kFrame);
  EXPECT_EQ(d.consumed, first.size());
  EXPECT_EQ(d.header.request_id, 1u);
  const FrameDecode next = DecodeFrame(Bytes(both).subspan(d.consumed));
  ASSERT_EQ(next.result, DecodeResult::kFrame);
  EXPECT_EQ(next.header.request_id, 2u);
}

TEST(FrameTest, BadMagicIsAnErrorAsSoonAsTwoBytesArrive) {
  const std::string bad = "XY";
  const FrameDecode d = DecodeFrame(Bytes(bad));
  EXPECT_EQ(d.result, DecodeResult::kError);
  EXPECT_EQ(d.error, WireStatus::kMalformedFrame);
  EXPECT_FALSE(d.header_valid);
}

TEST(FrameTest, UnsupportedVersionKeepsTheRequestIdReadable) {
  std::string frame = PingFrame(0xCAFE);
  frame[2] = 9;
  const FrameDecode d = DecodeFrame(Bytes(frame));
  ASSERT_EQ(d.result, DecodeResult::kError);
  EXPECT_EQ(d.error, WireStatus::kUnsupportedVersion);
  ASSERT_TRUE(d.header_valid);
  EXPECT_EQ(d.header.request_id, 0xCAFEu);
}

TEST(FrameTest, OverMaxLengthIsRejectedBeforeTheBodyArrives) {
  std::string header = PingFrame(3);
  StoreLittleEndian<uint32_t>(reinterpret_cast<uint8_t*>(header.data() + 12),
                              1025);
  const FrameDecode d = DecodeFrame(Bytes(header), /*max_body_bytes=*/1024);
  ASSERT_EQ(d.result, DecodeResult::kError);
  EXPECT_EQ(d.error, WireStatus::kFrameTooLarge);
  EXPECT_EQ(d.header.request_id, 3u);
}

TEST(FrameTest, LengthAtTheMaximumIsAccepted) {
  const std::string frame = PingFrame(3, std::string(1024, 'x'));
  EXPECT_EQ(DecodeFrame(Bytes(frame), 1024).result, DecodeResult::kFrame);
}

TEST(FrameTest, UnknownFlagBitsAreMalformed) {
  std::string frame = PingFrame(5);
  frame[4] = 0x02;
  const FrameDecode d = DecodeFrame(Bytes(frame));
  ASSERT_EQ(d.result, DecodeResult::kError);
  EXPECT_EQ(d.error, WireStatus::kMalformedFrame);
  EXPECT_EQ(d.header.request_id, 5u);
}

TEST(FrameTest, NonZeroReservedFieldIsMalformed) {
  std::string frame = PingFrame(6);
  frame[7] = 0x01;
  const FrameDecode d = DecodeFrame(Bytes(frame));
  ASSERT_EQ(d.result, DecodeResult::kError);
  EXPECT_EQ(d.error, WireStatus::kMalformedFrame);
}

TEST(FrameTest, ResponseFlagIsAccepted) {
  std::string out;
  const size_t start = BeginFrame(out, Opcode::kPing, 9, kFlagResponse);
  EndFrame(out, start);
  const FrameDecode d = DecodeFrame(Bytes(out));
  ASSERT_EQ(d.result, DecodeResult::kFrame);
  EXPECT_TRUE(d.header.is_response());
}

TEST(FrameTest, UnknownOpcodeIsAWellFormedFrame) {
  std::string frame = PingFrame(8);
  frame[3] = static_cast<char>(0x7F);
  const FrameDecode d = DecodeFrame(Bytes(frame));
  ASSERT_EQ(d.result, DecodeResult::kFrame);
  EXPECT_FALSE(IsKnownOpcode(0x7F));
}

}  // namespace
}  // namespace contactd::protocol
