#include "protocol/mutation_messages.h"

#include "protocol/contact_codec.h"
#include "protocol/wire_reader.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {
namespace {

constexpr uint8_t kMaxPhoneType =
    static_cast<uint8_t>(index::PhoneType::kOther);
constexpr uint8_t kMaxEmailType =
    static_cast<uint8_t>(index::EmailType::kOther);
constexpr uint8_t kMaxSource = static_cast<uint8_t>(index::Source::kSync);

void PutTarget(std::string& out, const index::Uuid& tenant,
               const index::Uuid& id) {
  PutUuid(out, tenant);
  PutUuid(out, id);
}

void ReadTarget(WireReader& r, index::Uuid& tenant, index::Uuid& id) {
  tenant = r.Uuid("tenant");
  id = r.Uuid("id");
}

// The string fields of FieldUpdate in presence-bit order (bits 0..6).
template <typename U>
auto StringFields(U& u) {
  return std::array{&u.first_name, &u.last_name,   &u.display_name, &u.company,
                    &u.job_title,  &u.external_id, &u.notes};
}
constexpr std::array<std::string_view, 7> kStringFieldNames = {
    "first_name", "last_name",   "display_name", "company",
    "job_title",  "external_id", "notes"};

uint16_t FieldBits(const index::FieldUpdate& u) {
  uint16_t bits = 0;
  const auto fields = StringFields(u);
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i]->has_value()) bits |= uint16_t{1} << i;
  }
  if (u.source) bits |= kFieldSource;
  if (u.tags) bits |= kFieldTags;
  return bits;
}

// The presence byte and fields shared by PhoneUpdate and EmailUpdate.
template <typename U, typename Text>
void PutItemUpdate(std::string& out, const U& u, const Text& text) {
  uint8_t bits = 0;
  if (text) bits |= kItemNumber;
  if (u.type) bits |= kItemType;
  if (u.is_primary) bits |= kItemIsPrimary;
  PutU8(out, bits);
  if (text) PutString(out, *text);
  if (u.type) PutU8(out, static_cast<uint8_t>(*u.type));
  if (u.is_primary) PutBool(out, *u.is_primary);
}

template <typename U, typename Enum>
void ReadItemUpdate(WireReader& r, U& u, std::optional<std::string>& text,
                    std::string_view text_field, uint8_t max_type) {
  const uint8_t bits = r.U8("present");
  if ((bits & ~kKnownItemBits) != 0) r.Fail("present", "unknown bits");
  text.reset();
  u.type.reset();
  u.is_primary.reset();
  if (bits & kItemNumber) text = std::string(r.String(text_field));
  if (bits & kItemType) {
    u.type = static_cast<Enum>(ReadEnum(r, "type", max_type));
  }
  if (bits & kItemIsPrimary) u.is_primary = r.Bool("is_primary");
}

void PutRemove(std::string& out, const RemoveItemRequest& request) {
  PutTarget(out, request.tenant, request.id);
  PutUuid(out, request.item_id);
}

absl::Status ReadRemove(std::span<const uint8_t> body, std::string_view what,
                        RemoveItemRequest& out) {
  WireReader r(body, what);
  ReadTarget(r, out.tenant, out.id);
  out.item_id = r.Uuid("item_id");
  return r.Finish();
}

void PutTag(std::string& out, const TagRequest& request) {
  PutTarget(out, request.tenant, request.id);
  PutString(out, request.tag);
}

absl::Status ReadTag(std::span<const uint8_t> body, std::string_view what,
                     TagRequest& out) {
  WireReader r(body, what);
  ReadTarget(r, out.tenant, out.id);
  out.tag = r.String("tag");
  return r.Finish();
}

}  // namespace

void EncodeUpdateFieldsRequest(std::string& out,
                               const UpdateFieldsRequest& request) {
  const index::FieldUpdate& u = request.update;
  PutTarget(out, request.tenant, request.id);
  PutU16(out, FieldBits(u));
  for (const std::optional<std::string>* field : StringFields(u)) {
    if (field->has_value()) PutString(out, **field);
  }
  if (u.source) PutU8(out, static_cast<uint8_t>(*u.source));
  if (u.tags) PutTags(out, *u.tags);
}

