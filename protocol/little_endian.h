#pragma once
// Little-endian loads and stores of fixed-width integers at any alignment:
// every integer of the protocol is little-endian on the wire.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

namespace contactd::protocol {

static_assert(std::endian::native == std::endian::little,
              "contactd's codec assumes a little-endian host");

template <typename T>
T LoadLittleEndian(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

template <typename T>
void StoreLittleEndian(uint8_t* p, T value) {
  std::memcpy(p, &value, sizeof(T));
}

template <typename T>
void AppendLittleEndian(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

}  // namespace contactd::protocol
