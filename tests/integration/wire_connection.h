#pragma once
// WireConnection: a blocking TCP connection to contactd that speaks raw
// frames, for integration tests — including the malformed traffic a real
// client library would never send. Every read has a deadline.
//
//   WireConnection c(port);
//   c.Send(Opcode::kPing, 7, "");
//   std::optional<ReceivedFrame> reply = c.Receive();
//   ASSERT_TRUE(reply); EXPECT_EQ(reply->header.request_id, 7u);

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "protocol/frame.h"
#include "protocol/reply.h"

namespace contactd::testing {

struct ReceivedFrame {
  protocol::FrameHeader header;
  std::string body;

  // The reply prefix (status, reason, message) of the body.
  protocol::ReplyPrefix prefix() const;
  std::span<const uint8_t> bytes() const {
    return {reinterpret_cast<const uint8_t*>(body.data()), body.size()};
  }
};

class WireConnection {
 public:
  // Connects to 127.0.0.1:port; connected() says whether it worked.
  // `receive_buffer` > 0 shrinks SO_RCVBUF (a client that reads slowly).
  explicit WireConnection(int port, int receive_buffer = 0);
  ~WireConnection();
  WireConnection(const WireConnection&) = delete;
  WireConnection& operator=(const WireConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends bytes as they are; false when the peer has gone.
  bool SendRaw(std::string_view bytes);
  // Sends what the socket takes without blocking; returns the byte count.
  size_t SendWithoutBlocking(std::string_view bytes);
  // Sends one request frame.
  bool Send(protocol::Opcode opcode, uint32_t request_id,
            std::string_view body);
  // The next frame, or nullopt on end of stream, a reset, a malformed frame
  // or the deadline.
  std::optional<ReceivedFrame> Receive(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends a request and returns its reply (which must be the next frame).
  std::optional<ReceivedFrame> Call(protocol::Opcode opcode,
                                    uint32_t request_id, std::string_view body);
  // True when the peer closes the connection (end of stream or reset)
  // before the deadline; frames before the close are discarded.
  bool WaitForClose(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  // Reads more bytes into buffer_; false on close, error or deadline.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace contactd::testing
