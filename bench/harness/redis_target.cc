#include "bench/harness/redis_target.h"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <cstdlib>

namespace contactd::bench {
namespace {

// Reply objects are these markers: the reader builds nothing.
char kStringMark, kStatusMark, kErrorMark, kNilMark, kIntegerMark, kArrayMark;

void* CreateString(const redisReadTask* task, char*, size_t) {
  switch (task->type) {
    case REDIS_REPLY_STATUS:
      return &kStatusMark;
    case REDIS_REPLY_ERROR:
      return &kErrorMark;
    default:
      return &kStringMark;
  }
}
void* CreateArray(const redisReadTask*, int) { return &kArrayMark; }
void* CreateInteger(const redisReadTask*, long long) { return &kIntegerMark; }
void* CreateNil(const redisReadTask*) { return &kNilMark; }
void FreeObject(void*) {}

redisReplyObjectFunctions kClassifyingFunctions = {
    CreateString, CreateArray, CreateInteger, CreateNil, FreeObject};

ReplyOutcome OutcomeOf(const void* reply) {
  if (reply == &kStringMark) return ReplyOutcome::kHit;
  if (reply == &kNilMark) return ReplyOutcome::kMiss;
  if (reply == &kStatusMark) return ReplyOutcome::kWritten;
  return ReplyOutcome::kError;
}

class RedisReplyParser : public ReplyParser {
 public:
  RedisReplyParser()
      : reader_(redisReaderCreateWithFunctions(&kClassifyingFunctions)) {}
  ~RedisReplyParser() override { redisReaderFree(reader_); }
  RedisReplyParser(const RedisReplyParser&) = delete;
  RedisReplyParser& operator=(const RedisReplyParser&) = delete;

  absl::StatusOr<size_t> Parse(std::string_view in,
                               std::vector<ParsedReply>& out) override {
    if (redisReaderFeed(reader_, in.data(), in.size()) != REDIS_OK) {
      return absl::DataLossError(reader_->errstr);
    }
    while (true) {
      void* reply = nullptr;
      if (redisReaderGetReply(reader_, &reply) != REDIS_OK) {
        return absl::DataLossError(reader_->errstr);
      }
      if (reply == nullptr) return in.size();  // the rest is buffered
      out.push_back({0, false, OutcomeOf(reply)});
    }
  }

 private:
  redisReader* reader_;
};

}  // namespace

absl::StatusOr<std::string> FormatRedisCommand(
    const std::vector<std::string_view>& argv) {
  std::vector<const char*> args;
  std::vector<size_t> lengths;
  for (std::string_view a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* command = nullptr;
  const int size = redisFormatCommandArgv(
      &command, static_cast<int>(argv.size()), args.data(), lengths.data());
  if (size < 0 || command == nullptr) {
    return absl::InternalError("hiredis: cannot format a command");
  }
  std::string out(command, static_cast<size_t>(size));
  std::free(command);
  return out;
}

absl::StatusOr<std::unique_ptr<RedisTarget>> RedisTarget::Create(
    const Workload& workload) {
  std::unique_ptr<RedisTarget> target(new RedisTarget());
  for (const LookupKey& key : workload.keys) {
    absl::StatusOr<std::string> get =
        FormatRedisCommand({"GET", key.redis_key});
    if (!get.ok()) return get.status();
    target->lookups_.Add(*get);
  }
  for (const WriteOp& write : workload.writes) {
    std::vector<std::string_view> argv = {"MSET"};
    for (const std::string& key : write.redis_keys) {
      argv.push_back(key);
      argv.push_back(write.json);
    }
    absl::StatusOr<std::string> mset = FormatRedisCommand(argv);
    if (!mset.ok()) return mset.status();
    target->writes_.Add(*mset);
  }
  return target;
}

void RedisTarget::AppendRequest(std::string& out, Op op, uint32_t) const {
  out.append(op.kind == OpKind::kLookup ? lookups_.Get(op.index)
                                        : writes_.Get(op.index));
}

std::unique_ptr<ReplyParser> RedisTarget::NewParser() const {
  return std::make_unique<RedisReplyParser>();
}

}  // namespace contactd::bench
