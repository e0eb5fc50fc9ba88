// client::Client against a scripted fake server: malformed replies, wrong
// opcodes, missing replies and error replies are errors, never UB.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <functional>
#include <string>
#include <thread>

#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/write.hpp"
#include "client/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/errors.h"
#include "protocol/frame.h"
#include "protocol/hello_messages.h"
#include "protocol/little_endian.h"
#include "protocol/reply.h"

namespace contactd::client {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using ::testing::HasSubstr;

// The reply bytes (whole frames) for one request; "" sends nothing.
using Responder = std::function<std::string(const protocol::FrameHeader&)>;

std::string Frame(protocol::Opcode opcode, uint32_t id,
                  const std::string& body) {
  std::string out;
  const size_t start =
      protocol::BeginFrame(out, opcode, id, protocol::kFlagResponse);
  out += body;
  protocol::EndFrame(out, start);
  return out;
}

std::string OkPrefix() {
  std::string out;
  protocol::EncodeOkPrefix(out);
  return out;
}

// Serves one connection on 127.0.0.1:0: answers HELLO, then every other
// request with `respond`. Ends when the client closes the connection.
class FakeServer {
 public:
  explicit FakeServer(Responder respond)
      : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}),
        respond_(std::move(respond)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeServer() { thread_.join(); }

  std::string address() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  void Serve() {
    boost::system::error_code ec;
    tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    while (!ec) {
      uint8_t header_bytes[protocol::kHeaderSize];
      asio::read(socket, asio::buffer(header_bytes), ec);
      if (ec) return;
      const uint32_t length =
          protocol::LoadLittleEndian<uint32_t>(header_bytes + 12);
      std::string body(length, '\0');
      asio::read(socket, asio::buffer(body), ec);
      if (ec) return;
      protocol::FrameHeader header;
      header.opcode = static_cast<protocol::Opcode>(header_bytes[3]);
      header.request_id =
          protocol::LoadLittleEndian<uint32_t>(header_bytes + 8);
      const std::string reply = header.opcode == protocol::Opcode::kHello
                                    ? HelloReply(header.request_id)
                                    : respond_(header);
      if (!reply.empty()) asio::write(socket, asio::buffer(reply), ec);
    }
  }

  static std::string HelloReply(uint32_t id) {
    std::string body;
    protocol::HelloReply hello;
    hello.max_body_bytes = 1 << 20;
    hello.max_in_flight = 64;
    hello.scopes = protocol::kKnownScopes;
    hello.server_name = "fake";
    protocol::EncodeHelloReply(body, hello);
    return Frame(protocol::Opcode::kHello, id, body);
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  Responder respond_;
  std::thread thread_;
};

std::unique_ptr<Client> MakeClient(const FakeServer& server,
                                   absl::Duration timeout = absl::Seconds(10)) {
  ClientOptions options;
  options.server = server.address();
  options.request_timeout = timeout;
  return *Client::Create(options);
}

const protocol::LookupRequest kLookup{.input = "+15551234567"};

TEST(ClientMalformedReplyTest, TruncatedPayloadIsDataLoss) {
  FakeServer server([](const protocol::FrameHeader& h) {
    return Frame(h.opcode, h.request_id, OkPrefix() + "\x00\x01");
  });
  std::unique_ptr<Client> client = MakeClient(server);
  const absl::Status s = client->LookupPhone(kLookup).status();
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("malformed LOOKUP_PHONE reply"));
}

TEST(ClientMalformedReplyTest, HugeCountIsDataLossNotAnAllocation) {
  FakeServer server([](const protocol::FrameHeader& h) {
    // flags, match_count, result_count 0xFFFF and no results.
    return Frame(h.opcode, h.request_id,
                 OkPrefix() + std::string("\x00\x01\x00\x00\x00\xff\xff", 7));
  });
  std::unique_ptr<Client> client = MakeClient(server);
  EXPECT_TRUE(absl::IsDataLoss(client->LookupPhone(kLookup).status()));
}

TEST(ClientMalformedReplyTest, BadMagicBreaksTheConnection) {
  FakeServer server([](const protocol::FrameHeader& h) {
    std::string frame = Frame(h.opcode, h.request_id, OkPrefix());
    frame[0] = 'X';
    return frame;
  });
  std::unique_ptr<Client> client = MakeClient(server);
  const absl::Status s = client->Ping();
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("malformed frame"));
  EXPECT_FALSE(client->connected());
}

TEST(ClientMalformedReplyTest, WrongOpcodeIsDataLoss) {
  FakeServer server([](const protocol::FrameHeader& h) {
    return Frame(protocol::Opcode::kStats, h.request_id, OkPrefix());
  });
  std::unique_ptr<Client> client = MakeClient(server);
  EXPECT_TRUE(absl::IsDataLoss(client->Ping()));
}

TEST(ClientMalformedReplyTest, ErrorReplyKeepsCodeReasonAndMessage) {
  FakeServer server([](const protocol::FrameHeader& h) {
    std::string body;
    protocol::EncodeErrorReply(body, protocol::WireStatus::kNotFound,
                               index::Reason::kContactNotFound, "no such");
    return Frame(h.opcode, h.request_id, body);
  });
  std::unique_ptr<Client> client = MakeClient(server);
  const absl::Status s = client->LookupPhone(kLookup).status();
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_EQ(index::ReasonOf(s), index::Reason::kContactNotFound);
  EXPECT_THAT(s.message(), HasSubstr("no such"));
  EXPECT_TRUE(client->connected());
}

TEST(ClientMalformedReplyTest, MissingReplyIsDeadlineExceeded) {
  FakeServer server([](const protocol::FrameHeader&) { return std::string(); });
  std::unique_ptr<Client> client = MakeClient(server, absl::Milliseconds(200));
  const absl::Status s = client->Ping();
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("no reply to PING"));
}

TEST(ClientMalformedReplyTest, UnknownRequestIdIsIgnored) {
  FakeServer server([](const protocol::FrameHeader& h) {
    return Frame(h.opcode, h.request_id + 1000, OkPrefix()) +
           Frame(h.opcode, h.request_id, OkPrefix());
  });
  std::unique_ptr<Client> client = MakeClient(server);
  EXPECT_TRUE(client->Ping().ok());
}

}  // namespace
}  // namespace contactd::client
