#pragma once
// ImportSink: where the contacts of an import go — a snapshot file written
// offline (snapshot_sink.h) or a running contactd (server_sink.h).
//
//   for each good row: RETURN_IF_ERROR(sink->Add(row.line, contact));
//   RETURN_IF_ERROR(sink->Finish(/*commit=*/true));
//
// Each contact's outcome (created, updated, or rejected with its line and
// reason) goes to the ImportReport the sink was made with, at once or later
// (the server sink learns it from the reply). An error status from Add or
// Finish is fatal: the import cannot go on (the server is gone, the snapshot
// cannot be written).

#include <cstdint>

#include "absl/status/status.h"
#include "index/contact.h"

namespace contactd::tools {

class ImportSink {
 public:
  virtual ~ImportSink() = default;

  // Imports `contact`, read at `line` (it has its tenant).
  virtual absl::Status Add(int64_t line, index::Contact contact) = 0;
  // Waits until every contact added has its outcome; then, when `commit`,
  // makes the import take effect where that is a separate step (the
  // snapshot file is written only here). commit=false: --on-error abort or
  // a fatal error; nothing more is written.
  virtual absl::Status Finish(bool commit) = 0;
};

}  // namespace contactd::tools
