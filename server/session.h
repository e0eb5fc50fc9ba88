#pragma once
// Session: what the request handler knows about one binary connection, and
// how it answers.
//
// A request is answered either at once (the reply frame is appended to the
// connection's output) or later from another thread (writes run on the
// writer thread) through the session's DeferredReply, which hands the frame
// back to the connection's io_context (the one thread that runs it).

#include <functional>
#include <optional>
#include <string>

#include "server/access_token.h"

namespace contactd::server {

// Delivers a complete reply frame for a deferred request. Thread-safe;
// keeps the connection alive until delivered.
using DeferredReply = std::function<void(std::string frame)>;

struct Session {
  // Set by a successful HELLO, or from the start when the server has no
  // tokens file. Requests without a grant get UNAUTHENTICATED.
  std::optional<Grant> grant;
  uint8_t version = 0;  // negotiated by HELLO; 0 before it
  DeferredReply deferred_reply;
};

enum class Disposition {
  kReplied,   // a reply frame was appended to the output
  kDeferred,  // the reply comes through session.deferred_reply
  kClose,     // a final reply was appended; close once it is written
};

}  // namespace contactd::server
