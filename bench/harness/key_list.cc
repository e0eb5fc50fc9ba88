#include "bench/harness/key_list.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace contactd::bench {
namespace {

absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

std::string FormatKeyLine(const LookupKey& key) {
  return absl::StrCat(
      key.kind == KeyKind::kPhone ? "phone" : "email", "\t",
      key.hit ? "hit" : "miss", "\t", key.tenant.ToString(), "\t", key.input,
      "\t", key.region.empty() ? "-" : key.region, "\t", key.redis_key);
}

absl::StatusOr<LookupKey> ParseKeyLine(std::string_view line) {
  const std::vector<absl::string_view> fields =
      absl::StrSplit(AsAbsl(line), '\t');
  if (fields.size() != 6) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected 6 tab-separated fields, got ", fields.size()));
  }
  LookupKey key;
  if (fields[0] == "phone") {
    key.kind = KeyKind::kPhone;
  } else if (fields[0] == "email") {
    key.kind = KeyKind::kEmail;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: '", fields[0], "' is not phone or email"));
  }
  if (fields[1] != "hit" && fields[1] != "miss") {
    return absl::InvalidArgumentError(
        absl::StrCat("expect: '", fields[1], "' is not hit or miss"));
  }
  key.hit = fields[1] == "hit";
  absl::StatusOr<index::Uuid> tenant =
      index::Uuid::Parse(std::string_view(fields[2].data(), fields[2].size()));
  if (!tenant.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tenant: ", tenant.status().message()));
  }
  key.tenant = *tenant;
  if (fields[3].empty()) return absl::InvalidArgumentError("input: empty");
  key.input = std::string(fields[3]);
  if (fields[4] != "-") key.region = std::string(fields[4]);
  if (fields[5].empty()) return absl::InvalidArgumentError("redis_key: empty");
  key.redis_key = std::string(fields[5]);
  return key;
}

absl::Status WriteKeyList(const std::string& path,
                          const std::vector<LookupKey>& keys) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  out << "# contactd-bench key list: kind expect tenant input region "
         "redis_key\n";
  for (const LookupKey& key : keys) out << FormatKeyLine(key) << '\n';
  out.flush();
  if (!out) return absl::UnavailableError(absl::StrCat("write failed: ", path));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LookupKey>> ReadKeyList(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::vector<LookupKey> keys;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    absl::StatusOr<LookupKey> key = ParseKeyLine(line);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", key.status().message()));
    }
    keys.push_back(*std::move(key));
  }
  return keys;
}

}  // namespace contactd::bench
