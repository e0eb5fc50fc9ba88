#pragma once
// Helpers shared by the WAL suites: a temporary directory that removes
// itself, whole-file reads and writes, and deterministic payloads.

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace contactd::snapshot::testing {

// A fresh directory under ::testing::TempDir(), removed with its contents.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string tmpl = ::testing::TempDir();
    if (tmpl.empty() || tmpl.back() != '/') tmpl += '/';
    tmpl += "contactd_wal_XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp " << tmpl << " failed";
    }
    path_ = tmpl;
  }
  ~ScopedTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// The payload of record `sequence` in the tests: 1..40 bytes, content
// derived from the sequence, so a replay can check every byte.
inline std::string TestPayload(uint64_t sequence) {
  std::string payload = "rec-" + std::to_string(sequence) + "-";
  const size_t length = 1 + (sequence * 7) % 40;
  while (payload.size() < length) {
    payload.push_back(
        static_cast<char>('a' + (sequence + payload.size()) % 26));
  }
  payload.resize(length);
  return payload;
}

}  // namespace contactd::snapshot::testing
