#pragma once
// Memory measurements for the benchmarks: what the heap holds (glibc
// mallinfo2) and the process RSS, and a pointer-chase buffer that measures
// the latency of one dependent load at a given working-set size.
//
//   HeapUsage before = ReadHeapUsage();
//   ... build something ...
//   HeapUsage grown = ReadHeapUsage() - before;
//
//   ChaseBuffer chase(size_t{1} << 30);        // 1 GiB, one cyclic walk
//   const void* p = chase.start();
//   for (...) p = ChaseBuffer::Next(p);        // one DRAM miss each
//
// NOTE: mallinfo2 counts bytes handed out by malloc (uordblks, all arenas)
// plus mmapped chunks (hblkhd); it includes malloc's per-chunk headers and
// rounding (8 bytes and 16-byte granularity on x86-64 glibc) but not free
// memory held in its bins. RSS also counts that free memory.

#include <cstddef>
#include <cstdint>
#include <memory>

namespace contactd::bench {

struct HeapUsage {
  int64_t heap_bytes = 0;  // mallinfo2: uordblks + hblkhd
  int64_t rss_bytes = 0;   // /proc/self/statm resident pages

  friend HeapUsage operator-(const HeapUsage& a, const HeapUsage& b) {
    return {a.heap_bytes - b.heap_bytes, a.rss_bytes - b.rss_bytes};
  }
};

HeapUsage ReadHeapUsage();

// Bytes of the process's anonymous memory backed by transparent huge pages
// (AnonHugePages in /proc/self/smaps_rollup); 0 when unknown.
int64_t ReadAnonHugePageBytes();

// A buffer of 64-byte lines linked into one random cycle (Sattolo's
// algorithm): each line's first word points to the next line of the cycle,
// so a walk visits every line once per lap in an order no prefetcher can
// follow. Its own mapping, whatever malloc does. By default 4 KiB pages
// (MADV_NOHUGEPAGE), so a step also pays the TLB miss a random access to a
// 4 KiB-page heap pays; with `huge_pages` the buffer is
// madvise(MADV_HUGEPAGE)d, which shows how much of that is TLB.
class ChaseBuffer {
 public:
  static constexpr size_t kLineBytes = 64;
  static constexpr size_t kHugePageBytes = size_t{2} << 20;

  // REQUIRES: bytes >= 2 * kLineBytes.
  explicit ChaseBuffer(size_t bytes, bool huge_pages = false,
                       uint64_t seed = 1);
  ~ChaseBuffer();
  ChaseBuffer(const ChaseBuffer&) = delete;
  ChaseBuffer& operator=(const ChaseBuffer&) = delete;

  size_t bytes() const { return lines_ * kLineBytes; }
  const void* start() const { return base_; }
  static const void* Next(const void* line) {
    return *static_cast<const void* const*>(line);
  }

 private:
  void* mapped_ = nullptr;
  size_t mapped_bytes_ = 0;
  char* base_ = nullptr;
  size_t lines_ = 0;
  size_t alignment_ = kLineBytes;
};

}  // namespace contactd::bench
