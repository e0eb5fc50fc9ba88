#pragma once
// CrmContacts: the contacts of the bench dataset, as a CRM export would hold
// them — what the dataset generator feeds the import path
// (tools/import/snapshot_sink.h), which normalizes and stores them as
// contactd does.
//
// Contact i (tenant i % tenants) has bench/dataset.h's names, company, tags
// and work address, plus:
//   - 1 to 3 phones (55 % one, 30 % two, 15 % three) from PhonePlan, valid
//     in libphonenumber, entered as E.164, in international format or (US
//     numbers) national format; the first is primary, types mobile/work/home;
//   - the work address as entered (capitalized as in "Mary.Smith.2s@Acme.io"
//     for a third), and a personal address for 30 %;
//   - external id "crm-<i>", source import; no id (the import assigns one).
// A pure function of (seed, i).
//
//   CrmContacts crm(options, &plan);
//   index::Contact c = crm.Make(42);

#include <cstddef>

#include "bench/dataset.h"
#include "bench/dataset_gen/phone_plan.h"
#include "index/contact.h"

namespace contactd::bench {

class CrmContacts {
 public:
  // `plan` must outlive this.
  CrmContacts(const DatasetOptions& options, const PhonePlan* plan)
      : names_(options), plan_(plan), seed_(options.seed) {}

  size_t size() const { return names_.size(); }
  const index::Uuid& TenantOf(size_t i) const { return names_.TenantOf(i); }
  size_t tenant_count() const { return names_.tenant_count(); }
  index::Contact Make(size_t i) const;

 private:
  ContactGenerator names_;
  const PhonePlan* plan_;
  uint64_t seed_;
};

}  // namespace contactd::bench
