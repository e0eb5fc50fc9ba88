#!/usr/bin/env bash
# bench/run_micro.sh: every Google Benchmark suite of contactd, one command
# (bench/README.md lists them and their latest figures).
#
#   bench/run_micro.sh              # build in build-bench, run all five suites
#   QUICK=1 bench/run_micro.sh      # skip the 10M stores and the 10M snapshot (~6 min)
#
# Results: the console tables, and one JSON file per suite in $OUT_DIR
# (default $BUILD_DIR/micro-results), for comparing runs.
# Environment: BUILD_DIR (build-bench), OUT_DIR, QUICK (0), MIN_TIME (0.5),
# SUITES (default: all five, e.g. SUITES="protocol_bench normalize_bench").
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$root/build-bench}
OUT_DIR=${OUT_DIR:-$BUILD_DIR/micro-results}
QUICK=${QUICK:-0}
MIN_TIME=${MIN_TIME:-0.5}

"$root/scripts/install-deps.sh"
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake -S "$root" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCONTACTD_BUILD_TESTS=OFF >/dev/null
fi
read -r -a suites <<<"${SUITES:-normalize_bench index_bench protocol_bench server_roundtrip_bench durability_bench}"
cmake --build "$BUILD_DIR" -j2 --target "${suites[@]}"
mkdir -p "$OUT_DIR"

run() {
  local suite=$1
  shift
  echo "== $suite (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$BUILD_DIR/bench/$suite" --benchmark_out="$OUT_DIR/$suite.json" \
    --benchmark_out_format=json "$@"
}

index_filter='.'
durability_filter='SnapshotLoad/1000000|BulkLoadStages/1000000|WalReplay|StoreUpserts|Fdatasync|AckedUpserts|Checkpoint|Reload'
if [[ $QUICK == 1 ]]; then index_filter='-/10000000'; fi

for suite in "${suites[@]}"; do
  case $suite in
    index_bench) run index_bench --benchmark_min_time="$MIN_TIME" --benchmark_filter="$index_filter" ;;
    server_roundtrip_bench) run server_roundtrip_bench --benchmark_min_time=1 ;;
    durability_bench) run durability_bench --benchmark_filter="$durability_filter" ;;
    *) run "$suite" ;;
  esac
done
echo "results: $OUT_DIR" >&2
