#!/usr/bin/env bash
# bench/compare.sh: contactd next to Redis, measured by one client
# (contactd-bench) in one run on the same machine, with the same dataset,
# and a minimal TCP echo server as the floor (the kernel's loopback round
# trip). bench/README.md ("compare.sh") and bench/RESULTS.md.
#
#   bench/compare.sh                   # 1M contacts, 10 s per run (~10 min)
#   CONTACTS=100000 DURATION=3 bench/compare.sh     # a quick look
#
# Steps: installs redis-server and gnuplot (Debian, skipping what is
# there) and the build dependencies (scripts/install-deps.sh); builds
# contactd, contactd-bench and contactd-dataset in $BUILD_DIR; generates the
# dataset once (cached in $WORK_DIR); starts contactd (a fresh data dir
# holding the snapshot), redis-server (no persistence, loaded with
# contactd-dataset redis-load) and the echo server on loopback; records each
# server's RSS; runs every workload against the echo floor, contactd and
# Redis in turn; prints the side-by-side table and writes it, the JSON
# reports and PNG percentile plots to $OUT_DIR.
#
# Environment: CONTACTS (1000000), DURATION (10 s measured per run),
# WARMUP (2 s), BUILD_DIR (build-compare), WORK_DIR (/tmp/contactd-compare),
# OUT_DIR (bench/results), REDIS_PORT (6390), HIT_RATIO (0.9),
# EMAIL_RATIO (0.1), CLIENT_THREADS (1), KEYS_FILE (the dataset's keys.tsv;
# e.g. a filtered copy holding only E.164 numbers and emails),
# CONTACTD_ARGS (extra contactd flags, e.g. "--threads 1").
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
CONTACTS=${CONTACTS:-1000000}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
BUILD_DIR=${BUILD_DIR:-$root/build-compare}
WORK_DIR=${WORK_DIR:-/tmp/contactd-compare}
OUT_DIR=${OUT_DIR:-$root/bench/results}
REDIS_PORT=${REDIS_PORT:-6390}
HIT_RATIO=${HIT_RATIO:-0.9}
EMAIL_RATIO=${EMAIL_RATIO:-0.1}
CLIENT_THREADS=${CLIENT_THREADS:-1}
KEYS_FILE=${KEYS_FILE:-}
CONTACTD_ARGS=${CONTACTD_ARGS:-}

log() { echo "compare.sh: $*" >&2; }

install_tools() {
  "$root/scripts/install-deps.sh"
  local missing=()
  for p in redis-server redis-tools gnuplot-nox; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]}"
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

build() {
  if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    cmake -S "$root" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCONTACTD_BUILD_TESTS=OFF >/dev/null
  fi
  cmake --build "$BUILD_DIR" -j2 --target contactd contactd-bench contactd-dataset
}

