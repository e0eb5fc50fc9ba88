#pragma once
// ProgressBar: one self-rewriting status line on a terminal while an import
// runs.
//
//   [#############...............]  43%  120,000 rows  61,204 rows/s
//   250,000 rows  58,112 rows/s  31.2 MiB          (input of unknown size)
//
// Draw at most every 100 ms; Clear() before printing anything else on the
// same terminal. It writes "\r" and the ANSI "erase line" sequence: use it
// only when the stream is a terminal (import_command.cc checks isatty).
//
// Thread safety: none; ImportReport serializes it with its other output.

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/time/time.h"

namespace contactd::tools {

class ProgressBar {
 public:
  // `total_bytes` 0: unknown (stdin). `out` must outlive the bar.
  ProgressBar(std::ostream& out, uint64_t total_bytes, absl::Time start)
      : out_(out), total_bytes_(total_bytes), start_(start) {}

  // Redraws when 100 ms passed since the last draw (or on the first call).
  void Update(uint64_t rows, uint64_t bytes, absl::Time now);
  // Erases the line if it is drawn; the next Update draws it again.
  void Clear();

  // The text of the line (no "\r"): pure, for tests.
  static std::string Render(uint64_t rows, uint64_t bytes, uint64_t total_bytes,
                            absl::Duration elapsed);

 private:
  std::ostream& out_;
  const uint64_t total_bytes_;
  const absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
  bool drawn_ = false;
};

}  // namespace contactd::tools
