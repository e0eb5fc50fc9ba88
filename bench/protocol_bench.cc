// Encode / decode cost of the binary protocol's hot messages: a LOOKUP_PHONE
// request, its summary reply and its full-contact reply, from the
// ContactRecord of a typical contact (2 phones, 1 email, 2 tags, ~60 bytes of
// names). Output buffers are reused, as a connection's write buffer is.

#include <benchmark/benchmark.h>

#include <string>

#include "index/contact_record.h"
#include "protocol/frame.h"
#include "protocol/lookup_messages.h"
#include "protocol/reply.h"

namespace contactd::protocol {
namespace {

index::Uuid Id(uint8_t first) {
  std::array<uint8_t, 16> bytes;
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = first + i;
  return index::Uuid(bytes);
}

index::ContactRecord::Ptr TypicalRecord() {
  const absl::Time t = absl::FromUnixMicros(1700000000123456);
  index::Contact c;
  c.id = Id(0x10);
  c.customer_id = Id(0xA0);
  c.first_name = "Margaret";
  c.last_name = "Hamilton-Smythe";
  c.display_name = "Margaret Hamilton-Smythe";
  c.company = "Apollo Guidance";
  c.source = index::Source::kImport;
  c.tags = {"customer", "vip"};
  c.phone_numbers = {{Id(0x20), "+15551234567", "+15551234567",
                      index::PhoneType::kMobile, true, t},
                     {Id(0x30), "(555) 987-6543", "+15559876543",
                      index::PhoneType::kWork, false, t}};
  c.emails = {
      {Id(0x40), "margaret@apollo.example", index::EmailType::kWork, true, t}};
  c.tm_create = t;
  c.tm_update = t;
  return index::ContactRecord::Build(c);
}

const LookupRequest kRequest{kLookupSummary, Id(0xA0), "+15551234567", ""};

void BM_EncodeLookupRequest(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    const size_t start = BeginFrame(out, Opcode::kLookupPhone, 7);
    EncodeLookupRequest(out, kRequest);
    EndFrame(out, start);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_EncodeLookupRequest);

void BM_DecodeLookupRequest(benchmark::State& state) {
  std::string frame;
  const size_t start = BeginFrame(frame, Opcode::kLookupPhone, 7);
  EncodeLookupRequest(frame, kRequest);
  EndFrame(frame, start);
  const std::span<const uint8_t> bytes(
      reinterpret_cast<const uint8_t*>(frame.data()), frame.size());
  for (auto _ : state) {
    const FrameDecode d = DecodeFrame(bytes);
    LookupRequest request;
    benchmark::DoNotOptimize(DecodeLookupRequest(d.body, request).ok());
    benchmark::DoNotOptimize(request);
  }
}
BENCHMARK(BM_DecodeLookupRequest);

void EncodeReply(std::string& out, const index::ContactRecord& record,
                 uint8_t flags) {
  const index::PhoneSlot* first = &record.phone(0);
  const size_t start = BeginFrame(out, Opcode::kLookupPhone, 7, kFlagResponse);
  EncodePhoneLookupReply(out, flags, 1, {&first, 1});
  EndFrame(out, start);
}

void BM_EncodeReply(benchmark::State& state, uint8_t flags) {
  const auto record = TypicalRecord();
  std::string out;
  for (auto _ : state) {
    out.clear();
    EncodeReply(out, *record, flags);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK_CAPTURE(BM_EncodeReply, summary, kLookupSummary);
BENCHMARK_CAPTURE(BM_EncodeReply, full, 0);

void BM_DecodeReply(benchmark::State& state, uint8_t flags) {
  const auto record = TypicalRecord();
  std::string frame;
  EncodeReply(frame, *record, flags);
  const std::span<const uint8_t> bytes(
      reinterpret_cast<const uint8_t*>(frame.data()), frame.size());
  LookupReply reply;  // reused, as a client would
  for (auto _ : state) {
    const FrameDecode d = DecodeFrame(bytes);
    auto payload = OkPayload(d.body);
    benchmark::DoNotOptimize(DecodeLookupReply(*payload, reply).ok());
  }
}
BENCHMARK_CAPTURE(BM_DecodeReply, summary, kLookupSummary);
BENCHMARK_CAPTURE(BM_DecodeReply, full, 0);

}  // namespace
}  // namespace contactd::protocol

BENCHMARK_MAIN();
