#pragma once
// The read requests of the binary protocol: LOOKUP_PHONE, LOOKUP_EMAIL,
// LOOKUP_BATCH, GET, GET_BY_EXTERNAL_ID and LIST_BY_TAG. Each appends one
// complete reply body (OK payload or error) to `out`.
//
// They run on the I/O thread that read the request, inside an EpochGuard:
// no lock, no wait on the writer. A phone or email lookup that decodes,
// normalizes on the fast path and finds (or misses) its contact allocates
// nothing but the growth of `out`.

#include <cstdint>
#include <span>
#include <string>

#include "index/contact_store.h"
#include "protocol/frame.h"
#include "server/access_token.h"
#include "server/server_metrics.h"

namespace contactd::server {

struct ReadContext {
  const index::ContactStore& store;
  const Grant& grant;
  ServerMetrics& metrics;
};

// Dispatches a read opcode. REQUIRES: IsReadOpcode(opcode).
void AnswerRead(const ReadContext& context, protocol::Opcode opcode,
                std::span<const uint8_t> body, std::string& out);
bool IsReadOpcode(protocol::Opcode opcode);

// The error reply for a body that does not decode (MALFORMED_FRAME, with the
// decoder's message naming the field).
void EncodeMalformedBody(std::string& out, const absl::Status& decode_error,
                         ServerMetrics& metrics);
// The error reply for a tenant the session's token may not use.
void EncodeTenantDenied(std::string& out, ServerMetrics& metrics);

}  // namespace contactd::server
