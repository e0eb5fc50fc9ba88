#include "protocol/wire_reader.h"

#include <array>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "protocol/little_endian.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {

bool WireReader::Need(size_t n, std::string_view field) {
  if (!ok()) return false;
  if (remaining() >= n) return true;
  error_ = Error::kTruncated;
  error_field_ = field;
  error_needed_ = n;
  error_remaining_ = remaining();
  return false;
}

void WireReader::Fail(std::string_view field, std::string_view what) {
  if (!ok()) return;
  error_ = Error::kInvalid;
  error_field_ = field;
  error_what_ = what;
}

uint8_t WireReader::U8(std::string_view field) {
  if (!Need(1, field)) return 0;
  return data_[pos_++];
}

template <typename T>
static T LoadAt(std::span<const uint8_t> data, size_t& pos) {
  const T value = LoadLittleEndian<T>(data.data() + pos);
  pos += sizeof(T);
  return value;
}

uint16_t WireReader::U16(std::string_view field) {
  return Need(2, field) ? LoadAt<uint16_t>(data_, pos_) : 0;
}
uint32_t WireReader::U32(std::string_view field) {
  return Need(4, field) ? LoadAt<uint32_t>(data_, pos_) : 0;
}
uint64_t WireReader::U64(std::string_view field) {
  return Need(8, field) ? LoadAt<uint64_t>(data_, pos_) : 0;
}
int64_t WireReader::I64(std::string_view field) {
  return Need(8, field) ? LoadAt<int64_t>(data_, pos_) : 0;
}

index::Uuid WireReader::Uuid(std::string_view field) {
  if (!Need(index::Uuid::kSize, field)) return index::Uuid();
  std::array<uint8_t, index::Uuid::kSize> bytes;
  std::memcpy(bytes.data(), data_.data() + pos_, bytes.size());
  pos_ += bytes.size();
  return index::Uuid(bytes);
}

bool WireReader::Bool(std::string_view field) {
  const uint8_t v = U8(field);
  if (v > 1) Fail(field, "must be 0 or 1");
  return v == 1;
}

std::string_view WireReader::String(std::string_view field) {
  const uint16_t size = U16(field);
  if (!Need(size, field)) return {};
  const char* p = reinterpret_cast<const char*>(data_.data() + pos_);
  pos_ += size;
  return {p, size};
}

absl::Time WireReader::Time(std::string_view field) {
  return TimeFromWire(I64(field));
}

std::span<const uint8_t> WireReader::Bytes(size_t n, std::string_view field) {
  if (!Need(n, field)) return {};
  auto bytes = data_.subspan(pos_, n);
  pos_ += n;
  return bytes;
}

std::span<const uint8_t> WireReader::Rest() {
  if (!ok()) return {};
  auto rest = data_.subspan(pos_);
  pos_ = data_.size();
  return rest;
}

uint16_t WireReader::Count(std::string_view field, size_t max_count,
                           size_t min_item_bytes) {
  const uint16_t count = U16(field);
  if (!ok()) return 0;
  if (count > max_count) {
    Fail(field, "count exceeds the limit");
    return 0;
  }
  if (count * min_item_bytes > remaining()) {
    error_ = Error::kTruncated;
    error_field_ = field;
    error_needed_ = count * min_item_bytes;
    error_remaining_ = remaining();
    return 0;
  }
  return count;
}

absl::Status WireReader::status() const {
  switch (error_) {
    case Error::kNone:
      return absl::OkStatus();
    case Error::kTruncated:
      return index::InvalidArgument(
          index::Reason::kNone,
          absl::StrCat(index::ToAbsl(context_), ": ",
                       index::ToAbsl(error_field_), ": truncated (needs ",
                       error_needed_, " bytes, ", error_remaining_,
                       " remain)"));
    case Error::kInvalid:
      return index::InvalidArgument(
          index::Reason::kNone, absl::StrCat(index::ToAbsl(context_), ": ",
                                             index::ToAbsl(error_field_), ": ",
                                             index::ToAbsl(error_what_)));
  }
  return absl::InternalError("unreachable");
}

absl::Status WireReader::Finish() const {
  if (!ok()) return status();
  if (remaining() != 0) {
    return index::InvalidArgument(
        index::Reason::kNone,
        absl::StrCat(index::ToAbsl(context_), ": ", remaining(),
                     " trailing bytes after the body"));
  }
  return absl::OkStatus();
}

}  // namespace contactd::protocol
