#include "server/server.h"

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "protocol/frame.h"
#include "protocol/reply.h"
#include "server/listen_socket.h"
#include "spdlog/spdlog.h"

namespace contactd::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// How long a graceful stop waits for clients to take their last replies.
constexpr std::chrono::seconds kStopDeadline(10);

// Queued checkpoint/reload requests; more get BUSY.
constexpr size_t kMaxAdminQueue = 4;

absl::StatusOr<std::unique_ptr<snapshot::Database>> OpenDatabase(
    const ServerOptions& options, ServerMetrics& metrics) {
  spdlog::info("recovering {}", options.data_dir);
  auto database = snapshot::Database::Open({
      .dir = options.data_dir,
      .default_region = options.default_region,
      .fsync = options.fsync,
      .wal_segment_bytes = options.wal_segment_bytes,
      .checkpoint_wal_bytes = options.checkpoint_wal_bytes,
      .salvage = options.salvage,
      .on_fsync =
          [&metrics](absl::Duration took) {
            metrics.fsync_latency.Record(took);
          },
  });
  if (!database.ok()) return database.status();
  const snapshot::RecoveryResult& r = (*database)->recovery();
  for (const std::string& warning : r.warnings) spdlog::warn("{}", warning);
  spdlog::info(
      "recovered through WAL sequence {}: snapshot {} ({} contacts, {}), "
      "{} WAL records replayed ({})",
      r.last_sequence, r.snapshot_file.empty() ? "none" : r.snapshot_file,
      r.snapshot_contacts, absl::FormatDuration(r.snapshot_load_time),
      r.wal_records_replayed, absl::FormatDuration(r.replay_time));
  return database;
}

absl::StatusOr<std::optional<TokenTable>> LoadTokens(
    const ServerOptions& options) {
  if (options.tokens_file.empty()) return std::optional<TokenTable>();
  auto tokens = TokenTable::Load(options.tokens_file);
  if (!tokens.ok()) return tokens.status();
  return std::optional<TokenTable>(*std::move(tokens));
}

