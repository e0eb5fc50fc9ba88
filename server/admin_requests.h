#pragma once
// The admin requests of the binary protocol that touch the data directory:
// CHECKPOINT and RELOAD. They take seconds on a big dataset, so they run on
// the server's admin thread, never on an I/O thread or the writer; lookups
// and writes go on while they run.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "absl/functional/any_invocable.h"
#include "protocol/frame.h"
#include "server/server_metrics.h"
#include "snapshot/database.h"

namespace contactd::server {

// Checkpoint and reload as every admin path runs them (binary opcodes and
// HTTP /admin/*): on the admin thread, which they move to background
// priority, with the outcome logged.
absl::StatusOr<snapshot::CheckpointResult> RunCheckpoint(
    snapshot::Database& database);
absl::StatusOr<snapshot::ReloadResult> RunReload(snapshot::Database& database,
                                                 const std::string& path);

// Runs on the admin thread; appends the complete reply body to `out`.
using AdminWork = absl::AnyInvocable<void(std::string& out) &&>;

bool IsAdminOpcode(protocol::Opcode opcode);

// Decodes `body`; returns the work, or appends the MALFORMED_FRAME reply
// body to `error_out` and returns nullopt. REQUIRES: IsAdminOpcode(opcode).
std::optional<AdminWork> PrepareAdmin(snapshot::Database& database,
                                      ServerMetrics& metrics,
                                      protocol::Opcode opcode,
                                      std::span<const uint8_t> body,
                                      std::string& error_out);

}  // namespace contactd::server
