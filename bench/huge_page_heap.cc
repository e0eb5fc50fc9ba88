#include "bench/huge_page_heap.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace contactd::bench {

void UseHugePageHeap(char** argv) {
  constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
  const char* opt_out = std::getenv("CONTACTD_HUGE_PAGES");
  if (opt_out != nullptr && std::string_view(opt_out) == "0") return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::string value = tunables == nullptr ? "" : tunables;
  if (value.find(kTunable) != std::string::npos) return;  // already chosen
  if (!value.empty()) value += ':';
  value += std::string(kTunable) + "=1";
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  unsetenv("GLIBC_TUNABLES");  // exec failed: carry on as we are
}

}  // namespace contactd::bench
