#include "bench/dataset_gen/crm_contacts.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "absl/strings/str_cat.h"

namespace contactd::bench {
namespace {

constexpr const char* kPersonalDomains[] = {"gmail.com", "outlook.com",
                                            "yahoo.com", "web.de",
                                            "orange.fr", "icloud.com"};

// "mary.smith.2s@acme.io" -> "Mary.Smith.2s@Acme.io"
std::string Capitalized(const std::string& address) {
  std::string out = address;
  bool start = true;
  for (char& c : out) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = c == '.' || c == '@';
  }
  return out;
}

}  // namespace

index::Contact CrmContacts::Make(size_t i) const {
  index::Contact c = names_.Make(i);
  c.id = index::Uuid();
  c.external_id = absl::StrCat("crm-", i);
  SplitMix64 rng(seed_ ^ (0xc0ffee + i * 0x9e3779b97f4a7c15));

  const uint64_t shape = rng.Below(100);
  const size_t phones = shape < 55 ? 1 : shape < 85 ? 2 : 3;
  c.phone_numbers.clear();
  std::vector<std::string> seen;
  for (size_t p = 0; p < phones; ++p) {
    GeneratedPhone g = plan_->Generate(rng);
    if (std::find(seen.begin(), seen.end(), g.e164) != seen.end()) continue;
    seen.push_back(g.e164);
    index::PhoneNumber phone;
    phone.number = std::move(g.entered);
    phone.type = p == 0   ? (g.mobile ? index::PhoneType::kMobile
                                      : index::PhoneType::kWork)
                 : p == 1 ? index::PhoneType::kWork
                          : index::PhoneType::kHome;
    phone.is_primary = p == 0;
    c.phone_numbers.push_back(std::move(phone));
  }

  index::Email& work = c.emails.front();
  if (rng.Chance(1.0 / 3)) work.address = Capitalized(work.address);
  if (rng.Chance(0.3)) {
    index::Email personal;
    personal.address =
        absl::StrCat(c.first_name, ".", c.last_name, rng.Below(1000), "@",
                     kPersonalDomains[rng.Below(std::size(kPersonalDomains))]);
    std::transform(personal.address.begin(), personal.address.end(),
                   personal.address.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    personal.type = index::EmailType::kPersonal;
    c.emails.push_back(std::move(personal));
  }
  return c;
}

}  // namespace contactd::bench
