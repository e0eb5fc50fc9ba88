#include "bench/dataset_gen/redis_loader.h"

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"
#include "bench/harness/redis_keys.h"
#include "protocol/contact_json.h"

namespace contactd::bench {
namespace {

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;

absl::Status ContextError(const redisContext& c) {
  return absl::UnavailableError(absl::StrCat("redis: ", c.errstr));
}

// Reads `pending` replies; the first error reply is the error.
absl::Status Drain(redisContext& c, size_t& pending) {
  absl::Status first = absl::OkStatus();
  for (; pending > 0; --pending) {
    void* raw = nullptr;
    if (redisGetReply(&c, &raw) != REDIS_OK) return ContextError(c);
    auto* reply = static_cast<redisReply*>(raw);
    if (reply->type == REDIS_REPLY_ERROR && first.ok()) {
      first = absl::InternalError(
          absl::StrCat("redis: ", std::string(reply->str, reply->len)));
    }
    freeReplyObject(reply);
  }
  return first;
}

}  // namespace

absl::StatusOr<RedisLoadResult> LoadRedis(
    const std::vector<index::ContactRecord::Ptr>& stored,
    const std::string& host, uint16_t port, size_t batch) {
  const auto start = std::chrono::steady_clock::now();
  Context context(redisConnect(host.c_str(), port));
  if (context == nullptr) return absl::UnavailableError("redis: no memory");
  if (context->err) return ContextError(*context);
  RedisLoadResult result;
  size_t pending = 0;
  for (const index::ContactRecord::Ptr& record : stored) {
    const index::Contact c = record->ToContact();
    const std::string json = protocol::DumpJson(protocol::ContactToJson(c));
    std::vector<std::string> keys;
    for (const index::PhoneNumber& p : c.phone_numbers) {
      keys.push_back(RedisPhoneKey(c.customer_id, p.number_e164));
    }
    for (const index::Email& e : c.emails) {
      keys.push_back(RedisEmailKey(c.customer_id, e.address));
    }
    for (const std::string& key : keys) {
      const char* argv[] = {"SET", key.data(), json.data()};
      const size_t lengths[] = {3, key.size(), json.size()};
      if (redisAppendCommandArgv(context.get(), 3, argv, lengths) != REDIS_OK) {
        return ContextError(*context);
      }
      ++result.keys;
      result.value_bytes += json.size();
      if (++pending >= batch) {
        if (absl::Status s = Drain(*context, pending); !s.ok()) return s;
      }
    }
    ++result.contacts;
  }
  if (absl::Status s = Drain(*context, pending); !s.ok()) return s;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

}  // namespace contactd::bench
