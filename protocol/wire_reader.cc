#include "protocol/wire_reader.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "index/errors.h"
#include "protocol/wire_writer.h"

namespace contactd::protocol {

bool WireReader::RecordTruncated(size_t n, std::string_view field) {
  if (!ok()) return false;
  error_ = Error::kTruncated;
  error_field_ = field;
  error_needed_ = n;
  error_remaining_ = remaining();
  return false;
}

void WireReader::Fail(std::string_view field, std::string_view what) {
  if (!ok()) return;
  error_ = Error::kInvalid;
  error_field_ = field;
  error_what_ = what;
}

bool WireReader::Bool(std::string_view field) {
  const uint8_t v = U8(field);
  if (v > 1) Fail(field, "must be 0 or 1");
  return v == 1;
}

absl::Time WireReader::Time(std::string_view field) {
  return TimeFromWire(I64(field));
}

std::span<const uint8_t> WireReader::Bytes(size_t n, std::string_view field) {
  if (!Need(n, field)) return {};
  return {Next(n), n};
}

std::span<const uint8_t> WireReader::Rest() {
  if (!ok()) return {};
  auto rest = data_.subspan(pos_);
  pos_ = data_.size();
  return rest;
}

uint16_t WireReader::Count(std::string_view field, size_t max_count,
                           size_t min_item_bytes) {
  const uint16_t count = U16(field);
  if (!ok()) return 0;
  if (count > max_count) {
    Fail(field, "count exceeds the limit");
    return 0;
  }
  if (count * min_item_bytes > remaining()) {
    error_ = Error::kTruncated;
    error_field_ = field;
    error_needed_ = count * min_item_bytes;
    error_remaining_ = remaining();
    return 0;
  }
  return count;
}

absl::Status WireReader::status() const {
  switch (error_) {
    case Error::kNone:
      return absl::OkStatus();
    case Error::kTruncated:
      return index::InvalidArgument(
          index::Reason::kNone,
          absl::StrCat(index::ToAbsl(context_), ": ",
                       index::ToAbsl(error_field_), ": truncated (needs ",
                       error_needed_, " bytes, ", error_remaining_,
                       " remain)"));
    case Error::kInvalid:
      return index::InvalidArgument(
          index::Reason::kNone, absl::StrCat(index::ToAbsl(context_), ": ",
                                             index::ToAbsl(error_field_), ": ",
                                             index::ToAbsl(error_what_)));
  }
  return absl::InternalError("unreachable");
}

absl::Status WireReader::Finish() const {
  if (!ok()) return status();
  if (remaining() != 0) {
    return index::InvalidArgument(
        index::Reason::kNone,
        absl::StrCat(index::ToAbsl(context_), ": ", remaining(),
                     " trailing bytes after the body"));
  }
  return absl::OkStatus();
}

}  // namespace contactd::protocol
