#pragma once
// SampleKeys: the key list of the bench dataset (bench/harness/key_list.h)
// from the contacts as contactd stored them (read back from the snapshot),
// so every hit is a key the server and Redis really hold.
//
// Shares of the list: 60 % phone hits (half as E.164, a fifth as the number
// was entered, 30 % in national format with its region, e.g. "07400 123456"
// GB), 20 % email hits (40 % capitalized), 15 % phone misses (valid numbers
// the tenant does not have; 30 % national) and 5 % email misses. Hits are
// spread uniformly over the contacts; each miss is checked against every
// stored key of its tenant. contactd-bench's --hit-ratio and --email-ratio
// then choose among these classes at run time.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/dataset_gen/phone_plan.h"
#include "bench/harness/key_list.h"
#include "index/contact_record.h"

namespace contactd::bench {

struct KeySampleOptions {
  size_t keys = 200'000;
  uint64_t seed = 7;
};

// Errors: InvalidArgument when there are no contacts; Internal when a
// stored number does not parse (it cannot: the store validated it).
absl::StatusOr<std::vector<LookupKey>> SampleKeys(
    const std::vector<index::ContactRecord::Ptr>& stored, const PhonePlan& plan,
    const KeySampleOptions& options);

}  // namespace contactd::bench
