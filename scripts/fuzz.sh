#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz and
# runs each for SECONDS (default 60) on a seed corpus of valid inputs:
#   frame_decoder_fuzz    the protocol's frame and body decoders
#   wal_scan_fuzz         the WAL segment scanner (docs/wal_format.md)
#   snapshot_decode_fuzz  the snapshot decoder (docs/snapshot_format.md)
#
#   scripts/fuzz.sh            # 60 s each
#   scripts/fuzz.sh 600        # 10 min each
#
# Crashes are written to build-fuzz/artifacts/<target>-*; each target's
# grown corpus stays in build-fuzz/corpus/<target>/ for the next run.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${root}/build-fuzz"

"${root}/scripts/install-deps.sh"
cmake -S "${root}" -B "${build}" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCONTACTD_BUILD_FUZZ=ON -DCONTACTD_SANITIZE=address \
  -DCONTACTD_BUILD_SERVER=OFF -DCONTACTD_BUILD_BENCH=OFF >/dev/null
cmake --build "${build}" -j"$(nproc)" --target \
  frame_decoder_fuzz fuzz_seed_corpus \
  wal_scan_fuzz wal_fuzz_seed_corpus \
  snapshot_decode_fuzz snapshot_fuzz_seed_corpus

mkdir -p "${build}/artifacts"
run() {  # run <target binary> <seed corpus writer>
  local target=$1 seeds=$2
  local name corpus
  name=$(basename "${target}")
  corpus="${build}/corpus/${name}"
  mkdir -p "${corpus}"
  "${seeds}" "${corpus}"
  echo "== fuzz ${name}, ${seconds} s"
  "${target}" -max_total_time="${seconds}" -max_len=4096 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="${build}/artifacts/${name}-" \
    "${corpus}"
}
run "${build}/tests/protocol/fuzz/frame_decoder_fuzz" \
  "${build}/tests/protocol/fuzz/fuzz_seed_corpus"
run "${build}/tests/snapshot/fuzz/wal_scan_fuzz" \
  "${build}/tests/snapshot/fuzz/wal_fuzz_seed_corpus"
run "${build}/tests/snapshot/fuzz/snapshot_decode_fuzz" \
  "${build}/tests/snapshot/fuzz/snapshot_fuzz_seed_corpus"
