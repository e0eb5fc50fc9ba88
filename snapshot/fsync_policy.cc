#include "snapshot/fsync_policy.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace contactd::snapshot {

std::string FsyncPolicy::ToString() const {
  switch (mode) {
    case Mode::kAlways:
      return "always";
    case Mode::kNever:
      return "never";
    case Mode::kInterval:
      return absl::StrCat("interval:", absl::ToInt64Milliseconds(interval));
  }
  return "?";
}

absl::StatusOr<FsyncPolicy> ParseFsyncPolicy(std::string_view text) {
  if (text == "always") return FsyncPolicy{FsyncPolicy::Mode::kAlways};
  if (text == "never") return FsyncPolicy{FsyncPolicy::Mode::kNever};
  constexpr std::string_view kInterval = "interval:";
  int64_t ms = 0;
  if (text.substr(0, kInterval.size()) == kInterval &&
      absl::SimpleAtoi(std::string(text.substr(kInterval.size())), &ms) &&
      ms >= 1 && ms <= 60'000) {
    return FsyncPolicy{FsyncPolicy::Mode::kInterval, absl::Milliseconds(ms)};
  }
  return absl::InvalidArgumentError(
      absl::StrCat("bad fsync policy '", std::string(text),
                   "': expected always, never or interval:<1..60000 ms>"));
}

}  // namespace contactd::snapshot
