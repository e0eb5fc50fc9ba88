#include "protocol/stats_messages.h"

#include <algorithm>

#include "protocol/contact_codec.h"
#include "protocol/reply.h"
#include "protocol/wire_reader.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {
namespace {
constexpr size_t kMinCounterBytes = kMinStringBytes + 8;
}  // namespace

absl::Status DecodeStatsRequest(std::span<const uint8_t> body) {
  return WireReader(body, "STATS request").Finish();
}

void EncodeStatsReply(std::string& out,
                      std::span<const StatsCounter> counters) {
  EncodeOkPrefix(out);
  const size_t count = std::min(counters.size(), kMaxStatsCounters);
  PutU16(out, static_cast<uint16_t>(count));
  for (size_t i = 0; i < count; ++i) {
    PutString(out, counters[i].name);
    PutU64(out, counters[i].value);
  }
}

absl::Status DecodeStatsReply(std::span<const uint8_t> payload,
                              StatsReply& out) {
  WireReader r(payload, "STATS reply");
  const uint16_t count = r.Count("count", kMaxStatsCounters, kMinCounterBytes);
  out.counters.clear();
  out.counters.reserve(count);
  for (uint16_t i = 0; i < count && r.ok(); ++i) {
    StatsCounter& c = out.counters.emplace_back();
    c.name = r.String("counter.name");
    c.value = r.U64("counter.value");
  }
  return r.Finish();
}

}  // namespace contactd::protocol
