// Writes the seed corpus of wal_scan_fuzz into the directory named by
// argv[1]: a few valid WAL segments (header only; one PUT of a typical
// contact; the DELETE of docs/wal_format.md's worked example; a run of
// records), a torn one and one with a zero tail. Each file starts with
// wal_scan_fuzz's mode byte: 0, "scan the rest as a segment". (Inputs of
// the other mode, built segments, need no seeds: any bytes describe one.)

#include <cstdio>
#include <fstream>
#include <string>

#include "index/contact_record.h"
#include "snapshot/contact_payload.h"
#include "snapshot/wal_format.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::snapshot {
namespace {

using protocol::testing::SequentialUuid;
using protocol::testing::TestTenant;

void Write(const std::string& dir, const std::string& name,
           const std::string& segment) {
  std::ofstream(dir + "/" + name, std::ios::binary)
      << '\0' << segment;  // mode byte: scan as is
}

void WriteAll(const std::string& dir) {
  std::string put;
  EncodeStoredContact(
      put, *index::ContactRecord::Build(protocol::testing::TypicalContact()));
  std::string deleted;
  EncodeDeletedContact(deleted, {TestTenant(), SequentialUuid(0x10)});

  std::string header_only;
  AppendWalSegmentHeader(header_only, 1);
  Write(dir, "header_only", header_only);

  std::string one_put = header_only;
  AppendWalRecord(one_put, 1, WalRecordType::kPut, put);
  Write(dir, "one_put", one_put);

  std::string one_delete = header_only;
  AppendWalRecord(one_delete, 1, WalRecordType::kDelete, deleted);
  Write(dir, "one_delete", one_delete);

  std::string run;
  AppendWalSegmentHeader(run, 4712);
  for (uint64_t seq = 4712; seq < 4720; ++seq) {
    if (seq % 3 == 0) {
      AppendWalRecord(run, seq, WalRecordType::kDelete, deleted);
    } else {
      AppendWalRecord(run, seq, WalRecordType::kPut,
                      seq % 2 == 0 ? put : std::string(seq % 17, 'p'));
    }
  }
  Write(dir, "run", run);
  Write(dir, "torn", run.substr(0, run.size() - 5));
  Write(dir, "zero_tail", one_delete + std::string(40, '\0'));
}

}  // namespace
}  // namespace contactd::snapshot

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  contactd::snapshot::WriteAll(argv[1]);
  return 0;
}
