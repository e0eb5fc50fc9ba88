#include "server/http/read_routes.h"

#include <array>
#include <charconv>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "index/email_normalizer.h"
#include "index/epoch.h"
#include "index/list_index.h"
#include "server/http/write_call.h"

namespace contactd::server::http {
namespace {

constexpr size_t kDefaultPageSize = 100;
constexpr size_t kMaxPageSize = 100;

const index::ContactIndex& Contacts(const ApiContext& context) {
  return context.database.load()->store().index();
}

Json ContactsJson(std::span<const index::ContactRecord* const> records) {
  Json result = Json::array();
  for (const index::ContactRecord* record : records) {
    result.push_back(protocol::ContactToJson(record->ToContact()));
  }
  return result;
}

absl::StatusOr<size_t> PageSize(const Call& call) {
  const std::optional<std::string_view> text = call.Query("page_size");
  if (!text) return kDefaultPageSize;
  size_t size = 0;
  const auto [end, ec] =
      std::from_chars(text->data(), text->data() + text->size(), size);
  if (ec != std::errc() || end != text->data() + text->size() || size < 1 ||
      size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must be a number from 1 to ", kMaxPageSize,
                     ", not ", index::QuoteInput(*text, 32)));
  }
  return size;
}

// The page token is the id of the last contact of the previous page
// (contacts are listed in id order, so the order is stable under writes).
absl::StatusOr<std::optional<index::Uuid>> PageToken(const Call& call) {
  const std::optional<std::string_view> text = call.Query("page_token");
  if (!text || text->empty()) return std::nullopt;
  absl::StatusOr<index::Uuid> after = index::Uuid::Parse(*text);
  if (!after.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        index::QuoteInput(*text, 64), " is not a page token of this API"));
  }
  return std::optional<index::Uuid>(*after);
}

// Phone lookups: the first match (or all), and how many there are.
template <typename Slot>
void ReplyMatches(Call& call, std::span<const Slot* const> found,
                  uint32_t match_count, bool all) {
  if (all) {
    Json body = Json::object();
    body["result"] = Json::array();
    for (const Slot* slot : found) {
      body["result"].push_back(
          protocol::ContactToJson(slot->record().ToContact()));
    }
    body["match_count"] = match_count;
    return call.Reply(200, body);
  }
  Response response = JsonResponse(
      200, protocol::ContactToJson(found.front()->record().ToContact()));
  response.set("X-Match-Count", std::to_string(match_count));
  call.Reply(std::move(response));
}

// REQUIRES: an EpochGuard. Returns the lookup's result for the metrics.
LookupResult LookupPhone(const ApiContext& context, Call& call,
                         std::string_view input, bool all) {
  const index::ContactStore& store = context.database.load()->store();
  const std::string_view region = call.Query("region").value_or("");
  const auto number = store.normalizer().Normalize(input, region);
  if (!number.ok()) {
    call.Fail(ErrorFromStatus(number.status()));
    return LookupResult::kError;
  }
  std::array<const index::PhoneSlot*, index::ContactIndex::kMaxMatches> found;
  const size_t count =
      store.index().FindAllByPhone(call.tenant, *number, absl::MakeSpan(found));
  if (count == 0) {
    call.Fail(
        MakeApiError(404, "CONTACT_NOT_FOUND", "no contact has this number"));
    return LookupResult::kMiss;
  }
  ReplyMatches<index::PhoneSlot>(call,
                                 {found.data(), std::min(count, found.size())},
                                 static_cast<uint32_t>(count), all);
  return LookupResult::kHit;
}

LookupResult LookupEmail(const ApiContext& context, Call& call,
                         std::string_view input, bool all) {
  const auto address = index::NormalizeEmail(input);
  if (!address.ok()) {
    call.Fail(ErrorFromStatus(address.status()));
    return LookupResult::kError;
  }
  std::array<const index::EmailSlot*, index::ContactIndex::kMaxMatches> found;
  const size_t count = Contacts(context).FindAllByEmail(
      call.tenant, address->view(), absl::MakeSpan(found));
  if (count == 0) {
    call.Fail(
        MakeApiError(404, "CONTACT_NOT_FOUND", "no contact has this address"));
    return LookupResult::kMiss;
  }
  ReplyMatches<index::EmailSlot>(call,
                                 {found.data(), std::min(count, found.size())},
                                 static_cast<uint32_t>(count), all);
  return LookupResult::kHit;
}

absl::StatusOr<bool> AllFlag(const Call& call) {
  const std::string_view all = call.Query("all").value_or("false");
  if (all == "true" || all == "1") return true;
  if (all == "false" || all == "0") return false;
  return absl::InvalidArgumentError(absl::StrCat(
      "all must be true or false, not ", index::QuoteInput(all, 32)));
}

}  // namespace

void GetContact(const ApiContext& context, Call& call) {
  const absl::StatusOr<index::Uuid> id = call.ParamId(0);
  if (!id.ok()) return call.Fail(ErrorFromStatus(id.status()));
  index::EpochGuard guard;
  const index::ContactIndex& contacts = Contacts(context);
  const index::ContactRecord* record = contacts.FindById(call.tenant, *id);
  if (record == nullptr) {
    return call.Fail(
        ErrorFromStatus(ContactNotFoundError(contacts, call.tenant, *id)));
  }
  call.Reply(200, protocol::ContactToJson(record->ToContact()));
}

void ListContacts(const ApiContext& context, Call& call) {
  const absl::StatusOr<size_t> page_size = PageSize(call);
  if (!page_size.ok()) {
    return call.Fail(ErrorFromStatus(page_size.status(), kReasonInvalidQuery));
  }
  const auto after = PageToken(call);
  if (!after.ok()) {
    return call.Fail(ErrorFromStatus(after.status(), kReasonInvalidQuery));
  }
  const std::string_view tag = call.Query("tag").value_or(index::kAllContacts);
  index::EpochGuard guard;
  // One more than the page tells whether another page follows.
  std::vector<const index::ContactRecord*> page(*page_size + 1);
  size_t n = Contacts(context).List(
      call.tenant, tag, *after ? &**after : nullptr, absl::MakeSpan(page));
  const bool more = n > *page_size;
  n = std::min(n, *page_size);
  Json body = Json::object();
  body["result"] = ContactsJson({page.data(), n});
  body["next_page_token"] = more ? page[n - 1]->id().ToString() : "";
  call.Reply(200, body);
}

void LookupContact(const ApiContext& context, Call& call) {
  const auto start = std::chrono::steady_clock::now();
  const std::optional<std::string_view> phone = call.Query("phone");
  const std::optional<std::string_view> email = call.Query("email");
  if (!phone && !email) {
    return call.Fail(MakeApiError(400, kReasonMissingLookupKey,
                                  "give ?phone=NUMBER or ?email=ADDRESS"));
  }
  const absl::StatusOr<bool> all = AllFlag(call);
  if (!all.ok()) {
    return call.Fail(ErrorFromStatus(all.status(), kReasonInvalidQuery));
  }
  index::EpochGuard guard;
  // Phone wins when both are given.
  const protocol::LookupKind kind =
      phone ? protocol::LookupKind::kPhone : protocol::LookupKind::kEmail;
  const LookupResult result = phone ? LookupPhone(context, call, *phone, *all)
                                    : LookupEmail(context, call, *email, *all);
  context.metrics->RecordLookup(
      kind, result, absl::FromChrono(std::chrono::steady_clock::now() - start));
}

}  // namespace contactd::server::http
