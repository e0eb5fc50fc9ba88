#pragma once
// MappedFile: a whole file mapped read-only, for the WAL and snapshot
// readers (no copy; the kernel reads ahead). An empty file maps to an empty
// span.
//
//   ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
//   Decode(file.bytes());

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "absl/status/statusor.h"

namespace contactd::snapshot {

class MappedFile {
 public:
  // Errors name the path: NOT_FOUND when it does not exist, UNAVAILABLE for
  // other failures.
  static absl::StatusOr<MappedFile> Open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

 private:
  MappedFile(std::string path, const uint8_t* data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  void Unmap();

  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace contactd::snapshot