absl::Status DecodeUpdateFieldsRequest(std::span<const uint8_t> body,
                                       UpdateFieldsRequest& out) {
  WireReader r(body, "UPDATE_FIELDS request");
  ReadTarget(r, out.tenant, out.id);
  const uint16_t bits = r.U16("present");
  if ((bits & ~kKnownFieldBits) != 0) r.Fail("present", "unknown bits");
  out.update = {};
  const auto fields = StringFields(out.update);
  for (size_t i = 0; i < fields.size(); ++i) {
    if (bits & (uint16_t{1} << i)) {
      *fields[i] = std::string(r.String(kStringFieldNames[i]));
    }
  }
  if (bits & kFieldSource) {
    out.update.source =
        static_cast<index::Source>(ReadEnum(r, "source", kMaxSource));
  }
  if (bits & kFieldTags) ReadTags(r, out.update.tags.emplace());
  return r.Finish();
}

void EncodeAddPhoneRequest(std::string& out, const AddPhoneRequest& request) {
  PutTarget(out, request.tenant, request.id);
  PutPhone(out, request.phone);
  PutString(out, request.region);
}

absl::Status DecodeAddPhoneRequest(std::span<const uint8_t> body,
                                   AddPhoneRequest& out) {
  WireReader r(body, "ADD_PHONE request");
  ReadTarget(r, out.tenant, out.id);
  ReadPhone(r, out.phone);
  out.region = r.String("region");
  return r.Finish();
}

void EncodeUpdatePhoneRequest(std::string& out,
                              const UpdatePhoneRequest& request) {
  PutTarget(out, request.tenant, request.id);
  PutUuid(out, request.phone_id);
  PutItemUpdate(out, request.update, request.update.number);
  PutString(out, request.region);
}

absl::Status DecodeUpdatePhoneRequest(std::span<const uint8_t> body,
                                      UpdatePhoneRequest& out) {
  WireReader r(body, "UPDATE_PHONE request");
  ReadTarget(r, out.tenant, out.id);
  out.phone_id = r.Uuid("phone_id");
  ReadItemUpdate<index::PhoneUpdate, index::PhoneType>(
      r, out.update, out.update.number, "number", kMaxPhoneType);
  out.region = r.String("region");
  return r.Finish();
}

void EncodeRemovePhoneRequest(std::string& out,
                              const RemovePhoneRequest& request) {
  PutRemove(out, request);
}

absl::Status DecodeRemovePhoneRequest(std::span<const uint8_t> body,
                                      RemovePhoneRequest& out) {
  return ReadRemove(body, "REMOVE_PHONE request", out);
}

void EncodeAddEmailRequest(std::string& out, const AddEmailRequest& request) {
  PutTarget(out, request.tenant, request.id);
  PutEmail(out, request.email);
}

absl::Status DecodeAddEmailRequest(std::span<const uint8_t> body,
                                   AddEmailRequest& out) {
  WireReader r(body, "ADD_EMAIL request");
  ReadTarget(r, out.tenant, out.id);
  ReadEmail(r, out.email);
  return r.Finish();
}

void EncodeUpdateEmailRequest(std::string& out,
                              const UpdateEmailRequest& request) {
  PutTarget(out, request.tenant, request.id);
  PutUuid(out, request.email_id);
  PutItemUpdate(out, request.update, request.update.address);
}

absl::Status DecodeUpdateEmailRequest(std::span<const uint8_t> body,
                                      UpdateEmailRequest& out) {
  WireReader r(body, "UPDATE_EMAIL request");
  ReadTarget(r, out.tenant, out.id);
  out.email_id = r.Uuid("email_id");
  ReadItemUpdate<index::EmailUpdate, index::EmailType>(
      r, out.update, out.update.address, "address", kMaxEmailType);
  return r.Finish();
}

void EncodeRemoveEmailRequest(std::string& out,
                              const RemoveEmailRequest& request) {
  PutRemove(out, request);
}

absl::Status DecodeRemoveEmailRequest(std::span<const uint8_t> body,
                                      RemoveEmailRequest& out) {
  return ReadRemove(body, "REMOVE_EMAIL request", out);
}

void EncodeAddTagRequest(std::string& out, const AddTagRequest& request) {
  PutTag(out, request);
}

absl::Status DecodeAddTagRequest(std::span<const uint8_t> body,
                                 AddTagRequest& out) {
  return ReadTag(body, "ADD_TAG request", out);
}

void EncodeRemoveTagRequest(std::string& out, const RemoveTagRequest& request) {
  PutTag(out, request);
}

absl::Status DecodeRemoveTagRequest(std::span<const uint8_t> body,
                                    RemoveTagRequest& out) {
  return ReadTag(body, "REMOVE_TAG request", out);
}

}  // namespace contactd::protocol
