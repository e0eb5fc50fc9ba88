#include "bench/harness/redis_keys.h"

#include "absl/strings/str_cat.h"

namespace contactd::bench {

std::string RedisPhoneKey(const index::Uuid& tenant, std::string_view e164) {
  return absl::StrCat("c:", tenant.ToString(),
                      ":p:", absl::string_view(e164.data(), e164.size()));
}

std::string RedisEmailKey(const index::Uuid& tenant, std::string_view address) {
  return absl::StrCat("c:", tenant.ToString(),
                      ":e:", absl::string_view(address.data(), address.size()));
}

}  // namespace contactd::bench
