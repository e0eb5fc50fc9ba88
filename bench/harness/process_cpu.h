#pragma once
// CPU time (user + system) of a process, so that a bench run can say what
// each request cost the client and the server, not only how fast replies
// came: on a machine the client shares with the server, throughput depends
// on how the cores are split, CPU per request does not.
//
//   ASSIGN_OR_RETURN(double before, ProcessCpuSeconds(server_pid));

#include <sys/types.h>

#include "absl/status/statusor.h"

namespace contactd::bench {

// This process (getrusage) when pid is 0; another process from
// /proc/<pid>/stat (utime + stime). Errors: NotFound (no such process),
// DataLoss (a stat line that does not parse).
absl::StatusOr<double> ProcessCpuSeconds(pid_t pid);

}  // namespace contactd::bench
