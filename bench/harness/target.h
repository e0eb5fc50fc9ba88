#pragma once
// Target: the server a bench run measures — how to write a request of the
// workload (pre-encoded once, so a request costs the load generator a copy)
// and how to read the replies. contactd_target.h (the binary protocol),
// redis_target.h (RESP through hiredis), echo_target.h (the loopback floor).
//
//   std::string out;
//   target.AppendRequest(out, picker.Next(), seq);   // then send(out)
//   std::unique_ptr<ReplyParser> parser = target.NewParser();  // per
//   connection ASSIGN_OR_RETURN(size_t used, parser->Parse(received, replies));
//
// Thread safety: a Target is immutable after Create and shared by the load
// threads; a ReplyParser belongs to one connection.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/harness/workload.h"

namespace contactd::bench {

enum class ReplyOutcome : uint8_t { kHit, kMiss, kWritten, kError };

struct ParsedReply {
  uint32_t seq = 0;  // the request's seq, when has_seq
  bool has_seq = false;
  ReplyOutcome outcome = ReplyOutcome::kError;
};

class ReplyParser {
 public:
  virtual ~ReplyParser() = default;
  // Parses the complete replies at the front of `in` (appending them to
  // `out`) and returns how many bytes they took; the rest is the start of an
  // incomplete reply. An error means the stream is broken: close it.
  virtual absl::StatusOr<size_t> Parse(std::string_view in,
                                       std::vector<ParsedReply>& out) = 0;
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string_view name() const = 0;
  // Appends request `op` to `out`. Protocols with a request id carry `seq`
  // in it; the others answer in order.
  virtual void AppendRequest(std::string& out, Op op, uint32_t seq) const = 0;
  virtual std::unique_ptr<ReplyParser> NewParser() const = 0;
};

// Requests encoded once, back to back in one buffer.
class EncodedRequests {
 public:
  void Add(std::string_view request) {
    offsets_.push_back(bytes_.size());
    bytes_.append(request);
  }
  std::string_view Get(size_t i) const {
    const size_t end =
        i + 1 < offsets_.size() ? offsets_[i + 1] : bytes_.size();
    return std::string_view(bytes_).substr(offsets_[i], end - offsets_[i]);
  }
  size_t size() const { return offsets_.size(); }

 private:
  std::string bytes_;
  std::vector<size_t> offsets_;
};

}  // namespace contactd::bench
