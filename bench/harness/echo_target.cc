#include "bench/harness/echo_target.h"

namespace contactd::bench {
namespace {

class EchoReplyParser : public ReplyParser {
 public:
  explicit EchoReplyParser(size_t message_bytes)
      : message_bytes_(message_bytes) {}

  absl::StatusOr<size_t> Parse(std::string_view in,
                               std::vector<ParsedReply>& out) override {
    const size_t replies = in.size() / message_bytes_;
    for (size_t i = 0; i < replies; ++i) {
      out.push_back({0, false, ReplyOutcome::kHit});
    }
    return replies * message_bytes_;
  }

 private:
  size_t message_bytes_;
};

}  // namespace

std::unique_ptr<ReplyParser> EchoTarget::NewParser() const {
  return std::make_unique<EchoReplyParser>(message_.size());
}

}  // namespace contactd::bench
