#include "tools/command.h"

#include <string>

#include "index/errors.h"

namespace contactd::tools {

int ExitCodeFor(const absl::Status& status) {
  return status.code() == absl::StatusCode::kNotFound ? kExitNotFound
                                                      : kExitError;
}

int ReportError(const absl::Status& status, std::ostream& err) {
  const index::Reason reason = index::ReasonOf(status);
  const std::string name = reason == index::Reason::kNone
                               ? absl::StatusCodeToString(status.code())
                               : std::string(index::ReasonName(reason));
  err << "contactctl: " << name << ": " << status.message() << "\n";
  return ExitCodeFor(status);
}

}  // namespace contactd::tools