bench="$BUILD_DIR/bench/contactd-bench"
dataset_tool="$BUILD_DIR/bench/contactd-dataset"
dataset="$WORK_DIR/dataset-$CONTACTS"
keys_file=${KEYS_FILE:-$dataset/keys.tsv}
run_dir="$WORK_DIR/run"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# Waits (up to $2 seconds) until file $1 contains $3.
wait_for_line() {
  local deadline=$((SECONDS + $2))
  until grep -q "$3" "$1" 2>/dev/null; do
    if ((SECONDS > deadline)); then log "timed out waiting for '$3' in $1"; cat "$1" >&2; exit 1; fi
    sleep 0.2
  done
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

start_servers() {
  rm -rf "$run_dir"
  mkdir -p "$run_dir/contactd-data"
  cp "$dataset"/data/snapshot-*.snap "$run_dir/contactd-data/"
  # The heap on 2 MiB pages, as scripts/run.sh starts contactd.
  # shellcheck disable=SC2086 # CONTACTD_ARGS is a list of flags
  GLIBC_TUNABLES="glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432" \
    "$BUILD_DIR/server/contactd" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --data-dir "$run_dir/contactd-data" $CONTACTD_ARGS >"$run_dir/contactd.log" 2>&1 &
  contactd_pid=$!
  pids+=("$contactd_pid")
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --protected-mode no >"$run_dir/redis.log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  "$bench" echo-server --listen 127.0.0.1:0 2>"$run_dir/echo.log" &
  echo_pid=$!
  pids+=("$echo_pid")
  wait_for_line "$run_dir/contactd.log" 600 "contactd ready"
  wait_for_line "$run_dir/redis.log" 60 "Ready to accept connections"
  wait_for_line "$run_dir/echo.log" 60 "echo ready"
  contactd_port=$(grep -o "ready: binary 127.0.0.1:[0-9]*" "$run_dir/contactd.log" | cut -d: -f3)
  echo_port=$(grep -o "127.0.0.1:[0-9]*" "$run_dir/echo.log" | cut -d: -f2)
  log "loading Redis"
  "$dataset_tool" redis-load --dir "$dataset" --redis "127.0.0.1:$REDIS_PORT" \
    >"$OUT_DIR/redis-load.json"
}

# run_one KEY TARGET PORT PID ARGS...: one contactd-bench run (measuring
# the CPU time of the server PID too), its JSON and percentile files in
# $OUT_DIR.
run_one() {
  local key=$1 target=$2 port=$3 pid=$4
  shift 4
  log "$key: $target $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$bench" run --target "$target" --server "127.0.0.1:$port" --server-pid "$pid" \
    --keys "$keys_file" --duration "$DURATION" --warmup "$WARMUP" \
    --hit-ratio "$HIT_RATIO" --email-ratio "$EMAIL_RATIO" \
    --threads "$CLIENT_THREADS" --label "$key" \
    --json-out "$OUT_DIR/$key.$target.json" \
    --percentiles-out "$OUT_DIR/$key.$target.dat" "$@" ||
    log "$key: $target reported errors (see $OUT_DIR/$key.$target.json)"
}

plot() {
  local key=$1 title=$2
  gnuplot <<GNUPLOT
set terminal pngcairo size 720,420 font ",10"
set output "$OUT_DIR/$key.png"
set title "$title ($CONTACTS contacts)"
set logscale x
set xrange [1:*]
set logscale y
set xlabel "percentile"
set ylabel "latency (us)"
set xtics ("50%%" 2, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000, "99.999%%" 100000)
set key top left
set grid
plot "$OUT_DIR/$key.contactd.dat" using 3:1 with lines lw 2 title "contactd", \
     "$OUT_DIR/$key.redis.dat" using 3:1 with lines lw 2 title "Redis", \
     "$OUT_DIR/$key.echo.dat" using 3:1 with lines lw 1 dt 2 title "echo floor"
GNUPLOT
}

main() {
  install_tools
  build
  mkdir -p "$WORK_DIR" "$OUT_DIR"
  if [[ ! -f "$dataset/dataset.json" ]]; then
    log "generating $CONTACTS contacts into $dataset"
    "$dataset_tool" generate --contacts "$CONTACTS" --out "$dataset" >/dev/null
  fi
  start_servers
  local rss_contactd rss_redis used_memory
  rss_contactd=$(rss_kb "$contactd_pid")
  rss_redis=$(rss_kb "$redis_pid")
  used_memory=$(redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ {print int($2/1024)}')
  log "RSS: contactd $rss_contactd kB, redis $rss_redis kB (used_memory $used_memory kB)"

  local -A workloads=(
    [c1]="-c 1"
    [c50]="-c 50"
    [c50p16]="-c 50 -P 16"
    [open20k]="-c 50 --rate 20000"
    [open50k]="-c 50 --rate 50000"
  )
  local -A labels=(
    [c1]="1 connection"
    [c50]="50 connections"
    [c50p16]="50 connections x pipeline 16"
    [open20k]="open loop 20K req/s (50 conn.)"
    [open50k]="open loop 50K req/s (50 conn.)"
  )
  local order=(c1 c50 c50p16 open20k open50k)
  local rows=()
  for key in "${order[@]}"; do
    # shellcheck disable=SC2086
    run_one "$key" echo "$echo_port" "$echo_pid" ${workloads[$key]}
    # shellcheck disable=SC2086
    run_one "$key" contactd "$contactd_port" "$contactd_pid" ${workloads[$key]}
    # shellcheck disable=SC2086
    run_one "$key" redis "$REDIS_PORT" "$redis_pid" ${workloads[$key]}
    rows+=(--row "$key:${labels[$key]}:$OUT_DIR/$key.contactd.json:$OUT_DIR/$key.redis.json:$OUT_DIR/$key.echo.json")
    plot "$key" "${labels[$key]}" || log "$key: gnuplot failed (no plot)"
  done
  # RSS again after the runs (both servers touched their data).
  log "RSS after the runs: contactd $(rss_kb "$contactd_pid") kB, redis $(rss_kb "$redis_pid") kB"
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "nproc: $(nproc); cpu: $(lscpu | sed -n 's/^Model name: *//p')"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB; kernel $(uname -r)"
    echo "redis: $(redis-server --version | cut -d' ' -f3)"
    echo "contactd flags: --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 --data-dir DIR $CONTACTD_ARGS"
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "keys: $keys_file"
    echo "contacts: $CONTACTS; dataset: $(tr -d '\n ' <"$dataset/dataset.json")"
  } >"$OUT_DIR/machine.txt"
  "$bench" table "${rows[@]}" --rss-contactd-kb "$rss_contactd" \
    --rss-redis-kb "$rss_redis" --redis-used-memory-kb "$used_memory" |
    tee "$OUT_DIR/table.md"
  cat "$OUT_DIR/machine.txt"
}

main "$@"
