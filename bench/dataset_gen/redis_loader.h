#pragma once
// LoadRedis: puts the dataset into redis-server the way a team would cache
// it (bench/harness/redis_keys.h): for every stored contact, `SET` of each
// of its phone and email keys to the contact's JSON
// (protocol/contact_json.h), pipelined through hiredis (`batch` commands
// written before their replies are read).
//
//   ASSIGN_OR_RETURN(RedisLoadResult r,
//                    LoadRedis(loaded.records, "127.0.0.1", 6379));

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/contact_record.h"

namespace contactd::bench {

struct RedisLoadResult {
  uint64_t contacts = 0;
  uint64_t keys = 0;
  uint64_t value_bytes = 0;  // JSON bytes over all keys
  double seconds = 0;
};

// Errors: Unavailable (cannot connect, connection lost), Internal (an error
// reply, with Redis's message).
absl::StatusOr<RedisLoadResult> LoadRedis(
    const std::vector<index::ContactRecord::Ptr>& stored,
    const std::string& host, uint16_t port, size_t batch = 1000);

}  // namespace contactd::bench
