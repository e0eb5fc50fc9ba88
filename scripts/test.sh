#!/usr/bin/env bash
# Builds everything and runs every test suite:
#   1. all tests (unit, concurrency, integration) in an optimized build;
#   2. all tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#      (the integration tests then run an instrumented contactd);
#   3. the tests that exercise threads (label "concurrency": the index stress
#      test, the writer thread, the server and client integration tests)
#      under ThreadSanitizer;
#   4. the fuzz targets (protocol decoders, WAL scanner, snapshot decoder),
#      20 seconds each (libFuzzer, clang).
# Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
# -g1 (line tables: enough for sanitizer stack traces) rather than -g: full
# debug info doubles the compile time of the template-heavy tests. The
# sanitizer builds use -O1, which compiles markedly faster than -O2 (CI
# time is mostly compile time) and is what the sanitizers recommend.
configure() {  # configure <dir> <optimization> <cmake args...>
  local dir=$1 opt=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt -g1 -DNDEBUG" "$@" >/dev/null
}

echo "== 1/4 optimized build: all tests"
configure build -O2
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== 2/4 ASan + UBSan: all tests"
configure build-asan -O1 -DCONTACTD_SANITIZE=address -DCONTACTD_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== 3/4 TSan: concurrency tests"
configure build-tsan -O1 -DCONTACTD_SANITIZE=thread -DCONTACTD_BUILD_BENCH=OFF
cmake --build build-tsan -j"$jobs" --target concurrency_tests
# TSan's runtime in GCC 12 cannot map its shadow memory under the high
# mmap randomization of recent kernels; running without ASLR avoids it
# (child processes, such as the contactd the integration tests start,
# inherit the setting).
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp" \
  setarch "$(uname -m)" -R ctest --test-dir build-tsan --output-on-failure \
  -j"$jobs" -L concurrency

echo "== 4/4 fuzz: protocol decoders, WAL scanner, snapshot decoder, 20 s each"
scripts/fuzz.sh 20
