#!/usr/bin/env bash
# Builds contactd and starts it on its embedded defaults: binary protocol on
# 127.0.0.1:7600, HTTP on 127.0.0.1:7601, data in ./data. Extra arguments are
# passed to contactd (see `scripts/run.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target contactd
exec build/server/contactd "$@"
