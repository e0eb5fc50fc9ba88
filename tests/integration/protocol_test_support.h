#pragma once
// Shared pieces of the binary-protocol integration tests: a started server
// with one connection, request encoding and reply decoding in one call.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "index/contact.h"
#include "protocol/contact_messages.h"
#include "protocol/lookup_messages.h"
#include "protocol/reply.h"
#include "tests/integration/contactd_process.h"
#include "tests/integration/wire_connection.h"

namespace contactd::testing {

inline const index::Uuid kTenantA =
    *index::Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890ab");
inline const index::Uuid kTenantB =
    *index::Uuid::Parse("5c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f");

// A request body: `encode` applied to `request`.
template <typename Request>
std::string BodyOf(void (*encode)(std::string&, const Request&),
                   const Request& request) {
  std::string body;
  encode(body, request);
  return body;
}

// A contact of `tenant` with one mobile number and one work email.
index::Contact MakeContact(const index::Uuid& tenant, const std::string& name,
                           const std::string& phone, const std::string& email);

std::string LookupBody(const index::Uuid& tenant, std::string_view input,
                       uint8_t flags = 0, std::string_view region = "");

// The payload of an OK reply decoded with `decode`; a failed test otherwise.
template <typename Reply>
Reply DecodeOk(const std::optional<ReceivedFrame>& frame,
               absl::Status (*decode)(std::span<const uint8_t>, Reply&)) {
  Reply reply{};
  if (!frame) {
    ADD_FAILURE() << "no reply";
    return reply;
  }
  auto payload = protocol::OkPayload(frame->bytes());
  if (!payload.ok()) {
    ADD_FAILURE() << "error reply: " << payload.status();
    return reply;
  }
  if (auto s = decode(*payload, reply); !s.ok()) {
    ADD_FAILURE() << "malformed reply: " << s;
  }
  return reply;
}

// A server without tokens and a connection to it.
class ProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Sends a request with a fresh id; the reply must carry that id.
  std::optional<ReceivedFrame> Call(protocol::Opcode opcode,
                                    std::string_view body);
  // Upserts `contact`; returns it as stored.
  index::Contact Put(const index::Contact& contact);

  std::unique_ptr<ContactdProcess> server_;
  std::unique_ptr<WireConnection> connection_;
  uint32_t next_id_ = 1;
};

}  // namespace contactd::testing
