#include "tests/protocol/test_contacts.h"

#include <array>

#include "absl/time/time.h"

namespace contactd::protocol::testing {

index::Uuid SequentialUuid(uint8_t first) {
  std::array<uint8_t, index::Uuid::kSize> bytes;
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(first + i);
  }
  return index::Uuid(bytes);
}

index::Uuid TestTenant() {
  return index::Uuid({0x0b, 0x7e, 0x3f, 0x4c, 0x9a, 0x2d, 0x4c, 0x1e, 0x8f,
                      0x00, 0x12, 0x34, 0x56, 0x78, 0x90, 0xab});
}

index::Contact TypicalContact() {
  const absl::Time created = absl::FromUnixMicros(1700000000123456);
  index::Contact c;
  c.id = SequentialUuid(0x10);
  c.customer_id = TestTenant();
  c.first_name = "Margaret";
  c.last_name = "Hamilton-Smythe";
  c.display_name = "Margaret Hamilton-Smythe";
  c.company = "Apollo Guidance Ltd";
  c.job_title = "Director";
  c.source = index::Source::kImport;
  c.external_id = "crm-000123";
  c.notes = "prefers mornings";
  c.tags = {"customer", "vip"};
  c.phone_numbers = {
      {SequentialUuid(0x20), "+15551234567", "+15551234567",
       index::PhoneType::kMobile, true, created},
      {SequentialUuid(0x30), "(555) 987-6543", "+15559876543",
       index::PhoneType::kWork, false, created + absl::Seconds(5)},
  };
  c.emails = {{SequentialUuid(0x40), "margaret@apollo.example",
               index::EmailType::kWork, true, created}};
  c.tm_create = created;
  c.tm_update = created + absl::Seconds(60);
  return c;
}

index::Contact ExampleContact() {
  const absl::Time created = absl::FromUnixMicros(1700000000000000);
  index::Contact c;
  c.id = SequentialUuid(0x10);
  c.customer_id = TestTenant();
  c.first_name = "Ada";
  c.last_name = "Lovelace";
  c.display_name = "Ada Lovelace";
  c.company = "Acme";
  c.tags = {"vip"};
  c.phone_numbers = {{SequentialUuid(0x20), "+15551234567", "+15551234567",
                      index::PhoneType::kWork, true, created}};
  c.tm_create = created;
  c.tm_update = created;
  return c;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char ch : bytes) {
    const auto b = static_cast<uint8_t>(ch);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  int high = -1;
  for (const char ch : hex) {
    int v;
    if (ch >= '0' && ch <= '9') {
      v = ch - '0';
    } else if (ch >= 'a' && ch <= 'f') {
      v = ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'F') {
      v = ch - 'A' + 10;
    } else {
      continue;
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

}  // namespace contactd::protocol::testing
