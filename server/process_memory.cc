#include "server/process_memory.h"

#include <unistd.h>

#include <cstdio>

namespace contactd::server {

size_t ResidentBytes() {
  std::FILE* file = std::fopen("/proc/self/statm", "r");
  if (file == nullptr) return 0;
  unsigned long size_pages = 0, resident_pages = 0;
  const int read = std::fscanf(file, "%lu %lu", &size_pages, &resident_pages);
  std::fclose(file);
  if (read != 2) return 0;
  return resident_pages * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace contactd::server
