#pragma once
// Tokens and what they grant: the --tokens file of contactd.
//
// One token per line, fields separated by blanks, '#' starts a comment:
//
//   # token                            scopes              tenant
//   edge-7f3a9c2e41d8b6a0c5e9f1d2      lookup
//   0b7e3f4c-9a2d-4c1e-8f00-1234567890ab crm-sync-19d0e4b7a3c6f5e28d71
//   lookup,write        *
//
// scopes: a comma-separated subset of lookup, write, admin. tenant: the one
// customer id the token may read and write, or * for every tenant. Tokens
// are at least 16 printable characters and unique. docs/operations.md has
// the operator's view.
//
//   absl::StatusOr<TokenTable> tokens = TokenTable::Load("tokens.txt");
//   std::optional<Grant> grant = tokens->Authenticate(presented);
//
// Authenticate compares in constant time with respect to the presented
// token's content: every stored token is compared in full, no early exit.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "index/uuid.h"
#include "protocol/hello_messages.h"

namespace contactd::server {

// What an authenticated connection may do.
struct Grant {
  uint8_t scopes = 0;  // protocol::kScopeLookup | kScopeWrite | kScopeAdmin
  index::Uuid tenant;  // nil: every tenant

  bool Has(uint8_t scope) const { return (scopes & scope) == scope; }
  bool AllowsTenant(const index::Uuid& customer) const {
    return tenant.is_nil() || tenant == customer;
  }
  // The grant of a server without a tokens file (loopback only).
  static Grant Everything() { return {protocol::kKnownScopes, index::Uuid()}; }
};

class TokenTable {
 public:
  static constexpr size_t kMinTokenLength = 16;
  static constexpr size_t kMaxTokenLength = 256;

  // Reads a tokens file; errors name the file and line.
  static absl::StatusOr<TokenTable> Load(const std::string& path);
  // Parses the text of a tokens file; `source` names it in errors.
  static absl::StatusOr<TokenTable> Parse(std::string_view text,
                                          std::string_view source);

  std::optional<Grant> Authenticate(std::string_view presented) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string token;
    Grant grant;
  };
  std::vector<Entry> entries_;
};

}  // namespace contactd::server
