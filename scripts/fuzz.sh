#!/usr/bin/env bash
# Builds the protocol's libFuzzer target with clang (ASan + UBSan) into
# build-fuzz and runs it for SECONDS (default 60) on a seed corpus of valid
# frames of every opcode.
#
#   scripts/fuzz.sh            # 60 s
#   scripts/fuzz.sh 600        # 10 min
#
# Crashes are written to build-fuzz/artifacts/; the grown corpus stays in
# build-fuzz/corpus/ for the next run.
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
cmake --build "${build}" -j"$(nproc)" --target frame_decoder_fuzz fuzz_seed_corpus

mkdir -p "${build}/corpus" "${build}/artifacts"
"${build}/tests/protocol/fuzz/fuzz_seed_corpus" "${build}/corpus"

"${build}/tests/protocol/fuzz/frame_decoder_fuzz" \
  -max_total_time="${seconds}" -max_len=4096 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="${build}/artifacts/" \
  "${build}/corpus"
