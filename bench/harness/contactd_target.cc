#include "bench/harness/contactd_target.h"

#include "protocol/contact_messages.h"
#include "protocol/frame.h"
#include "protocol/little_endian.h"
#include "protocol/lookup_messages.h"
#include "protocol/wire_status.h"

namespace contactd::bench {
namespace {

using protocol::DecodeResult;

constexpr size_t kRequestIdOffset = 8;

std::string LookupFrame(const LookupKey& key, bool summary) {
  std::string frame;
  const size_t start = protocol::BeginFrame(
      frame,
      key.kind == KeyKind::kPhone ? protocol::Opcode::kLookupPhone
                                  : protocol::Opcode::kLookupEmail,
      0);
  protocol::LookupRequest request;
  request.flags = summary ? protocol::kLookupSummary : 0;
  request.tenant = key.tenant;
  request.input = key.input;
  request.region = key.region;
  protocol::EncodeLookupRequest(frame, request);
  protocol::EndFrame(frame, start);
  return frame;
}

std::string UpsertFrame(const WriteOp& write) {
  std::string frame;
  const size_t start =
      protocol::BeginFrame(frame, protocol::Opcode::kUpsert, 0);
  protocol::UpsertRequest request;
  request.contact = write.contact;
  protocol::EncodeUpsertRequest(frame, request);
  protocol::EndFrame(frame, start);
  return frame;
}

class ContactdReplyParser : public ReplyParser {
 public:
  absl::StatusOr<size_t> Parse(std::string_view in,
                               std::vector<ParsedReply>& out) override {
    size_t used = 0;
    while (true) {
      const auto* data = reinterpret_cast<const uint8_t*>(in.data()) + used;
      const protocol::FrameDecode d =
          protocol::DecodeFrame({data, in.size() - used});
      if (d.result == DecodeResult::kNeedMore) return used;
      if (d.result == DecodeResult::kError || d.body.empty()) {
        return absl::DataLossError("contactd: malformed reply frame");
      }
      out.push_back({d.header.request_id, true, OutcomeOf(d)});
      used += d.consumed;
    }
  }

 private:
  static ReplyOutcome OutcomeOf(const protocol::FrameDecode& d) {
    const auto status = static_cast<protocol::WireStatus>(d.body[0]);
    if (status == protocol::WireStatus::kOk) {
      return d.header.opcode == protocol::Opcode::kUpsert
                 ? ReplyOutcome::kWritten
                 : ReplyOutcome::kHit;
    }
    if (status == protocol::WireStatus::kNotFound) return ReplyOutcome::kMiss;
    return ReplyOutcome::kError;
  }
};

}  // namespace

std::unique_ptr<ContactdTarget> ContactdTarget::Create(
    const Workload& workload, const ContactdTargetOptions& options) {
  std::unique_ptr<ContactdTarget> target(new ContactdTarget());
  for (const LookupKey& key : workload.keys) {
    target->lookups_.Add(LookupFrame(key, options.summary));
  }
  for (const WriteOp& write : workload.writes) {
    target->writes_.Add(UpsertFrame(write));
  }
  return target;
}

void ContactdTarget::AppendRequest(std::string& out, Op op,
                                   uint32_t seq) const {
  const std::string_view frame = op.kind == OpKind::kLookup
                                     ? lookups_.Get(op.index)
                                     : writes_.Get(op.index);
  const size_t start = out.size();
  out.append(frame);
  protocol::StoreLittleEndian<uint32_t>(
      reinterpret_cast<uint8_t*>(out.data() + start + kRequestIdOffset), seq);
}

std::unique_ptr<ReplyParser> ContactdTarget::NewParser() const {
  return std::make_unique<ContactdReplyParser>();
}

}  // namespace contactd::bench
