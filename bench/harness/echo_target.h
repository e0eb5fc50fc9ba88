#pragma once
// EchoTarget: the floor. Every request is the same `message_bytes` bytes
// (default 49, the size of a LOOKUP_PHONE frame for an E.164 number) and the
// reply is those bytes back (echo_server.h): what a round trip over loopback
// TCP costs with no server work at all — two syscalls and two wake-ups.

#include <memory>

#include "bench/harness/target.h"

namespace contactd::bench {

class EchoTarget : public Target {
 public:
  explicit EchoTarget(size_t message_bytes = 49)
      : message_(message_bytes, 'e') {}

  std::string_view name() const override { return "echo"; }
  void AppendRequest(std::string& out, Op, uint32_t) const override {
    out.append(message_);
  }
  std::unique_ptr<ReplyParser> NewParser() const override;

 private:
  std::string message_;
};

}  // namespace contactd::bench
