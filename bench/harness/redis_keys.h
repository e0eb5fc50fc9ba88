#pragma once
// How a team would cache contacts in Redis for the same lookups contactd
// answers (the bench's `--target redis` dataset): one string key per phone
// number and per email address, each holding the whole contact as JSON
// (protocol/contact_json.h), scoped by tenant:
//
//   c:<customer_id>:p:<number_e164>   e.g.
//   c:0b7e3f4c-...-1234567890ab:p:+14155550123 c:<customer_id>:e:<address> e.g.
//   c:0b7e3f4c-...-1234567890ab:e:ada@example.com
//
// The number is the E.164 form and the address the lowercased one, so the
// Redis client normalizes before it asks (the bench precomputes that and does
// not charge it to Redis). The customer id is plain, without Redis Cluster
// hash-tag braces: the bench runs one Redis instance.

#include <string>
#include <string_view>

#include "index/uuid.h"

namespace contactd::bench {

std::string RedisPhoneKey(const index::Uuid& tenant, std::string_view e164);
std::string RedisEmailKey(const index::Uuid& tenant, std::string_view address);

}  // namespace contactd::bench
