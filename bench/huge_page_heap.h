#pragma once
// Puts malloc's heap on transparent huge pages for the whole process.
//
// The index is a few GB of small heap blocks reached in random order, so on
// 4 KiB pages nearly every dependent load of a lookup also misses the TLB
// (a two-dimensional page walk in a VM). glibc >= 2.35 madvises its heap
// (MADV_HUGEPAGE) under GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which works
// when transparent_hugepage is "madvise" (this machine) or "always"; a 32 MiB
// glibc.malloc.top_pad makes every heap extension big enough to be madvised.
// glibc reads tunables only at startup and offers no mallopt() for it, so:
//
//   int main(int argc, char** argv) {
//     contactd::bench::UseHugePageHeap(argv);   // first thing: may re-exec
//     ...
//   }
//
// re-executes the program (/proc/self/exe, same argv) with the tunable added,
// unless it is already there or CONTACTD_HUGE_PAGES=0. If the exec fails it
// returns and the process runs on 4 KiB pages.
//
// NOTE: glibc 2.36 madvises the main arena (sbrk) and big mmapped blocks,
// not the heaps of other threads' arenas: what threads other than the main
// one allocate stays on 4 KiB pages (glibc.malloc.arena_max=1 would change
// that, at the cost of one malloc lock for all threads).

namespace contactd::bench {

void UseHugePageHeap(char** argv);

}  // namespace contactd::bench
