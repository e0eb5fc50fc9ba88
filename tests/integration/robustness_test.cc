// Malformed and hostile traffic on the binary port: each gets an error reply
// or a closed connection, and a second client keeps being served.

#include <random>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "protocol/little_endian.h"
#include "protocol/stats_messages.h"
#include "tests/integration/protocol_test_support.h"

namespace contactd::testing {
namespace {

using namespace std::chrono_literals;
using protocol::Opcode;
using protocol::WireStatus;

// A frame header with every field chosen by the test.
std::string RawHeader(uint16_t magic, uint8_t version, uint8_t opcode,
                      uint32_t request_id, uint32_t body_length) {
  std::string h;
  protocol::AppendLittleEndian<uint16_t>(h, magic);
  h.push_back(static_cast<char>(version));
  h.push_back(static_cast<char>(opcode));
  protocol::AppendLittleEndian<uint32_t>(h, 0);  // flags, reserved
  protocol::AppendLittleEndian<uint32_t>(h, request_id);
  protocol::AppendLittleEndian<uint32_t>(h, body_length);
  return h;
}

uint64_t Counter(WireConnection& c, std::string_view name) {
  const auto reply = c.Call(Opcode::kStats, 99, "");
  const auto stats = DecodeOk(reply, &protocol::DecodeStatsReply);
  for (const auto& counter : stats.counters) {
    if (counter.name == name) return counter.value;
  }
  ADD_FAILURE() << "no counter " << name;
  return 0;
}

class RobustnessTest : public ProtocolTest {
 protected:
  // The second client: still answered correctly.
  void ExpectOthersServed() {
    WireConnection other(server_->port());
    const auto reply = other.Call(Opcode::kPing, 77, "");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->header.request_id, 77u);
    EXPECT_TRUE(reply->prefix().ok());
  }
};

TEST_F(RobustnessTest, RandomGarbageClosesTheConnection) {
  std::mt19937 random(42);
  std::string garbage(4096, '\0');
  for (char& c : garbage) c = static_cast<char>(random());
  garbage[0] = 'X';  // never the magic by chance
  connection_->SendRaw(garbage);
  EXPECT_TRUE(connection_->WaitForClose());
  ExpectOthersServed();
}

TEST_F(RobustnessTest, WrongMagicClosesTheConnection) {
  connection_->SendRaw(RawHeader(0xBEEF, 1, 0x02, 1, 0));
  EXPECT_TRUE(connection_->WaitForClose());
  ExpectOthersServed();
}

TEST_F(RobustnessTest, UnsupportedVersionIsAnsweredThenClosed) {
  connection_->SendRaw(RawHeader(protocol::kMagic, 9, 0x02, 5, 0));
  const auto reply = connection_->Receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.request_id, 5u);
  EXPECT_EQ(reply->prefix().status, WireStatus::kUnsupportedVersion);
  EXPECT_TRUE(connection_->WaitForClose());
  ExpectOthersServed();
}

TEST_F(RobustnessTest, LengthOverTheMaximumIsRejectedBeforeTheBody) {
  // Only the header: the server must answer without waiting for 16 MiB.
  connection_->SendRaw(RawHeader(protocol::kMagic, 1, 0x10, 6, 16u << 20));
  const auto reply = connection_->Receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.request_id, 6u);
  EXPECT_EQ(reply->prefix().status, WireStatus::kFrameTooLarge);
  EXPECT_TRUE(connection_->WaitForClose());
  ExpectOthersServed();
}

TEST_F(RobustnessTest, TruncatedFrameThenCloseLeavesTheServerServing) {
  connection_->SendRaw(RawHeader(protocol::kMagic, 1, 0x10, 7, 100) + "abc");
  connection_.reset();
  ExpectOthersServed();
}

TEST_F(RobustnessTest, UnknownOpcodeIsAnsweredAndTheConnectionStays) {
  connection_->SendRaw(RawHeader(protocol::kMagic, 1, 0x7F, 8, 0));
  auto reply = connection_->Receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.request_id, 8u);
  EXPECT_EQ(reply->prefix().status, WireStatus::kUnknownOpcode);
  reply = Call(Opcode::kPing, "");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->prefix().ok());
}

TEST_F(RobustnessTest, MalformedBodyIsAnsweredAndTheConnectionStays) {
  std::string body = LookupBody(kTenantA, "+15551234567");
  body.resize(body.size() - 3);
  auto reply = Call(Opcode::kLookupPhone, body);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kMalformedFrame);
  reply = Call(Opcode::kPing, "");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->prefix().ok());
}

