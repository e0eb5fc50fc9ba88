#pragma once
// Fixed contacts and bytes for the protocol tests, the fuzz seed corpus and
// the benchmark: deterministic ids and times, so encodings are stable.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "index/contact.h"
#include "index/uuid.h"

namespace contactd::protocol::testing {

// A Uuid whose 16 bytes are `first`, first+1, ..., first+15.
index::Uuid SequentialUuid(uint8_t first);
// 0b7e3f4c-9a2d-4c1e-8f00-1234567890ab, the tenant of every test contact.
index::Uuid TestTenant();

// A typical stored contact: 2 phones (one entered as E.164, one not),
// 1 email, 2 tags, ~60 bytes of names; ids and times assigned, as a record's
// ToContact() would return it.
index::Contact TypicalContact();
// The contact of docs/protocol.md's worked example: "Ada Lovelace" of
// "Acme", tag "vip", one phone "+15551234567".
index::Contact ExampleContact();

// Bytes as a span, and hex for failure messages / golden comparisons.
inline std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
std::string Hex(std::string_view bytes);
// Parses hex digits, ignoring blanks and newlines.
std::string Unhex(std::string_view hex);

}  // namespace contactd::protocol::testing
