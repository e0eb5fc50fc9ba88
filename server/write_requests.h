#pragma once
// The write requests of the binary protocol: UPSERT, DELETE and the partial
// mutations. The I/O thread decodes and authorizes a request (PrepareWrite);
// the writer thread runs the returned work, which performs the mutation on
// the store and appends the reply body (the stored contact, or the error).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "absl/functional/any_invocable.h"
#include "index/contact_store.h"
#include "protocol/frame.h"
#include "server/access_token.h"
#include "server/server_metrics.h"

namespace contactd::server {

// Runs on the writer thread; appends the complete reply body to `out`.
using WriteWork = absl::AnyInvocable<void(std::string& out) &&>;

bool IsWriteOpcode(protocol::Opcode opcode);

// Decodes `body` of a write opcode and checks the grant's tenant. On
// success returns the work (owning every decoded field); otherwise appends
// the error reply body (MALFORMED_FRAME, PERMISSION_DENIED) to `error_out`
// and returns nullopt. REQUIRES: IsWriteOpcode(opcode).
std::optional<WriteWork> PrepareWrite(index::ContactStore& store,
                                      const Grant& grant,
                                      ServerMetrics& metrics,
                                      protocol::Opcode opcode,
                                      std::span<const uint8_t> body,
                                      std::string& error_out);

}  // namespace contactd::server
