#pragma once
// ContactdTarget: the workload in contactd's binary protocol
// (docs/protocol.md). A lookup key becomes a LOOKUP_PHONE / LOOKUP_EMAIL
// frame (its input and region as the key list gives them: the server
// normalizes), a write an UPSERT of the contact; the request id is the seq.
// Replies are read to the status byte only: OK is a hit (or a write),
// NOT_FOUND a miss, anything else an error.

#include <memory>

#include "bench/harness/target.h"

namespace contactd::bench {

struct ContactdTargetOptions {
  // Ask for summaries (the call-control answer) instead of full contacts.
  bool summary = false;
};

class ContactdTarget : public Target {
 public:
  static std::unique_ptr<ContactdTarget> Create(
      const Workload& workload, const ContactdTargetOptions& options);

  std::string_view name() const override { return "contactd"; }
  void AppendRequest(std::string& out, Op op, uint32_t seq) const override;
  std::unique_ptr<ReplyParser> NewParser() const override;

 private:
  ContactdTarget() = default;
  EncodedRequests lookups_;
  EncodedRequests writes_;
};

}  // namespace contactd::bench
