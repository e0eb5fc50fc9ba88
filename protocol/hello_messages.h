#pragma once
// HELLO (version negotiation and authentication) and PING.
//
//   hello request = min_version:u8 max_version:u8 token:str client_name:str
//   hello reply payload = version:u8 max_body_bytes:u32 max_in_flight:u32
//                         scopes:u8 tenant:uuid server_name:str
//     version: the highest version both sides speak; frames after HELLO
//              carry it. No common version: UNSUPPORTED_VERSION error reply.
//     scopes: kScopeLookup | kScopeWrite | kScopeAdmin bits granted
//     tenant: the one tenant the token may use; nil = every tenant
//     server_name: e.g. "contactd 0.1.0"
//   ping request = (empty)      ping reply payload = (empty)
//
// HELLO must be the first request of a connection (any other opcode first
// gets UNAUTHENTICATED); a bad token gets UNAUTHENTICATED and the server
// closes the connection.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "index/uuid.h"

namespace contactd::protocol {

// Scope bits (do not change: on the wire; same values as server::Scope).
inline constexpr uint8_t kScopeLookup = 1;  // lookups, GET, LIST_BY_TAG
inline constexpr uint8_t kScopeWrite = 2;   // UPSERT, DELETE, mutations
inline constexpr uint8_t kScopeAdmin = 4;   // STATS
inline constexpr uint8_t kKnownScopes =
    kScopeLookup | kScopeWrite | kScopeAdmin;

struct HelloRequest {
  uint8_t min_version = 1;
  uint8_t max_version = 1;
  std::string token;
  std::string client_name;  // for logs, e.g. "contactctl 0.1.0"

  friend bool operator==(const HelloRequest&, const HelloRequest&) = default;
};

struct HelloReply {
  uint8_t version = 1;
  uint32_t max_body_bytes = 0;  // the largest request body accepted
  uint32_t max_in_flight = 0;   // pipelined requests per connection
  uint8_t scopes = 0;
  index::Uuid tenant;  // nil: every tenant
  std::string server_name;

  friend bool operator==(const HelloReply&, const HelloReply&) = default;
};

void EncodeHelloRequest(std::string& out, const HelloRequest& request);
// Errors: truncated/trailing bytes, min_version > max_version.
absl::Status DecodeHelloRequest(std::span<const uint8_t> body,
                                HelloRequest& out);

// Appends the whole reply body, OK prefix included.
void EncodeHelloReply(std::string& out, const HelloReply& reply);
// Decodes the payload of an OK reply. Unknown scope bits are kept.
absl::Status DecodeHelloReply(std::span<const uint8_t> payload,
                              HelloReply& out);

// The highest version in [min_version, max_version] that this code speaks
// (kProtocolVersion only, for now), or 0 when there is none.
uint8_t NegotiateVersion(uint8_t min_version, uint8_t max_version);

// PING: empty request; the reply is the OK prefix alone.
inline void EncodePingRequest(std::string&) {}
absl::Status DecodePingRequest(std::span<const uint8_t> body);
void EncodePingReply(std::string& out);
absl::Status DecodePingReply(std::span<const uint8_t> payload);

}  // namespace contactd::protocol
