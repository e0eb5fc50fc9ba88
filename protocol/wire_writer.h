#pragma once
// Append helpers for message bodies: each writes one field of the grammar in
// docs/protocol.md onto the end of a std::string (the connection's write
// buffer, usually), little-endian. The only allocation is the string's own
// growth.
//
//   std::string out;
//   PutU8(out, flags);
//   PutUuid(out, tenant);
//   PutString(out, "+15551234567");   // u16 length + bytes
//
// Primitive encodings (do not change: on the wire):
//   u8/u16/u32/u64   little-endian unsigned
//   i64              little-endian two's complement
//   uuid             16 raw bytes, in the order of Uuid::bytes()
//   str              u16 byte length, then that many bytes (UTF-8, no NUL)
//   time             i64 unix microseconds; kUnsetTime for "not assigned"
//                    (absl::InfinitePast())

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "index/uuid.h"
#include "protocol/little_endian.h"

namespace contactd::protocol {

// The longest str field (do not change: on the wire).
inline constexpr size_t kMaxWireString = 0xFFFF;
// The time value meaning "not assigned yet" (do not change: on the wire).
inline constexpr int64_t kUnsetTime = std::numeric_limits<int64_t>::min();

inline void PutU8(std::string& out, uint8_t v) {
  out.push_back(static_cast<char>(v));
}
inline void PutU16(std::string& out, uint16_t v) {
  AppendLittleEndian<uint16_t>(out, v);
}
inline void PutU32(std::string& out, uint32_t v) {
  AppendLittleEndian<uint32_t>(out, v);
}
inline void PutU64(std::string& out, uint64_t v) {
  AppendLittleEndian<uint64_t>(out, v);
}
inline void PutI64(std::string& out, int64_t v) {
  AppendLittleEndian<int64_t>(out, v);
}
inline void PutBool(std::string& out, bool v) { PutU8(out, v ? 1 : 0); }

inline void PutUuid(std::string& out, const index::Uuid& id) {
  out.append(reinterpret_cast<const char*>(id.bytes().data()),
             index::Uuid::kSize);
}

// u16 length + bytes. NOTE: a string longer than kMaxWireString is cut to
// that length; validated contacts never come close (the longest field,
// notes, is limited to 4096 bytes).
inline void PutString(std::string& out, std::string_view s) {
  if (s.size() > kMaxWireString) s = s.substr(0, kMaxWireString);
  PutU16(out, static_cast<uint16_t>(s.size()));
  out.append(s.data(), s.size());
}

// InfinitePast (unset) -> kUnsetTime; otherwise unix microseconds, rounded
// down and saturated at the int64 range.
inline int64_t TimeToWire(absl::Time t) {
  return t == absl::InfinitePast() ? kUnsetTime : absl::ToUnixMicros(t);
}
inline absl::Time TimeFromWire(int64_t us) {
  return us == kUnsetTime ? absl::InfinitePast() : absl::FromUnixMicros(us);
}
inline void PutTime(std::string& out, absl::Time t) {
  PutI64(out, TimeToWire(t));
}

}  // namespace contactd::protocol
