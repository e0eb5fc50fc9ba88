#!/usr/bin/env bash
# Builds contactd and starts it on its embedded defaults: binary protocol on
# 127.0.0.1:7600, HTTP on 127.0.0.1:7601, data in ./data. Extra arguments are
# passed to contactd (see `scripts/run.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target contactd
# malloc's heap on transparent huge pages: 10M-contact lookups are 12-28%
# faster (fewer TLB misses; bench/README.md, "Huge pages"). glibc reads this
# only at startup.
case "${GLIBC_TUNABLES:-}" in
  *glibc.malloc.hugetlb*) ;;
  *) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1" ;;
esac
exec build/server/contactd "$@"
