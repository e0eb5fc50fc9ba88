#pragma once
// The Prometheus text of GET /metrics. Families (all prefixed contactd_):
//
//   lookups_total{kind,result}            counter  binary and HTTP lookups
//   lookup_duration_seconds               histogram  decoded request to
//                                                    encoded reply
//   connections{port}                     gauge    open connections
//   connections_accepted_total{port}      counter
//   connections_rejected_total{port}      counter  over the connection limit
//   connections_timed_out_total{port}     counter  closed by a timeout
//   requests_total{opcode,status}         counter  binary replies
//   http_responses_total{code}            counter
//   frames_rejected_total{reason}         counter  malformed, oversized,
//                                                  unsupported_version,
//                                                  unknown_opcode
//   writes_total, writes_rejected_busy_total   counter
//   wal_appends_total, wal_bytes_total    counter  WAL records / bytes
//   wal_last_sequence, wal_segments, wal_bytes_since_checkpoint  gauge
//   fsync_duration_seconds                histogram
//   checkpoint_duration_seconds           summary (sum, count)
//   reload_duration_seconds               summary (sum, count)
//   last_checkpoint_timestamp_seconds     gauge
//   contacts, tenants, index_keys{index}, index_bytes, resident_memory_bytes
//                                         gauge

#include <string>

#include "server/server_metrics.h"
#include "snapshot/database.h"

namespace contactd::server::http {

std::string MetricsText(const ServerMetrics& metrics,
                        const snapshot::Database& database);

}  // namespace contactd::server::http
