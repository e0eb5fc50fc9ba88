#!/usr/bin/env bash
# Installs the Debian 12 packages contactd needs to build, test and benchmark.
# Skips packages that are already installed, so repeat runs cost ~1 second.
set -euo pipefail

packages=(
  cmake ninja-build g++ clang-format
  libboost-dev          # Asio, Beast (header-only in 1.74)
  libabsl-dev           # flat_hash_map, Status/StatusOr, synchronization
  libxxhash-dev         # XXH3 for shard selection and checksums
  libphonenumber-dev    # E.164 normalization
  libre2-dev            # metadata patterns of the phone normalizer's fast path
  libgtest-dev libgmock-dev
  libbenchmark-dev
  libhiredis-dev        # RESP client of contactd-bench --target redis (bench/harness)
  nlohmann-json3-dev    # JSON (CLI output, HTTP API)
  libcli11-dev          # command-line flags
  libspdlog-dev         # logging
  libcsv-dev            # RFC 4180 CSV parser of `contactctl import` (streaming, strict mode)
  clang libclang-rt-14-dev  # libFuzzer for the protocol fuzz target (scripts/fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
