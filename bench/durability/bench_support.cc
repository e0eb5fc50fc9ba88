#include "bench/durability/bench_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

namespace contactd::bench {

namespace fs = std::filesystem;

[[noreturn]] void Die(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "[durability_bench] %s: %s\n", what.c_str(),
               status.ToString().c_str());
  std::abort();
}

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address))) {
    close(fd);
    return -1;
  }
  return fd;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

TempDir::TempDir(std::string_view name) {
  const char* base = std::getenv("CONTACTD_BENCH_DIR");
  std::string pattern =
      ((base != nullptr ? fs::path(base) : fs::temp_directory_path()) /
       (std::string("contactd_dbench_") + std::string(name) + "_XXXXXX"))
          .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string TempDir::operator/(std::string_view name) const {
  return (fs::path(path_) / name).string();
}

double CachedPercent(const std::string& path) {
  auto file = std::unique_ptr<FILE, int (*)(FILE*)>(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) return -1;
  const size_t size = fs::file_size(path);
  if (size == 0) return 100;
  void* map = mmap(nullptr, size, PROT_READ, MAP_SHARED, fileno(file.get()), 0);
  if (map == MAP_FAILED) return -1;
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((size + page - 1) / page);
  double percent = -1;
  if (mincore(map, size, resident.data()) == 0) {
    size_t in = 0;
    for (unsigned char r : resident) in += r & 1;
    percent =
        100.0 * static_cast<double>(in) / static_cast<double>(resident.size());
  }
  munmap(map, size);
  return percent;
}

}  // namespace contactd::bench
