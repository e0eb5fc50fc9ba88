#include "server/admin_requests.h"

#include <utility>

#include "protocol/admin_messages.h"
#include "protocol/reply.h"
#include "server/read_requests.h"
#include "server/thread_priority.h"
#include "spdlog/spdlog.h"

namespace contactd::server {
namespace {

using protocol::Opcode;

void RunAsBackgroundWork() {
  static thread_local const bool lowered = SetThisThreadNice(kBackgroundNice);
  (void)lowered;
}

uint64_t Micros(absl::Duration d) {
  return static_cast<uint64_t>(absl::ToInt64Microseconds(d));
}

void Checkpoint(snapshot::Database& database, std::string& out) {
  auto result = RunCheckpoint(database);
  if (!result.ok()) return protocol::EncodeErrorReply(out, result.status());
  protocol::EncodeCheckpointReply(out,
                                  {.sequence = result->sequence,
                                   .contacts = result->contacts,
                                   .bytes = result->bytes,
                                   .duration_us = Micros(result->duration)});
}

void Reload(snapshot::Database& database, const std::string& path,
            std::string& out) {
  auto result = RunReload(database, path);
  if (!result.ok()) return protocol::EncodeErrorReply(out, result.status());
  protocol::EncodeReloadReply(out, {.contacts = result->contacts,
                                    .sequence = result->sequence,
                                    .duration_us = Micros(result->duration)});
}

}  // namespace

absl::StatusOr<snapshot::CheckpointResult> RunCheckpoint(
    snapshot::Database& database) {
  RunAsBackgroundWork();
  auto result = database.Checkpoint();
  if (!result.ok()) {
    spdlog::error("checkpoint failed: {}", result.status().ToString());
    return result;
  }
  spdlog::info("checkpoint: {} contacts through WAL sequence {} in {}",
               result->contacts, result->sequence,
               absl::FormatDuration(result->duration));
  return result;
}

absl::StatusOr<snapshot::ReloadResult> RunReload(snapshot::Database& database,
                                                 const std::string& path) {
  RunAsBackgroundWork();
  auto result = database.Reload(path);
  if (!result.ok()) {
    spdlog::warn("reload of {} refused: {}", path, result.status().ToString());
    return result;
  }
  spdlog::info("reload: {} contacts from {} in {}", result->contacts, path,
               absl::FormatDuration(result->duration));
  return result;
}

bool IsAdminOpcode(Opcode opcode) {
  return opcode == Opcode::kCheckpoint || opcode == Opcode::kReload;
}

std::optional<AdminWork> PrepareAdmin(snapshot::Database& database,
                                      ServerMetrics& metrics, Opcode opcode,
                                      std::span<const uint8_t> body,
                                      std::string& error_out) {
  if (opcode == Opcode::kCheckpoint) {
    if (auto s = protocol::DecodeCheckpointRequest(body); !s.ok()) {
      EncodeMalformedBody(error_out, s, metrics);
      return std::nullopt;
    }
    return AdminWork(
        [&database](std::string& out) { Checkpoint(database, out); });
  }
  protocol::ReloadRequest request;
  if (auto s = protocol::DecodeReloadRequest(body, request); !s.ok()) {
    EncodeMalformedBody(error_out, s, metrics);
    return std::nullopt;
  }
  return AdminWork([&database, path = std::move(request.path)](
                       std::string& out) { Reload(database, path, out); });
}

}  // namespace contactd::server
