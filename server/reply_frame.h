#pragma once
// Helpers that wrap a reply body in its frame (server side).

#include <string>

#include "absl/status/status.h"
#include "protocol/frame.h"
#include "protocol/reply.h"

namespace contactd::server {

// Appends the frame of one reply: header (opcode and request id of the
// request, the response flag), then whatever `encode_body` appends.
template <typename EncodeBody>
void AppendReplyFrame(std::string& out, const protocol::FrameHeader& request,
                      EncodeBody&& encode_body) {
  const size_t start = protocol::BeginFrame(
      out, request.opcode, request.request_id, protocol::kFlagResponse);
  encode_body(out);
  protocol::EndFrame(out, start);
}

// Appends an error reply frame for a non-OK `status`.
inline void AppendErrorFrame(std::string& out,
                             const protocol::FrameHeader& request,
                             const absl::Status& status) {
  AppendReplyFrame(out, request, [&](std::string& body) {
    protocol::EncodeErrorReply(body, status);
  });
}

}  // namespace contactd::server
