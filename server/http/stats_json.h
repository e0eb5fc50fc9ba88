#pragma once
// The JSON of GET /admin/stats:
//
//   {"contacts": 1000000, "tenants": 50,
//    "indexes": {"phone_keys": ..., "email_keys": ..., "external_ids": ...,
//                "lists": ..., "bytes": {"records": ..., "ids": ..., ...}},
//    "memory": {"resident_bytes": ..., "index_bytes": ...},
//    "connections": {"binary": {"active": 3, "accepted": 10, "rejected": 0},
//                    "http": {..., "timeouts": 0}},
//    "requests": {"binary": {"LOOKUP_PHONE": {"OK": 90, "NOT_FOUND": 10}},
//                 "http": {"200": 12, "404": 1}},
//    "lookups": {"phone": {"hit": 90, "miss": 10, "error": 0}, "email": ...},
//    "wal": {"last_sequence": ..., "records_appended": ..., "bytes_appended":
//            ..., "bytes_since_checkpoint": ..., "segments": ..., "fsyncs":
//            ..., "fsync_policy": "always"},
//    "checkpoint": {"count": ..., "last_sequence": ..., "last_time": "...",
//                   "last_duration_ms": ...},
//    "reload": {"count": ..., "last_duration_ms": ...},
//    "counters": {every counter of the binary STATS opcode}}

#include "protocol/contact_json.h"
#include "server/server_metrics.h"
#include "snapshot/database.h"

namespace contactd::server::http {

protocol::Json StatsJson(const ServerMetrics& metrics,
                         const snapshot::Database& database);

}  // namespace contactd::server::http