// The BUSY frame a connection over --max-connections gets before it closes.
std::string TooManyConnectionsFrame() {
  std::string frame;
  const size_t start = protocol::BeginFrame(frame, protocol::Opcode::kHello, 0,
                                            protocol::kFlagResponse);
  protocol::EncodeErrorReply(frame, protocol::WireStatus::kBusy,
                             index::Reason::kNone, "too many connections");
  protocol::EndFrame(frame, start);
  return frame;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Create(
    const ServerOptions& options) {
  auto tokens = LoadTokens(options);
  if (!tokens.ok()) return tokens.status();
  for (const std::string& listen : {options.listen, options.http_listen}) {
    if (auto s = CheckExposure(listen, tokens->has_value(), options.insecure);
        !s.ok()) {
      return s;
    }
  }

  std::unique_ptr<Server> server(new Server(options, *std::move(tokens)));
  if (auto s = server->StartHttp(); !s.ok()) return s;
  if (auto s = server->Recover(); !s.ok()) return s;
  if (auto s = server->Listen(); !s.ok()) return s;
  return server;
}

Server::Server(const ServerOptions& options, std::optional<TokenTable> tokens)
    : options_(options),
      tokens_(std::move(tokens)),
      // Only --fsync always has work to do between applying a batch and
      // replying; without it the writer replies itself, with no hand-over.
      writer_(
          options.max_write_queue,
          options.fsync.mode == snapshot::FsyncPolicy::Mode::kAlways
              ? absl::AnyInvocable<void()>([this] { database_->CommitBatch(); })
              : nullptr),
      admin_(kMaxAdminQueue),
      io_(options.threads),
      // Accept completions and BeginStop run on the one thread of the front
      // context: an acceptor is not safe for concurrent use.
      acceptor_(io_.Front()),
      stop_deadline_(io_.Front()) {
  connection_context_.limits = options.limits;
  connection_context_.metrics = &metrics_;
  if (!tokens_) connection_context_.initial_grant = Grant::Everything();
}

Server::~Server() {
  // HTTP writes wait for the writer: stop HTTP while the writer runs.
  if (http_) {
    http_->Stop();
    http_->Join();
  }
  // Queued writes post their replies to io_: finish them while it exists.
  writer_.Drain();
  admin_.Drain();
  if (database_) database_->Close();
}

absl::Status Server::StartHttp() {
  auto http = http::HttpListener::Create(
      options_, {.writer = &writer_,
                 .admin = &admin_,
                 .metrics = &metrics_,
                 .tokens = tokens_ ? &*tokens_ : nullptr});
  if (!http.ok()) return http.status();
  http_ = *std::move(http);
  http_->Start();
  spdlog::info(
      "http {} up: /healthz answers now, /readyz and the API once "
      "recovered",
      http_->address());
  return absl::OkStatus();
}

absl::Status Server::Recover() {
  auto database = OpenDatabase(options_, metrics_);
  if (!database.ok()) return database.status();
  database_ = *std::move(database);
  handler_ = std::make_unique<RequestHandler>(RequestHandler::Config{
      .database = database_.get(),
      .writer = &writer_,
      .admin = &admin_,
      .metrics = &metrics_,
      .tokens = tokens_ ? &*tokens_ : nullptr,
      .limits = options_.limits,
  });
  connection_context_.handler = handler_.get();
  return absl::OkStatus();
}

absl::Status Server::Listen() {
  return OpenListener(acceptor_, options_.listen);
}

void Server::Accept() {
  acceptor_.async_accept(io_.Next(),
                         [this](const error_code& ec, tcp::socket socket) {
                           if (ec == asio::error::operation_aborted) return;
                           if (!ec) OnAccepted(std::move(socket));
                           if (acceptor_.is_open()) Accept();
                         });
}

void Server::OnAccepted(tcp::socket socket) {
  Increment(metrics_.connections_accepted);
  std::lock_guard lock(mu_);
  if (stopping_) return;
  if (connections_.size() >= options_.limits.max_connections) {
    Increment(metrics_.connections_rejected);
    auto shared = std::make_shared<tcp::socket>(std::move(socket));
    auto frame = std::make_shared<std::string>(TooManyConnectionsFrame());
    asio::async_write(*shared, asio::buffer(*frame),
                      [shared, frame](const error_code&, size_t) {
                        error_code ignored;
                        shared->shutdown(tcp::socket::shutdown_both, ignored);
                      });
    return;
  }
  auto connection = std::make_shared<Connection>(
      std::move(socket), connection_context_,
      [this](Connection* closed) { OnConnectionClosed(closed); });
  connections_.emplace(connection.get(), connection);
  metrics_.connections_active.store(connections_.size(),
                                    std::memory_order_relaxed);
  connection->Start();
}

void Server::OnConnectionClosed(Connection* connection) {
  std::lock_guard lock(mu_);
  connections_.erase(connection);
  metrics_.connections_active.store(connections_.size(),
                                    std::memory_order_relaxed);
  if (stopping_ && connections_.empty()) {
    // The timer is only touched under mu_, so this cannot race its arming.
    stop_deadline_.cancel();
    io_.ReleaseWork();
  }
}

void Server::Run() {
  Accept();
  http_->MarkReady(database_.get());
  spdlog::info(
      "contactd ready: binary {}:{}, http {}, data dir {} (fsync {}), default "
      "region {}, {} I/O threads, auth {}",
      acceptor_.local_endpoint().address().to_string(), port(),
      http_->address(), options_.data_dir, options_.fsync.ToString(),
      options_.default_region, options_.threads,
      tokens_ ? absl::StrCat(tokens_->size(), " tokens")
              : std::string("off (loopback only)"));
  io_.Run();
  http_->Join();  // Stop() stopped it with the binary listener
}

void Server::Stop() {
  asio::post(acceptor_.get_executor(), [this] { BeginStop(); });
  http_->Stop();
}

void Server::BeginStop() {
  error_code ignored;
  acceptor_.close(ignored);
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [raw, weak] : connections_) {
      if (auto connection = weak.lock()) open.push_back(connection);
    }
    if (connections_.empty()) {
      io_.ReleaseWork();
      return;
    }
    stop_deadline_.expires_after(kStopDeadline);
    stop_deadline_.async_wait([this](const error_code& ec) {
      if (ec) return;  // every connection drained in time
      spdlog::warn("stop deadline passed; closing the remaining connections");
      io_.Stop();
    });
  }
  spdlog::info("stopping: answering the requests of {} connections",
               open.size());
  for (auto& connection : open) connection->Shutdown();
}

}  // namespace contactd::server
