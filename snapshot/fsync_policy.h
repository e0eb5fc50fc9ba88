#pragma once
// FsyncPolicy: when an acknowledged write reaches stable storage
// (`contactd --fsync`).
//
//   always        a write is acknowledged after the fsync that covers it;
//                 the writes that queue up while one fsync runs share the
//                 next (group commit). Nothing acknowledged is ever lost.
//   interval:<ms> writes are acknowledged once the OS has them; a flusher
//                 fsyncs every <ms>. A crash of contactd loses nothing; a
//                 power cut or kernel crash loses at most the last <ms>.
//   never         the OS writes back when it likes (tests, benchmarks).

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace contactd::snapshot {

struct FsyncPolicy {
  enum class Mode { kAlways, kInterval, kNever };
  Mode mode = Mode::kAlways;
  absl::Duration interval = absl::ZeroDuration();  // kInterval only

  std::string ToString() const;  // "always", "interval:10", "never"
};

// Parses the flag's value; INVALID_ARGUMENT naming the accepted forms.
absl::StatusOr<FsyncPolicy> ParseFsyncPolicy(std::string_view text);

}  // namespace contactd::snapshot
