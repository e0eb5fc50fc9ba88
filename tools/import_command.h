#pragma once
// `contactctl import`: bulk-loads contacts from CSV or JSON Lines, either
// into a snapshot file written offline (--out) or into a running contactd
// (batched, pipelined UPSERTs). docs/import.md is the user's guide: the CSV
// columns, the formats, every flag, the exit codes, examples.
//
//   contactctl import contacts.csv --tenant T --out contacts.snap
//   contactctl --server 10.0.0.5:7600 import crm.jsonl --on-error abort
//   {"input": "contacts.csv", ..., "rows_read": 1000, "created": 990, ...}
//
// The parts are in tools/import/: the readers (csv_contact_reader.h,
// jsonl_contact_reader.h), the sinks (snapshot_sink.h, server_sink.h) and
// the report (import_report.h, progress_bar.h).

#include "CLI/CLI.hpp"
#include "tools/client_flags.h"

namespace contactd::tools {

// Exit code of an import that rejected some rows and imported the rest
// (--on-error skip). NOTE: scripts depend on it; do not renumber.
inline constexpr int kExitRowsRejected = 3;

// Registers `import` on `app`. When it runs, its exit code is stored in
// `*exit_code`; `flags` and `exit_code` must outlive app.parse().
void AddImportCommand(CLI::App& app, const ClientFlags* flags, int* exit_code);

}  // namespace contactd::tools
