#include "server/http/stats_json.h"

#include "index/epoch.h"
#include "server/process_memory.h"

namespace contactd::server::http {
namespace {

using protocol::Json;

uint64_t Get(const ServerMetrics::Counter& counter) {
  return counter.load(std::memory_order_relaxed);
}

double Millis(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

Json IndexJson(const index::IndexStats& s) {
  return Json{{"phone_keys", s.phone_keys},
              {"email_keys", s.email_keys},
              {"external_ids", s.external_ids},
              {"lists", s.lists},
              {"bytes",
               {{"records", s.record_bytes},
                {"ids", s.id_index_bytes},
                {"external_ids", s.external_id_index_bytes},
                {"phones", s.phone_index_bytes},
                {"emails", s.email_index_bytes},
                {"lists", s.list_index_bytes},
                {"total", s.total_bytes()}}}};
}

Json ConnectionsJson(const ServerMetrics& m) {
  return Json{{"binary",
               {{"active", Get(m.connections_active)},
                {"accepted", Get(m.connections_accepted)},
                {"rejected", Get(m.connections_rejected)}}},
              {"http",
               {{"active", Get(m.http_connections_active)},
                {"accepted", Get(m.http_connections_accepted)},
                {"rejected", Get(m.http_connections_rejected)},
                {"timeouts", Get(m.http_timeouts)}}}};
}

Json RequestsJson(const ServerMetrics& m) {
  Json binary = Json::object();
  for (size_t opcode = 0; opcode < m.replies.size(); ++opcode) {
    for (size_t status = 0; status < m.replies[opcode].size(); ++status) {
      const uint64_t n = Get(m.replies[opcode][status]);
      if (n == 0) continue;
      const std::string name(
          protocol::OpcodeName(static_cast<protocol::Opcode>(opcode)));
      binary[name][std::string(protocol::WireStatusName(
          static_cast<protocol::WireStatus>(status)))] = n;
    }
  }
  Json http = Json::object();
  for (size_t code = 0; code < m.http_responses.size(); ++code) {
    if (const uint64_t n = Get(m.http_responses[code]); n > 0) {
      http[std::to_string(code)] = n;
    }
  }
  return Json{{"binary", binary}, {"http", http}};
}

Json LookupsJson(const ServerMetrics& m) {
  Json out = Json::object();
  const char* kinds[] = {"phone", "email"};
  for (size_t k = 0; k < 2; ++k) {
    for (size_t r = 0; r < kLookupResults; ++r) {
      out[kinds[k]]
         [std::string(LookupResultName(static_cast<LookupResult>(r)))] =
             Get(m.lookups_by_result[k][r]);
    }
  }
  return out;
}

void AddDurability(const snapshot::DurabilityStats& d, Json& out) {
  out["wal"] = Json{{"last_sequence", d.wal_last_sequence},
                    {"records_appended", d.wal_records_appended},
                    {"bytes_appended", d.wal_bytes_appended},
                    {"bytes_since_checkpoint", d.wal_bytes_since_checkpoint},
                    {"segments", d.wal_segments},
                    {"fsyncs", d.fsyncs},
                    {"fsync_policy", d.fsync_policy}};
  out["checkpoint"] =
      Json{{"count", d.checkpoints},
           {"last_sequence", d.last_checkpoint_sequence},
           {"last_time",
            d.last_checkpoint_time == absl::InfinitePast()
                ? Json(nullptr)
                : Json(protocol::FormatJsonTime(d.last_checkpoint_time))},
           {"last_duration_ms", Millis(d.last_checkpoint_duration)}};
  out["reload"] = Json{{"count", d.reloads},
                       {"last_duration_ms", Millis(d.last_reload_duration)}};
}

}  // namespace

Json StatsJson(const ServerMetrics& metrics,
               const snapshot::Database& database) {
  index::IndexStats index_stats;
  {
    index::EpochGuard guard;
    index_stats = database.store().index().Stats();
  }
  Json out = Json::object();
  out["contacts"] = index_stats.contacts;
  out["tenants"] = index_stats.tenants;
  out["indexes"] = IndexJson(index_stats);
  out["memory"] = Json{{"resident_bytes", ResidentBytes()},
                       {"index_bytes", index_stats.total_bytes()}};
  out["connections"] = ConnectionsJson(metrics);
  out["requests"] = RequestsJson(metrics);
  out["lookups"] = LookupsJson(metrics);
  AddDurability(database.stats(), out);
  Json counters = Json::object();
  for (const auto& [name, value] : metrics.Snapshot()) {
    counters[std::string(name)] = value;
  }
  out["counters"] = counters;
  return out;
}

}  // namespace contactd::server::http
