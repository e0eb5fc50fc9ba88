#include "server/request_handler.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "index/epoch.h"
#include "protocol/hello_messages.h"
#include "protocol/reply.h"
#include "protocol/stats_messages.h"
#include "server/admin_requests.h"
#include "server/read_requests.h"
#include "server/reply_frame.h"
#include "server/write_requests.h"
#include "spdlog/spdlog.h"

namespace contactd::server {
namespace {

using protocol::Opcode;
using protocol::WireStatus;

constexpr char kServerName[] = "contactd 0.1.0";

// The scope an opcode needs; 0 for HELLO and PING.
uint8_t RequiredScope(Opcode opcode) {
  if (IsReadOpcode(opcode)) return protocol::kScopeLookup;
  if (IsWriteOpcode(opcode)) return protocol::kScopeWrite;
  if (opcode == Opcode::kStats || IsAdminOpcode(opcode))
    return protocol::kScopeAdmin;
  return 0;
}

void AppendError(std::string& out, const protocol::FrameHeader& header,
                 WireStatus status, index::Reason reason,
                 std::string_view message) {
  AppendReplyFrame(out, header, [&](std::string& body) {
    protocol::EncodeErrorReply(body, status, reason, message);
  });
}

}  // namespace

Disposition RequestHandler::Handle(Session& session,
                                   const protocol::FrameHeader& header,
                                   std::span<const uint8_t> body,
                                   std::string& out) {
  const Opcode opcode = header.opcode;
  if (!protocol::IsKnownOpcode(static_cast<uint8_t>(opcode))) {
    Increment(config_.metrics->unknown_opcodes);
    AppendError(out, header, WireStatus::kUnknownOpcode, index::Reason::kNone,
                absl::StrCat("opcode ", static_cast<int>(opcode),
                             " is not known to this server"));
    return Disposition::kReplied;
  }
  if (opcode == Opcode::kHello) return Hello(session, header, body, out);
  if (!session.grant) {
    Increment(config_.metrics->auth_failures);
    AppendError(out, header, WireStatus::kUnauthenticated, index::Reason::kNone,
                "send HELLO with a token first");
    return Disposition::kReplied;
  }
  if (!session.grant->Has(RequiredScope(opcode))) {
    Increment(config_.metrics->permission_denied);
    AppendError(
        out, header, WireStatus::kPermissionDenied,
        index::Reason::kPermissionDenied,
        absl::StrCat("this token lacks the scope ",
                     index::ToAbsl(protocol::OpcodeName(opcode)), " needs"));
    return Disposition::kReplied;
  }
  if (IsWriteOpcode(opcode)) return SubmitWrite(session, header, body, out);
  if (IsAdminOpcode(opcode)) return SubmitAdmin(session, header, body, out);

  const ReadContext context{config_.database->store(), *session.grant,
                            *config_.metrics};
  AppendReplyFrame(out, header, [&](std::string& reply) {
    if (IsReadOpcode(opcode)) {
      AnswerRead(context, opcode, body, reply);
    } else if (opcode == Opcode::kStats) {
      Stats(reply);
    } else if (auto s = protocol::DecodePingRequest(body); !s.ok()) {
      EncodeMalformedBody(reply, s, *config_.metrics);
    } else {
      protocol::EncodePingReply(reply);
    }
  });
  return Disposition::kReplied;
}

Disposition RequestHandler::Hello(Session& session,
                                  const protocol::FrameHeader& header,
                                  std::span<const uint8_t> body,
                                  std::string& out) {
  protocol::HelloRequest request;
  if (auto s = protocol::DecodeHelloRequest(body, request); !s.ok()) {
    AppendReplyFrame(out, header, [&](std::string& reply) {
      EncodeMalformedBody(reply, s, *config_.metrics);
    });
    return Disposition::kReplied;
  }
  const uint8_t version =
      protocol::NegotiateVersion(request.min_version, request.max_version);
  if (version == 0) {
    Increment(config_.metrics->unsupported_versions);
    AppendError(out, header, WireStatus::kUnsupportedVersion,
                index::Reason::kNone, "this server speaks protocol version 1");
    return Disposition::kClose;
  }
  std::optional<Grant> grant = session.grant;
  if (config_.tokens != nullptr) {
    grant = config_.tokens->Authenticate(request.token);
  }
  if (!grant) {
    Increment(config_.metrics->auth_failures);
    spdlog::info("HELLO from '{}' with a bad token: closing",
                 request.client_name.substr(0, 64));
    AppendError(out, header, WireStatus::kUnauthenticated, index::Reason::kNone,
                "unknown token");
    return Disposition::kClose;
  }
  session.grant = grant;
  session.version = version;
  AppendReplyFrame(out, header, [&](std::string& reply) {
    protocol::EncodeHelloReply(
        reply, protocol::HelloReply{
                   .version = version,
                   .max_body_bytes = config_.limits.max_frame_bytes,
                   .max_in_flight =
                       static_cast<uint32_t>(config_.limits.max_in_flight),
                   .scopes = grant->scopes,
                   .tenant = grant->tenant,
                   .server_name = kServerName,
               });
  });
  return Disposition::kReplied;
}

void RequestHandler::Stats(std::string& out) const {
  std::vector<protocol::StatsCounter> counters;
  for (const auto& [name, value] : config_.metrics->Snapshot()) {
    counters.push_back({std::string(name), value});
  }
  index::EpochGuard guard;
  const index::IndexStats stats = config_.database->store().index().Stats();
  const std::pair<const char*, size_t> index_counters[] = {
      {"contacts", stats.contacts},         {"tenants", stats.tenants},
      {"phone_keys", stats.phone_keys},     {"email_keys", stats.email_keys},
      {"external_ids", stats.external_ids}, {"lists", stats.lists},
      {"index_bytes", stats.total_bytes()},
  };
  for (const auto& [name, value] : index_counters) {
    counters.push_back({name, value});
  }
  const snapshot::DurabilityStats durability = config_.database->stats();
  const std::pair<const char*, uint64_t> durability_counters[] = {
      {"wal_last_sequence", durability.wal_last_sequence},
      {"wal_bytes_appended", durability.wal_bytes_appended},
      {"wal_bytes_since_checkpoint", durability.wal_bytes_since_checkpoint},
      {"wal_segments", durability.wal_segments},
      {"fsyncs", durability.fsyncs},
      {"checkpoints", durability.checkpoints},
      {"last_checkpoint_sequence", durability.last_checkpoint_sequence},
      {"reloads", durability.reloads},
  };
  for (const auto& [name, value] : durability_counters) {
    counters.push_back({name, value});
  }
  protocol::EncodeStatsReply(out, counters);
}

Disposition RequestHandler::SubmitWrite(Session& session,
                                        const protocol::FrameHeader& header,
                                        std::span<const uint8_t> body,
                                        std::string& out) {
  std::string error;
  std::optional<WriteWork> work =
      PrepareWrite(config_.database->store(), *session.grant, *config_.metrics,
                   header.opcode, body, error);
  if (!work) {
    AppendReplyFrame(out, header,
                     [&](std::string& reply) { reply.append(error); });
    return Disposition::kReplied;
  }
  Increment(config_.metrics->writes);
  const bool queued =
      config_.writer->Submit([work = std::move(*work), header,
                              reply = session.deferred_reply]() mutable {
        std::string frame;
        AppendReplyFrame(frame, header, [&](std::string& reply_body) {
          std::move(work)(reply_body);
        });
        // Sent once the batch's WAL records are as durable as --fsync says.
        return WriteExecutor::Completion(
            [reply = std::move(reply), frame = std::move(frame)]() mutable {
              reply(std::move(frame));
            });
      });
  if (!queued) {
    Increment(config_.metrics->writes_rejected_busy);
    AppendError(out, header, WireStatus::kBusy, index::Reason::kNone,
                "the write queue is full; retry later");
    return Disposition::kReplied;
  }
  return Disposition::kDeferred;
}

Disposition RequestHandler::SubmitAdmin(Session& session,
                                        const protocol::FrameHeader& header,
                                        std::span<const uint8_t> body,
                                        std::string& out) {
  std::string error;
  std::optional<AdminWork> work = PrepareAdmin(
      *config_.database, *config_.metrics, header.opcode, body, error);
  if (!work) {
    AppendReplyFrame(out, header,
                     [&](std::string& reply) { reply.append(error); });
    return Disposition::kReplied;
  }
  const bool queued =
      config_.admin->Submit([work = std::move(*work), header,
                             reply = session.deferred_reply]() mutable {
        std::string frame;
        AppendReplyFrame(frame, header, [&](std::string& reply_body) {
          std::move(work)(reply_body);
        });
        reply(std::move(frame));
        return WriteExecutor::Completion();
      });
  if (!queued) {
    AppendError(out, header, WireStatus::kBusy, index::Reason::kNone,
                "a checkpoint or reload is already queued; retry later");
    return Disposition::kReplied;
  }
  return Disposition::kDeferred;
}

}  // namespace contactd::server
