#pragma once
// ImportReport: what an import did, row by row and in total — the counts,
// the bad rows on stderr, the progress bar, and the summary.
//
//   ImportReport report("contacts.csv", std::cerr, bar.get());
//   report.RowRead(reader.bytes_read());
//   report.Rejected(7, status);  // contacts.csv:7: INVALID_PHONE: ...
//   report.Created();
//   ...
//   report.Finish();             // "... 12 more bad rows", bar erased
//   std::cerr << report.SummaryLine(elapsed);
//
// Bad rows are printed as "FILE:LINE: REASON: message", REASON being the
// index reason (INVALID_PHONE) or, without one, the status code name
// (INVALID_ARGUMENT); the first `max_messages` are printed, the rest only
// counted.
//
// Invariant: rows_read == created + updated + rejected once every row read
// has an outcome (an import stopped by a fatal error may leave some without).
//
// Thread safety: every method may be called from any thread (the server
// sink counts replies on the client's I/O thread).

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/import/progress_bar.h"

namespace contactd::tools {

struct ImportCounts {
  uint64_t rows_read = 0;
  uint64_t created = 0;   // new contacts ("imported")
  uint64_t updated = 0;   // existing contacts replaced (same external_id)
  uint64_t rejected = 0;  // bad rows
  int64_t first_rejected_line = 0;  // 0: none
};

class ImportReport {
 public:
  static constexpr size_t kDefaultMaxMessages = 100;

  // `input_name` prefixes the bad-row lines. `err` and `bar` (nullable: no
  // progress bar) must outlive the report.
  ImportReport(std::string input_name, std::ostream& err, ProgressBar* bar,
               size_t max_messages = kDefaultMaxMessages)
      : input_name_(std::move(input_name)),
        err_(err),
        bar_(bar),
        max_messages_(max_messages) {}

  // One more row read; `bytes_read` of the input so far (progress).
  void RowRead(uint64_t bytes_read);
  void Created();
  void Updated();
  // Row at `line` is bad because of `why` (not OK).
  void Rejected(int64_t line, const absl::Status& why);

  ImportCounts counts() const;

  // Prints how many bad rows were not printed, and erases the progress bar.
  void Finish();

  // "contacts.csv: 1000 rows read: 990 created, 5 updated, 5 rejected in
  // 0.42 s (2380 rows/s)".
  std::string SummaryLine(absl::Duration elapsed) const;

 private:
  const std::string input_name_;
  std::ostream& err_;
  ProgressBar* const bar_;
  const size_t max_messages_;
  mutable absl::Mutex mu_;
  ImportCounts counts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace contactd::tools
