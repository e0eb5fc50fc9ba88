#pragma once
// CHECKPOINT and RELOAD: the durability operations an operator triggers.
// Both need the admin scope and may take seconds; the server runs them off
// the I/O and writer threads, so lookups and writes go on meanwhile.
//
//   checkpoint request       = (empty)
//   checkpoint reply payload = sequence:u64 contacts:u64 bytes:u64
//                              duration_us:u64
//   reload request           = path:str          (a snapshot file on the
//                                                  server's machine)
//   reload reply payload     = contacts:u64 sequence:u64 duration_us:u64
//
// `sequence` is the last WAL sequence the snapshot covers (checkpoint) or
// the reloaded dataset replaced (reload).

#include <cstdint>
#include <span>
#include <string>

#include "absl/status/status.h"

namespace contactd::protocol {

struct CheckpointReply {
  uint64_t sequence = 0;
  uint64_t contacts = 0;
  uint64_t bytes = 0;
  uint64_t duration_us = 0;

  friend bool operator==(const CheckpointReply&,
                         const CheckpointReply&) = default;
};

struct ReloadRequest {
  std::string path;
};

struct ReloadReply {
  uint64_t contacts = 0;
  uint64_t sequence = 0;
  uint64_t duration_us = 0;

  friend bool operator==(const ReloadReply&, const ReloadReply&) = default;
};

inline void EncodeCheckpointRequest(std::string&) {}
absl::Status DecodeCheckpointRequest(std::span<const uint8_t> body);
// Reply bodies include the OK prefix.
void EncodeCheckpointReply(std::string& out, const CheckpointReply& reply);
absl::Status DecodeCheckpointReply(std::span<const uint8_t> payload,
                                   CheckpointReply& out);

void EncodeReloadRequest(std::string& out, const ReloadRequest& request);
absl::Status DecodeReloadRequest(std::span<const uint8_t> body,
                                 ReloadRequest& out);
void EncodeReloadReply(std::string& out, const ReloadReply& reply);
absl::Status DecodeReloadReply(std::span<const uint8_t> payload,
                               ReloadReply& out);

}  // namespace contactd::protocol
