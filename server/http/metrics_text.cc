#include "server/http/metrics_text.h"

#include "index/epoch.h"
#include "server/http/prometheus_writer.h"
#include "server/process_memory.h"

namespace contactd::server::http {
namespace {

double Get(const ServerMetrics::Counter& counter) {
  return static_cast<double>(counter.load(std::memory_order_relaxed));
}

void Lookups(PrometheusWriter& out, const ServerMetrics& m) {
  out.Family("contactd_lookups_total", "counter",
             "Phone and email lookups (binary and HTTP) by kind and result.");
  const char* kinds[] = {"phone", "email"};
  for (size_t k = 0; k < 2; ++k) {
    for (size_t r = 0; r < kLookupResults; ++r) {
      out.Sample("contactd_lookups_total",
                 {{"kind", kinds[k]},
                  {"result", LookupResultName(static_cast<LookupResult>(r))}},
                 Get(m.lookups_by_result[k][r]));
    }
  }
  out.Histogram("contactd_lookup_duration_seconds",
                "Lookup time in the server, from decoded request to encoded "
                "reply.",
                m.lookup_latency.Snapshot());
}

void Connections(PrometheusWriter& out, const ServerMetrics& m) {
  out.Family("contactd_connections", "gauge", "Open connections by port.");
  out.Sample("contactd_connections", {{"port", "binary"}},
             Get(m.connections_active));
  out.Sample("contactd_connections", {{"port", "http"}},
             Get(m.http_connections_active));
  out.Family("contactd_connections_accepted_total", "counter",
             "Connections accepted by port.");
  out.Sample("contactd_connections_accepted_total", {{"port", "binary"}},
             Get(m.connections_accepted));
  out.Sample("contactd_connections_accepted_total", {{"port", "http"}},
             Get(m.http_connections_accepted));
  out.Family("contactd_connections_rejected_total", "counter",
             "Connections refused over the connection limit, by port.");
  out.Sample("contactd_connections_rejected_total", {{"port", "binary"}},
             Get(m.connections_rejected));
  out.Sample("contactd_connections_rejected_total", {{"port", "http"}},
             Get(m.http_connections_rejected));
  out.Family("contactd_connections_timed_out_total", "counter",
             "Connections closed by a timeout, by port.");
  out.Sample("contactd_connections_timed_out_total", {{"port", "binary"}},
             Get(m.idle_timeouts) + Get(m.write_timeouts));
  out.Sample("contactd_connections_timed_out_total", {{"port", "http"}},
             Get(m.http_timeouts));
}

void Requests(PrometheusWriter& out, const ServerMetrics& m) {
  out.Family("contactd_requests_total", "counter",
             "Binary protocol replies by opcode and status.");
  for (size_t opcode = 0; opcode < m.replies.size(); ++opcode) {
    for (size_t status = 0; status < m.replies[opcode].size(); ++status) {
      const double n = Get(m.replies[opcode][status]);
      if (n == 0) continue;
      out.Sample("contactd_requests_total",
                 {{"opcode",
                   protocol::OpcodeName(static_cast<protocol::Opcode>(opcode))},
                  {"status", protocol::WireStatusName(
                                 static_cast<protocol::WireStatus>(status))}},
                 n);
    }
  }
  out.Family("contactd_http_responses_total", "counter",
             "HTTP responses by status code.");
  for (size_t code = 0; code < m.http_responses.size(); ++code) {
    const double n = Get(m.http_responses[code]);
    if (n == 0) continue;
    const std::string label = std::to_string(code);
    out.Sample("contactd_http_responses_total", {{"code", label}}, n);
  }
  out.Family("contactd_frames_rejected_total", "counter",
             "Binary frames refused, by reason.");
  const std::pair<const char*, const ServerMetrics::Counter*> reasons[] = {
      {"malformed", &m.malformed_frames},
      {"oversized", &m.oversized_frames},
      {"unsupported_version", &m.unsupported_versions},
      {"unknown_opcode", &m.unknown_opcodes},
  };
  for (const auto& [reason, counter] : reasons) {
    out.Sample("contactd_frames_rejected_total", {{"reason", reason}},
               Get(*counter));
  }
  out.Family("contactd_writes_total", "counter",
             "Writes queued for the writer thread (binary and HTTP).");
  out.Sample("contactd_writes_total", Get(m.writes));
  out.Family("contactd_writes_rejected_busy_total", "counter",
             "Writes refused because the write queue was full.");
  out.Sample("contactd_writes_rejected_busy_total",
             Get(m.writes_rejected_busy));
}

void Durability(PrometheusWriter& out, const ServerMetrics& m,
                const snapshot::DurabilityStats& d) {
  auto scalar = [&](const char* name, const char* type, const char* help,
                    double value) {
    out.Family(name, type, help);
    out.Sample(name, value);
  };
  scalar("contactd_wal_appends_total", "counter",
         "WAL records appended since start.",
         static_cast<double>(d.wal_records_appended));
  scalar("contactd_wal_bytes_total", "counter",
         "WAL bytes appended since start.",
         static_cast<double>(d.wal_bytes_appended));
  scalar("contactd_wal_last_sequence", "gauge",
         "Sequence number of the last WAL record.",
         static_cast<double>(d.wal_last_sequence));
  scalar("contactd_wal_segments", "gauge", "WAL segment files.",
         static_cast<double>(d.wal_segments));
  scalar("contactd_wal_bytes_since_checkpoint", "gauge",
         "WAL bytes a restart would replay.",
         static_cast<double>(d.wal_bytes_since_checkpoint));
  out.Histogram("contactd_fsync_duration_seconds",
                "Time of each WAL fdatasync.", m.fsync_latency.Snapshot());
  out.Family("contactd_checkpoint_duration_seconds", "summary",
             "Time to write a checkpoint snapshot.");
  out.Sample("contactd_checkpoint_duration_seconds_sum",
             absl::ToDoubleSeconds(d.checkpoint_time));
  out.Sample("contactd_checkpoint_duration_seconds_count",
             static_cast<double>(d.checkpoints));
  out.Family("contactd_reload_duration_seconds", "summary",
             "Time to load and swap in a snapshot (reload).");
  out.Sample("contactd_reload_duration_seconds_sum",
             absl::ToDoubleSeconds(d.reload_time));
  out.Sample("contactd_reload_duration_seconds_count",
             static_cast<double>(d.reloads));
  scalar("contactd_last_checkpoint_timestamp_seconds", "gauge",
         "Unix time of the last checkpoint (0: none since start).",
         d.last_checkpoint_time == absl::InfinitePast()
             ? 0
             : static_cast<double>(absl::ToUnixMicros(d.last_checkpoint_time)) /
                   1e6);
}

void Dataset(PrometheusWriter& out, const index::IndexStats& s) {
  out.Family("contactd_contacts", "gauge", "Contacts in memory.");
  out.Sample("contactd_contacts", static_cast<double>(s.contacts));
  out.Family("contactd_tenants", "gauge", "Tenants with contacts.");
  out.Sample("contactd_tenants", static_cast<double>(s.tenants));
  out.Family("contactd_index_keys", "gauge", "Keys per lookup index.");
  out.Sample("contactd_index_keys", {{"index", "phone"}},
             static_cast<double>(s.phone_keys));
  out.Sample("contactd_index_keys", {{"index", "email"}},
             static_cast<double>(s.email_keys));
  out.Sample("contactd_index_keys", {{"index", "external_id"}},
             static_cast<double>(s.external_ids));
  out.Family("contactd_index_bytes", "gauge",
             "Bytes of contact records and indexes.");
  out.Sample("contactd_index_bytes", static_cast<double>(s.total_bytes()));
  out.Family("contactd_resident_memory_bytes", "gauge",
             "Resident set size of the process.");
  out.Sample("contactd_resident_memory_bytes",
             static_cast<double>(ResidentBytes()));
}

}  // namespace

std::string MetricsText(const ServerMetrics& metrics,
                        const snapshot::Database& database) {
  index::IndexStats index_stats;
  {
    index::EpochGuard guard;
    index_stats = database.store().index().Stats();
  }
  PrometheusWriter out;
  Lookups(out, metrics);
  Connections(out, metrics);
  Requests(out, metrics);
  Durability(out, metrics, database.stats());
  Dataset(out, index_stats);
  return out.Take();
}

}  // namespace contactd::server::http
