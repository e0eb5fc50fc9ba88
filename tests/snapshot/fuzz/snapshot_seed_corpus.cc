// Writes a few small valid snapshots into the directory named by argv[1]:
// the seed corpus of snapshot_decode_fuzz. Empty, one contact, two
// contacts, and three one-contact blocks (put together with the format
// helpers: the writer fills ~1 MiB blocks, too big for a fuzz input).

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "index/contact_record.h"
#include "snapshot/contact_payload.h"
#include "snapshot/snapshot_format.h"
#include "snapshot/snapshot_writer.h"
#include "tests/protocol/test_contacts.h"

namespace contactd::snapshot {
namespace {

bool WriteWithWriter(const std::string& path,
                     const std::vector<index::Contact>& contacts) {
  auto writer = SnapshotWriter::Create(path, 4711);
  if (!writer.ok()) return false;
  (*writer)->set_created(absl::FromUnixMicros(1700000000000000));
  for (const index::Contact& c : contacts) {
    if (!(*writer)->Add(*index::ContactRecord::Build(c)).ok()) return false;
  }
  return (*writer)->Finish().ok();
}

bool WriteThreeBlocks(const std::string& path) {
  const std::vector<index::Contact> contacts = {
      protocol::testing::ExampleContact(), protocol::testing::TypicalContact(),
      protocol::testing::ExampleContact()};
  std::string file = EncodeSnapshotHeader(
      {.contact_count = contacts.size(), .last_sequence = 4711});
  for (size_t i = 0; i < contacts.size(); ++i) {
    const size_t start = BeginBlock(file);
    EncodeStoredContact(file, *index::ContactRecord::Build(contacts[i]));
    EndBlock(file, start, 1, i);
  }
  file += EncodeSnapshotFooter(
      {.block_count = contacts.size(), .contact_count = contacts.size()});
  std::ofstream out(path, std::ios::binary);
  out << file;
  return static_cast<bool>(out);
}

bool WriteAll(const std::string& dir) {
  using protocol::testing::ExampleContact;
  using protocol::testing::TypicalContact;
  return WriteWithWriter(JoinPath(dir, "empty"), {}) &&
         WriteWithWriter(JoinPath(dir, "one_contact"), {ExampleContact()}) &&
         WriteWithWriter(JoinPath(dir, "two_contacts"),
                         {TypicalContact(), ExampleContact()}) &&
         WriteThreeBlocks(JoinPath(dir, "three_blocks"));
}

}  // namespace
}  // namespace contactd::snapshot

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  if (!contactd::snapshot::WriteAll(argv[1])) {
    std::fprintf(stderr, "%s: cannot write the corpus\n", argv[0]);
    return 1;
  }
  return 0;
}
