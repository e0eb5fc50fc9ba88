#!/usr/bin/env bash
# Builds contactd and starts it on its embedded defaults: binary protocol on
# 127.0.0.1:7600, HTTP on 127.0.0.1:7601, data in ./data. Extra arguments are
# passed to contactd (see `scripts/run.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target contactd
# malloc's heap on transparent huge pages: fewer TLB misses on lookups
# (bench/README.md, "Huge pages"; bench/huge_page_heap.h explains top_pad).
# glibc reads this only at startup.
case "${GLIBC_TUNABLES:-}" in
  *glibc.malloc.hugetlb*) ;;
  *) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432" ;;
esac
exec build/server/contactd "$@"
