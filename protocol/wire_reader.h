#pragma once
// WireReader: a bounds-checked cursor over an untrusted message body.
//
// Every read checks the bytes that remain. The first failure is remembered
// (a "sticky" error): later reads return zero values and do nothing, so a
// decoder reads a whole struct and checks once at the end.
//
//   WireReader r(body, "LOOKUP_PHONE request");
//   out.flags = r.U8("flags");
//   out.tenant = r.Uuid("tenant");
//   out.input = r.String("input");     // a view into `body`, no copy
//   return r.Finish();                 // error, or trailing bytes
//
// Errors are absl::InvalidArgument naming the message and the field:
//   "LOOKUP_PHONE request: input: truncated (needs 12 bytes, 3 remain)".
// NOTE: nothing here allocates until an error status is built; the field
// and context names must be string literals (or outlive the reader).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "index/uuid.h"
#include "protocol/little_endian.h"

namespace contactd::protocol {

class WireReader {
 public:
  // `data` must outlive the reader and every view it returns.
  WireReader(std::span<const uint8_t> data, std::string_view context)
      : data_(data), context_(context) {}

  // Defined here, not in the .cc: a snapshot load reads tens of millions of
  // fields, and a call per field cost more than the read.
  uint8_t U8(std::string_view field) { return Need(1, field) ? Next(1)[0] : 0; }
  uint16_t U16(std::string_view field) { return Fixed<uint16_t>(field); }
  uint32_t U32(std::string_view field) { return Fixed<uint32_t>(field); }
  uint64_t U64(std::string_view field) { return Fixed<uint64_t>(field); }
  int64_t I64(std::string_view field) { return Fixed<int64_t>(field); }
  index::Uuid Uuid(std::string_view field) {
    std::array<uint8_t, index::Uuid::kSize> bytes{};
    if (Need(bytes.size(), field)) {
      std::memcpy(bytes.data(), Next(bytes.size()), bytes.size());
    }
    return index::Uuid(bytes);
  }
  // A u8 that must be 0 or 1.
  bool Bool(std::string_view field);
  // A str (u16 length + bytes): a view into the body.
  std::string_view String(std::string_view field) {
    const uint16_t size = U16(field);
    if (!Need(size, field)) return {};
    return {reinterpret_cast<const char*>(Next(size)), size};
  }
  // A time (i64 microseconds; kUnsetTime -> absl::InfinitePast()).
  absl::Time Time(std::string_view field);
  // `n` raw bytes: a view into the body.
  std::span<const uint8_t> Bytes(size_t n, std::string_view field);
  // The rest of the body (possibly empty).
  std::span<const uint8_t> Rest();

  // A u16 count of items that each take at least `min_item_bytes`: fails
  // when the count exceeds `max_count` or the bytes that remain cannot hold
  // that many items, so a decoder may reserve() the count safely.
  uint16_t Count(std::string_view field, size_t max_count,
                 size_t min_item_bytes);

  // Records a semantic error (bad enum value, unknown bit) for `field`;
  // `what` says what is wrong. No-op when an error is already recorded.
  void Fail(std::string_view field, std::string_view what);

  bool ok() const { return error_ == Error::kNone; }
  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }

  // The recorded error as an absl::Status (OkStatus() when none).
  absl::Status status() const;
  // status(), or an error when bytes remain after a complete body.
  absl::Status Finish() const;

 private:
  enum class Error { kNone, kTruncated, kInvalid };

  // Whether `n` more bytes are there; records kTruncated otherwise.
  bool Need(size_t n, std::string_view field) {
    if (ok() && remaining() >= n) [[likely]]
      return true;
    return RecordTruncated(n, field);
  }
  bool RecordTruncated(size_t n, std::string_view field);  // false
  // The next `n` bytes, which Need(n) has checked.
  const uint8_t* Next(size_t n) {
    const uint8_t* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }
  template <typename T>
  T Fixed(std::string_view field) {
    return Need(sizeof(T), field) ? LoadLittleEndian<T>(Next(sizeof(T))) : T{0};
  }

  std::span<const uint8_t> data_;
  std::string_view context_;
  size_t pos_ = 0;
  Error error_ = Error::kNone;
  std::string_view error_field_;
  std::string_view error_what_;
  size_t error_needed_ = 0;
  size_t error_remaining_ = 0;
};

}  // namespace contactd::protocol
