#include "server/http/request_target.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "index/errors.h"

namespace contactd::server::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::StatusOr<std::string> PercentDecode(std::string_view text,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bad percent escape in ", index::QuoteInput(text, 64)));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string_view> RequestTarget::Query(
    std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

absl::StatusOr<RequestTarget> ParseRequestTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return absl::InvalidArgumentError(
        "the request target must be a path starting with '/'");
  }
  RequestTarget out;
  const size_t question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question == std::string_view::npos) return out;
  const std::string_view query = target.substr(question + 1);
  for (absl::string_view piece :
       absl::StrSplit(index::ToAbsl(query), '&', absl::SkipEmpty())) {
    const std::string_view pair(piece.data(), piece.size());
    const size_t equals = pair.find('=');
    auto key = PercentDecode(pair.substr(0, equals), true);
    if (!key.ok()) return key.status();
    std::string value;
    if (equals != std::string_view::npos) {
      auto decoded = PercentDecode(pair.substr(equals + 1), true);
      if (!decoded.ok()) return decoded.status();
      value = *std::move(decoded);
    }
    out.query.emplace_back(*std::move(key), std::move(value));
  }
  return out;
}

absl::StatusOr<std::string> DecodePathSegment(std::string_view segment) {
  return PercentDecode(segment, false);
}

}  // namespace contactd::server::http
