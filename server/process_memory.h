#pragma once
// The process's resident memory, for /admin/stats and /metrics.

#include <cstddef>

namespace contactd::server {

// Resident set size in bytes (/proc/self/statm); 0 when unreadable.
size_t ResidentBytes();

}  // namespace contactd::server
