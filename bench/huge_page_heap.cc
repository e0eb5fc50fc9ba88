#include "bench/huge_page_heap.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace contactd::bench {
namespace {

// glibc 2.36 madvises an sbrk extension only when it is >= 2 MiB, and
// extensions are usually smaller (the request + 128 KiB of top_pad, rounded
// up to the next 2 MiB boundary): measured at 1M contacts, 4 MiB of a 400 MB
// heap was on huge pages with hugetlb=1 alone, 512 MiB with a 32 MiB top_pad.
constexpr char kHugePageTunables[] =
    "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432";

}  // namespace

void UseHugePageHeap(char** argv) {
  constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
  const char* opt_out = std::getenv("CONTACTD_HUGE_PAGES");
  if (opt_out != nullptr && std::string_view(opt_out) == "0") return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string original = tunables == nullptr ? "" : tunables;
  std::string value = original;
  if (value.find(kTunable) != std::string::npos) return;  // already chosen
  if (!value.empty()) value += ':';
  value += kHugePageTunables;
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // The exec failed: carry on as we are.
  if (tunables == nullptr) {
    unsetenv("GLIBC_TUNABLES");
  } else {
    setenv("GLIBC_TUNABLES", original.c_str(), 1);
  }
}

}  // namespace contactd::bench
