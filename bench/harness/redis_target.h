#pragma once
// RedisTarget: the same workload against redis-server holding the dataset as
// redis_keys.h describes. A lookup is `GET <redis_key>` (the key list's
// normalized key), a write `MSET` of every key of the contact to its JSON.
// Requests are encoded once with hiredis's redisFormatCommandArgv; replies
// are read with hiredis's RESP reader (read.h) with reply-object functions
// that only classify the reply (a bulk string is a hit, nil a miss, a status
// a write, an error an error) and build nothing, so the client pays for a
// Redis reply what it pays for a contactd one: the framing, not the value.
//
// NOTE: hiredis's reader copies the received bytes into its own buffer
// (redisReaderFeed); that copy (~1 µs per 10 KB) is the one extra cost the
// Redis side of a run carries in the client.

#include <memory>

#include "absl/status/statusor.h"
#include "bench/harness/target.h"

namespace contactd::bench {

class RedisTarget : public Target {
 public:
  // Errors: Internal when hiredis cannot format a command.
  static absl::StatusOr<std::unique_ptr<RedisTarget>> Create(
      const Workload& workload);

  std::string_view name() const override { return "redis"; }
  void AppendRequest(std::string& out, Op op, uint32_t seq) const override;
  std::unique_ptr<ReplyParser> NewParser() const override;

 private:
  RedisTarget() = default;
  EncodedRequests lookups_;
  EncodedRequests writes_;
};

// The RESP encoding of one command (hiredis redisFormatCommandArgv).
absl::StatusOr<std::string> FormatRedisCommand(
    const std::vector<std::string_view>& argv);

}  // namespace contactd::bench
