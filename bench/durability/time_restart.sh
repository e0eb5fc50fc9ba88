#!/usr/bin/env bash
# Times contactd start-ups on a data directory: a new process each time,
# with the heap settings of scripts/run.sh, from exec until contactd logs
# that recovery is done (it answers nothing before). Prints, per run, the
# wall time, the CPU time the process had used by then (user and system:
# on a shared host the system part swings with the cost of fresh memory),
# and the snapshot load time contactd itself reports.
#
#   bench/durability/time_restart.sh DATA_DIR [RUNS] [CONTACTD]
#
# A 10M data directory: CONTACTD_BENCH_KEEP_DATASET=/tmp/data10m \
#   build-dbench/bench/durability_bench --benchmark_filter='SnapshotLoad/10000000'
# The snapshot is then in the page cache (this measures CPU, not the disk).
# contactd may add an empty WAL segment to DATA_DIR; nothing else changes.
set -euo pipefail

data_dir=${1:?usage: time_restart.sh DATA_DIR [RUNS] [CONTACTD]}
runs=${2:-3}
contactd=${3:-build-dbench/server/contactd}
export GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432

ticks=$(getconf CLK_TCK)
log=$(mktemp)
pid=
cleanup() {
  if [[ -n $pid ]]; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$log"
}
trap cleanup EXIT

for ((run = 1; run <= runs; run++)); do
  start=$(date +%s.%N)
  "$contactd" --data-dir "$data_dir" --listen 127.0.0.1:0 \
    --http-listen 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!
  until grep -q "recovered through" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  read -r user_ticks system_ticks < <(awk '{print $14, $15}' "/proc/$pid/stat")
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  reported=$(grep -o '([0-9]* contacts, [^)]*)' "$log" | head -1)
  printf 'run %d: %.2f s to recovered, CPU %.2f s user + %.2f s system %s\n' \
    "$run" "$(echo "$end - $start" | bc)" \
    "$(echo "$user_ticks / $ticks" | bc -l)" \
    "$(echo "$system_ticks / $ticks" | bc -l)" "$reported"
done
