#pragma once
// The lookup keys of a bench run: what edge nodes would ask, hits and misses,
// phone numbers as E.164 or in a national format (with the region to read it
// in), and email addresses (not always lowercase). Written by the dataset
// generator (bench/dataset_gen), read by contactd-bench.
//
// File format: UTF-8 text, one key per line, tab-separated; lines starting
// with '#' are comments:
//
//   kind  expect  tenant  input  region  redis_key
//   phone hit     0b7e…   (415) 555-0123   US   c:0b7e…:p:+14155550123
//   email miss    0b7e…   Nobody.x1@Example.com  -
//   c:0b7e…:e:nobody.x1@example.com
//
// kind: phone | email; expect: hit | miss (what the dataset holds); region:
// "-" for none (contactd's default region); redis_key: the key of the same
// lookup in Redis (redis_keys.h), i.e. the normalized form.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "index/uuid.h"

namespace contactd::bench {

enum class KeyKind : uint8_t { kPhone, kEmail };

struct LookupKey {
  KeyKind kind = KeyKind::kPhone;
  bool hit = true;
  index::Uuid tenant;
  std::string input;
  std::string region;  // "" = the server's default
  std::string redis_key;

  friend bool operator==(const LookupKey&, const LookupKey&) = default;
};

// One line, without the newline.
std::string FormatKeyLine(const LookupKey& key);
// Errors: InvalidArgument naming the problem.
absl::StatusOr<LookupKey> ParseKeyLine(std::string_view line);

absl::Status WriteKeyList(const std::string& path,
                          const std::vector<LookupKey>& keys);
// Errors: NotFound (no file), InvalidArgument "path:line: ..." on a bad line.
absl::StatusOr<std::vector<LookupKey>> ReadKeyList(const std::string& path);

}  // namespace contactd::bench
