#pragma once
// ChangeLog: what ContactStore tells the durability layer about each write,
// before the write becomes visible. The write-ahead log implements it
// (snapshot/journal.h); an error cancels the write, so a write is never
// applied in memory without being logged first.
//
// Called by the writer with the store's writer lock held: keep it short and
// never call back into the store.

#include "absl/status/status.h"
#include "index/contact_record.h"

namespace contactd::index {

class ChangeLog {
 public:
  virtual ~ChangeLog() = default;

  // `now` is about to replace `old` (nullptr: `now` is a new contact).
  virtual absl::Status LogPut(const ContactRecord* old,
                              const ContactRecord& now) = 0;
  // `old` is about to be removed.
  virtual absl::Status LogDelete(const ContactRecord& old) = 0;
};

}  // namespace contactd::index
