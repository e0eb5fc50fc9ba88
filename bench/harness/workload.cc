#include "bench/harness/workload.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "bench/harness/redis_keys.h"
#include "protocol/contact_json.h"

namespace contactd::bench {

absl::StatusOr<std::vector<WriteOp>> ReadWrites(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::vector<WriteOp> writes;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    absl::StatusOr<index::Contact> contact =
        protocol::ContactFromJsonText(line);
    if (!contact.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", contact.status().message()));
    }
    WriteOp op;
    for (const index::PhoneNumber& p : contact->phone_numbers) {
      op.redis_keys.push_back(
          RedisPhoneKey(contact->customer_id, p.number_e164));
    }
    for (const index::Email& e : contact->emails) {
      op.redis_keys.push_back(RedisEmailKey(contact->customer_id, e.address));
    }
    op.contact = *std::move(contact);
    op.json = std::move(line);
    writes.push_back(std::move(op));
  }
  return writes;
}

absl::StatusOr<Workload> LoadWorkload(const std::string& keys_path,
                                      const std::string& writes_path) {
  Workload workload;
  absl::StatusOr<std::vector<LookupKey>> keys = ReadKeyList(keys_path);
  if (!keys.ok()) return keys.status();
  if (keys->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(keys_path, ": no keys"));
  }
  workload.keys = *std::move(keys);
  if (!writes_path.empty()) {
    absl::StatusOr<std::vector<WriteOp>> writes = ReadWrites(writes_path);
    if (!writes.ok()) return writes.status();
    workload.writes = *std::move(writes);
  }
  return workload;
}

RequestPicker::RequestPicker(const Workload& workload,
                             const PickerOptions& options, uint64_t stream)
    : options_(options),
      write_count_(workload.writes.size()),
      state_((options.seed * 0x9e3779b97f4a7c15) ^
             (stream + 1) * 0xbf58476d1ce4e5b9) {
  if (state_ == 0) state_ = 1;
  for (uint32_t i = 0; i < workload.keys.size(); ++i) {
    const LookupKey& key = workload.keys[i];
    classes_[key.kind == KeyKind::kEmail][key.hit].push_back(i);
  }
}

uint64_t RequestPicker::NextRandom() {  // xorshift64*
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  return state_ * 0x2545f4914f6cdd1d;
}

const std::vector<uint32_t>& RequestPicker::ClassOf(bool email,
                                                    bool hit) const {
  if (!classes_[email][hit].empty()) return classes_[email][hit];
  if (!classes_[email][!hit].empty()) return classes_[email][!hit];
  if (!classes_[!email][hit].empty()) return classes_[!email][hit];
  return classes_[!email][!hit];
}

Op RequestPicker::Next() {
  if (write_count_ > 0 && Uniform() < options_.write_ratio) {
    return {OpKind::kWrite, static_cast<uint32_t>(NextRandom() % write_count_)};
  }
  const bool email = Uniform() < options_.email_ratio;
  const bool hit = Uniform() < options_.hit_ratio;
  const std::vector<uint32_t>& keys = ClassOf(email, hit);
  return {OpKind::kLookup, keys[NextRandom() % keys.size()]};
}

}  // namespace contactd::bench
