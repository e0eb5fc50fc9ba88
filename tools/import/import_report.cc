#include "tools/import/import_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "index/errors.h"

namespace contactd::tools {

void ImportReport::RowRead(uint64_t bytes_read) {
  absl::MutexLock lock(&mu_);
  ++counts_.rows_read;
  if (bar_ != nullptr && (counts_.rows_read & 63) == 1) {
    bar_->Update(counts_.rows_read, bytes_read, absl::Now());
  }
}

void ImportReport::Created() {
  absl::MutexLock lock(&mu_);
  ++counts_.created;
}

void ImportReport::Updated() {
  absl::MutexLock lock(&mu_);
  ++counts_.updated;
}

void ImportReport::Rejected(int64_t line, const absl::Status& why) {
  absl::MutexLock lock(&mu_);
  ++counts_.rejected;
  if (counts_.first_rejected_line == 0) counts_.first_rejected_line = line;
  if (counts_.rejected > max_messages_) return;
  const index::Reason reason = index::ReasonOf(why);
  const std::string name = reason == index::Reason::kNone
                               ? absl::StatusCodeToString(why.code())
                               : std::string(index::ReasonName(reason));
  if (bar_ != nullptr) bar_->Clear();
  err_ << input_name_ << ":" << line << ": " << name << ": " << why.message()
       << "\n";
}

ImportCounts ImportReport::counts() const {
  absl::MutexLock lock(&mu_);
  return counts_;
}

void ImportReport::Finish() {
  absl::MutexLock lock(&mu_);
  if (bar_ != nullptr) bar_->Clear();
  if (counts_.rejected > max_messages_) {
    err_ << input_name_ << ": ... " << counts_.rejected - max_messages_
         << " more bad rows\n";
  }
  err_.flush();
}

std::string ImportReport::SummaryLine(absl::Duration elapsed) const {
  const ImportCounts c = counts();
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return absl::StrFormat(
      "%s: %d rows read: %d created, %d updated, %d rejected in %.2f s "
      "(%d rows/s)",
      input_name_, c.rows_read, c.created, c.updated, c.rejected, seconds,
      seconds > 0 ? static_cast<uint64_t>(c.rows_read / seconds) : 0);
}

}  // namespace contactd::tools
