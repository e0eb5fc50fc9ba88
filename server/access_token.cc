#include "server/access_token.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "index/errors.h"

namespace contactd::server {
namespace {

absl::Status LineError(std::string_view source, size_t line,
                       absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(index::ToAbsl(source), ":", line, ": ", what));
}

absl::StatusOr<uint8_t> ParseScopes(std::string_view text) {
  uint8_t scopes = 0;
  for (absl::string_view name : absl::StrSplit(index::ToAbsl(text), ',')) {
    if (name == "lookup") {
      scopes |= protocol::kScopeLookup;
    } else if (name == "write") {
      scopes |= protocol::kScopeWrite;
    } else if (name == "admin") {
      scopes |= protocol::kScopeAdmin;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown scope '", name, "' (expected lookup, write, admin)"));
    }
  }
  return scopes;
}

bool IsPrintableToken(std::string_view token) {
  for (char c : token) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

// Equal iff a == b, in time that depends only on the sizes.
bool ConstantTimeEquals(std::string_view stored, std::string_view presented) {
  unsigned diff = stored.size() ^ presented.size();
  for (size_t i = 0; i < stored.size(); ++i) {
    const char p = presented.empty() ? 0 : presented[i % presented.size()];
    diff |= static_cast<unsigned char>(stored[i] ^ p);
  }
  return diff == 0;
}

}  // namespace

absl::StatusOr<TokenTable> TokenTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read tokens file '", path, "'"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

absl::StatusOr<TokenTable> TokenTable::Parse(std::string_view text,
                                             std::string_view source) {
  TokenTable table;
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(index::ToAbsl(text), '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    if (fields.size() != 3) {
      return LineError(source, line_number,
                       "expected 'TOKEN SCOPES TENANT' (3 fields)");
    }
    const std::string_view token(fields[0].data(), fields[0].size());
    if (token.size() < kMinTokenLength || token.size() > kMaxTokenLength ||
        !IsPrintableToken(token)) {
      return LineError(source, line_number,
                       "a token is 16 to 256 printable characters");
    }
    auto scopes = ParseScopes({fields[1].data(), fields[1].size()});
    if (!scopes.ok()) {
      return LineError(source, line_number, scopes.status().message());
    }
    Entry entry{std::string(token), Grant{*scopes, index::Uuid()}};
    if (fields[2] != "*") {
      auto tenant = index::Uuid::Parse({fields[2].data(), fields[2].size()});
      if (!tenant.ok() || tenant->is_nil()) {
        return LineError(source, line_number,
                         "tenant must be a customer id (UUID) or *");
      }
      entry.grant.tenant = *tenant;
    }
    for (const Entry& other : table.entries_) {
      if (other.token == entry.token) {
        return LineError(source, line_number, "duplicate token");
      }
    }
    table.entries_.push_back(std::move(entry));
  }
  if (table.entries_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(index::ToAbsl(source),
                     ": no tokens (an empty file would lock "
                     "everyone out; omit --tokens instead)"));
  }
  return table;
}

std::optional<Grant> TokenTable::Authenticate(
    std::string_view presented) const {
  std::optional<Grant> found;
  for (const Entry& entry : entries_) {
    // No early exit: the time does not reveal which token matched.
    if (ConstantTimeEquals(entry.token, presented)) found = entry.grant;
  }
  return found;
}

}  // namespace contactd::server
