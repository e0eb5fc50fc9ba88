#pragma once
// RequestHandler: answers one request frame of the binary protocol.
//
// It checks the session (HELLO first when the server has tokens, the
// opcode's scope, the token's tenant), decodes the body, and either answers
// at once — lookups, GET, LIST, STATS run on the calling I/O thread without a
// lock — or hands a write to the writer thread (CHECKPOINT and RELOAD to the
// admin thread), whose reply comes back through the session's DeferredReply.
//
// Thread safety: Handle may be called from any number of I/O threads, each
// with its own Session.

#include <cstdint>
#include <span>
#include <string>

#include "protocol/frame.h"
#include "server/access_token.h"
#include "server/server_metrics.h"
#include "server/server_options.h"
#include "server/session.h"
#include "server/write_executor.h"
#include "snapshot/database.h"

namespace contactd::server {

class RequestHandler {
 public:
  struct Config {
    snapshot::Database* database = nullptr;
    WriteExecutor* writer = nullptr;
    WriteExecutor* admin = nullptr;  // checkpoints and reloads
    ServerMetrics* metrics = nullptr;
    const TokenTable* tokens = nullptr;  // nullptr: no auth (loopback)
    ConnectionLimits limits;
  };

  explicit RequestHandler(const Config& config) : config_(config) {}

  // Handles one request; appends an immediate reply frame to `out`.
  Disposition Handle(Session& session, const protocol::FrameHeader& header,
                     std::span<const uint8_t> body, std::string& out);

 private:
  Disposition Hello(Session& session, const protocol::FrameHeader& header,
                    std::span<const uint8_t> body, std::string& out);
  // The status that forbids this request, or OK.
  absl::Status Authorize(const Session& session, protocol::Opcode opcode) const;
  void Stats(std::string& out) const;
  Disposition SubmitWrite(Session& session, const protocol::FrameHeader& header,
                          std::span<const uint8_t> body, std::string& out);
  Disposition SubmitAdmin(Session& session, const protocol::FrameHeader& header,
                          std::span<const uint8_t> body, std::string& out);

  Config config_;
};

}  // namespace contactd::server
