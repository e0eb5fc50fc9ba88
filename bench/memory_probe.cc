#include "bench/memory_probe.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <new>
#include <numeric>
#include <utility>
#include <vector>

namespace contactd::bench {
namespace {

// splitmix64: a small, fast, well-mixed generator for the permutation.
uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

int64_t ReadRssBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long size = 0, resident = 0;
  const int n = std::fscanf(f, "%ld %ld", &size, &resident);
  std::fclose(f);
  return n == 2 ? static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE) : 0;
}

}  // namespace

HeapUsage ReadHeapUsage() {
  const struct mallinfo2 info = mallinfo2();
  return {static_cast<int64_t>(info.uordblks + info.hblkhd), ReadRssBytes()};
}

int64_t ReadAnonHugePageBytes() {
  std::FILE* f = std::fopen("/proc/self/smaps_rollup", "r");
  if (f == nullptr) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::sscanf(line, "AnonHugePages: %ld kB", &kib) == 1) break;
  }
  std::fclose(f);
  return static_cast<int64_t>(kib) * 1024;
}

ChaseBuffer::ChaseBuffer(size_t bytes, bool huge_pages, uint64_t seed)
    : lines_(bytes / kLineBytes),
      alignment_(huge_pages ? kHugePageBytes : kLineBytes) {
  if (lines_ < 2) std::abort();
  // mmap, not malloc: with malloc's heap on huge pages (huge_page_heap.h)
  // malloc would madvise a big block too, and the 4 KiB-page probe would
  // silently become a huge-page one. One extra huge page of room for
  // aligning the start.
  mapped_bytes_ = lines_ * kLineBytes + alignment_;
  void* mapped = mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) std::abort();
  mapped_ = mapped;
  const uintptr_t start = reinterpret_cast<uintptr_t>(mapped);
  base_ = reinterpret_cast<char*>((start + alignment_ - 1) & ~(alignment_ - 1));
  // Before the first touch, so the pages are faulted in at the chosen size.
  madvise(base_, lines_ * kLineBytes,
          huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  // Sattolo's algorithm: a uniformly random permutation with a single cycle.
  std::vector<uint32_t> order(lines_);
  std::iota(order.begin(), order.end(), 0u);
  for (size_t i = lines_ - 1; i > 0; --i) {
    const size_t j = SplitMix(seed) % i;  // j < i: never a fixed point
    std::swap(order[i], order[j]);
  }
  // Line k links to line order[k]: one cycle through every line.
  for (size_t k = 0; k < lines_; ++k) {
    *reinterpret_cast<void**>(base_ + k * kLineBytes) =
        base_ + size_t{order[k]} * kLineBytes;
  }
}

ChaseBuffer::~ChaseBuffer() { munmap(mapped_, mapped_bytes_); }

}  // namespace contactd::bench