TEST_F(RobustnessTest, TenThousandPipelinedRequestsAreAllAnsweredById) {
  const auto stored = Put(MakeContact(kTenantA, "Ada", "+15551234567", ""));
  constexpr uint32_t kRequests = 10000;
  std::string burst;
  for (uint32_t id = 1; id <= kRequests; ++id) {
    const size_t start =
        protocol::BeginFrame(burst, Opcode::kLookupPhone, 1000 + id);
    burst += LookupBody(kTenantA, "+15551234567", protocol::kLookupSummary);
    protocol::EndFrame(burst, start);
  }
  // Send from another thread: the server stops reading at its in-flight
  // limit until this thread takes the replies.
  std::thread sender([&] { connection_->SendRaw(burst); });
  absl::flat_hash_set<uint32_t> answered;
  for (uint32_t i = 0; i < kRequests; ++i) {
    const auto reply = connection_->Receive(30s);
    if (!reply) break;
    const auto lookup = DecodeOk(reply, &protocol::DecodeLookupReply);
    ASSERT_EQ(lookup.summaries.size(), 1u);
    EXPECT_EQ(lookup.summaries[0].contact_id, stored.id);
    answered.insert(reply->header.request_id);
  }
  sender.join();
  EXPECT_EQ(answered.size(), kRequests);
  EXPECT_TRUE(answered.contains(1001));
  EXPECT_TRUE(answered.contains(1000 + kRequests));
}

TEST(RobustnessLimitsTest, ClientThatNeverReadsIsPausedThenClosed) {
  auto server = ContactdProcess::Start(
      "never_reads", {"--write-timeout", "1", "--max-output-bytes", "65536"});
  ASSERT_TRUE(server);
  WireConnection admin(server->port());
  const auto put = admin.Call(
      Opcode::kUpsert, 1,
      BodyOf(&protocol::EncodeUpsertRequest,
             protocol::UpsertRequest{
                 .contact = MakeContact(kTenantA, "Ada", "+15551234567", "")}));
  ASSERT_TRUE(put && put->prefix().ok());

  WireConnection hog(server->port(), /*receive_buffer=*/4096);
  std::string burst;
  for (uint32_t id = 1; id <= 20000; ++id) {
    const size_t start = protocol::BeginFrame(burst, Opcode::kLookupPhone, id);
    burst += LookupBody(kTenantA, "+15551234567");
    protocol::EndFrame(burst, start);
  }
  // The server stops reading once its replies back up (what was sent waits
  // in the kernel's buffers); meanwhile everyone else is served.
  hog.SendWithoutBlocking(burst);
  const auto ping = admin.Call(Opcode::kPing, 2, "");
  ASSERT_TRUE(ping && ping->prefix().ok());
  // Its write makes no progress: closed after --write-timeout.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (Counter(admin, "write_timeouts") == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(Counter(admin, "write_timeouts"), 1u);
  EXPECT_GE(Counter(admin, "read_pauses"), 1u);
}

TEST(RobustnessLimitsTest, ConnectionsOverTheMaximumGetBusy) {
  auto server = ContactdProcess::Start("max_conns", {"--max-connections", "2"});
  ASSERT_TRUE(server);
  WireConnection first(server->port()), second(server->port());
  ASSERT_TRUE(first.Call(Opcode::kPing, 1, ""));
  ASSERT_TRUE(second.Call(Opcode::kPing, 1, ""));
  WireConnection third(server->port());
  const auto reply = third.Receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->prefix().status, WireStatus::kBusy);
  EXPECT_TRUE(third.WaitForClose());
  const auto still = first.Call(Opcode::kPing, 2, "");
  ASSERT_TRUE(still);
  EXPECT_TRUE(still->prefix().ok());
}

TEST(RobustnessLimitsTest, IdleConnectionIsClosed) {
  auto server = ContactdProcess::Start("idle", {"--idle-timeout", "1"});
  ASSERT_TRUE(server);
  WireConnection idle(server->port());
  ASSERT_TRUE(idle.Call(Opcode::kPing, 1, ""));
  EXPECT_TRUE(idle.WaitForClose(30s));
}

TEST(RobustnessLimitsTest, SigtermAnswersWhatWasReadThenExitsZero) {
  auto server = ContactdProcess::Start("graceful");
  ASSERT_TRUE(server);
  WireConnection c(server->port());
  std::string burst;
  for (uint32_t id = 1; id <= 200; ++id) {
    const size_t start = protocol::BeginFrame(burst, Opcode::kUpsert, id);
    burst += BodyOf(&protocol::EncodeUpsertRequest,
                    protocol::UpsertRequest{
                        .contact = MakeContact(
                            kTenantA, "P" + std::to_string(id),
                            "+1555100" + std::to_string(1000 + id), "")});
    protocol::EndFrame(burst, start);
  }
  ASSERT_TRUE(c.SendRaw(burst));
  const auto first = c.Receive();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->prefix().ok());
  server->process().Signal(SIGTERM);
  // Every reply that arrives is whole and OK; then the server closes.
  while (const auto reply = c.Receive()) {
    EXPECT_TRUE(reply->prefix().ok()) << reply->prefix().message;
  }
  EXPECT_EQ(server->process().Wait(30s), 0) << server->process().stderr_text();
}

}  // namespace
}  // namespace contactd::testing
