// `contactctl import`, the real binary: offline into a snapshot file (read
// back with snapshot::LoadSnapshot), and into the real contactd on port 0
// (tests/client/test_contactd.h): counts, bad rows with their lines, skip
// vs abort, re-import dedup by external_id, BUSY retries, and 100,000
// generated rows each way (kBigRows).

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "snapshot/snapshot_reader.h"
#include "tests/client/run_program.h"
#include "tests/client/test_contactd.h"

namespace contactd::tools {
namespace {

using ::contactd::testing::ProgramOptions;
using ::contactd::testing::ProgramResult;
using ::contactd::testing::RunProgram;
using ::contactd::testing::TestContactd;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

constexpr char kTenant[] = "0b7e3f4c-9a2d-4c1e-8f00-1234567890ab";
constexpr char kOtherTenant[] = "5f1c0000-0000-4000-8000-000000000002";
constexpr char kAdminToken[] = "admin-token-0123456789abcdef";
constexpr char kWriterToken[] = "writer-token-0123456789abcdef";

// Rows 2..5: two good, a bad phone (line 4), a two-line row (5-6), and a
// repeated external_id (line 7) that updates the first row.
constexpr char kCsv[] =
    "external_id,first_name,last_name,phone1,phone1_type,phone1_primary,"
    "email1,tags,notes\n"
    "crm-1,Ada,Lovelace,(555) 123-4567,mobile,true,Ada@Acme.com,vip;uk,\n"
    "crm-2,Grace,Hopper,+15559876543,work,,,,\n"
    "crm-3,Bad,Phone,anonymous,,,,,\n"
    "crm-4,Alan,Turing,+15550001111,home,,,,\"two\nlines\"\n"
    "crm-1,Ada,King,(555) 123-4567,mobile,true,ada@acme.com,vip,\n";

// Rows of the big-import tests: 100,000; a fifth under a sanitizer, which
// checks the same code paths, not throughput (the CI runs every suite under
// ASan too, on a time budget).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kBigRows = 20000;
#else
constexpr int kBigRows = 100000;
#endif

// Parses stdout; a test failure (and null) when it is not one document.
Json ParseOut(const ProgramResult& r) {
  Json j = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded())
      << "stdout is not JSON: " << r.out << "\nstderr: " << r.err;
  return j;
}

// `rows` generated contacts: external_id crm-<i>, a distinct number each.
std::string GeneratedCsv(int rows) {
  std::string csv =
      "external_id,first_name,last_name,phone1,phone1_type,email1,tags\n";
  csv.reserve(static_cast<size_t>(rows) * 96);
  for (int i = 0; i < rows; ++i) {
    absl::StrAppend(&csv, "crm-", i, ",First", i, ",Last", i, ",+1212",
                    2000000 + i, ",mobile,user", i, "@example.com,tag", i % 10,
                    "\n");
  }
  return csv;
}

class ImportE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        std::filesystem::path(::testing::TempDir()) /
        absl::StrCat("import_e2e_", info->test_suite_name(), "_", info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const {
    return (dir_ / name).string();
  }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(Path(name), std::ios::binary) << text;
    return Path(name);
  }

  // Runs contactctl with `args`, without the caller's server or token.
  ProgramResult Run(std::vector<std::string> args,
                    ProgramOptions options = {}) const {
    args.insert(args.begin(), CONTACTCTL_PATH);
    options.unset_env = {"CONTACTD_SERVER", "CONTACTD_TOKEN"};
    return RunProgram(args, options);
  }

  std::filesystem::path dir_;
};

// ---- Offline (--out)

TEST_F(ImportE2eTest, OfflineWritesASnapshotThatLoadsBack) {
  const std::string csv = Write("c.csv", kCsv);
  const ProgramResult r =
      Run({"import", csv, "--tenant", kTenant, "--out", Path("c.snap")});
  EXPECT_EQ(r.exit_code, 3) << r.err;  // one bad row
  const Json j = ParseOut(r);
  EXPECT_EQ(j["outcome"], "rows_rejected");
  EXPECT_EQ(j["rows_read"], 5);
  EXPECT_EQ(j["created"], 3);
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["rejected"], 1);
  EXPECT_EQ(j["first_rejected_line"], 4);
  EXPECT_EQ(j["snapshot"]["contacts"], 3);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(
                         csv,
                         ":4: INVALID_PHONE: 'anonymous' is not a phone "
                         "number\n")));
  EXPECT_THAT(r.err,
              HasSubstr("5 rows read: 3 created, 1 updated, 1 rejected"));

  absl::StatusOr<snapshot::LoadedSnapshot> loaded =
      snapshot::LoadSnapshot(Path("c.snap"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->info.last_sequence, 0u);
  ASSERT_EQ(loaded->records.size(), 3u);
  std::map<std::string, index::Contact> by_external_id;
  for (const auto& record : loaded->records) {
    index::Contact c = record->ToContact();
    by_external_id[c.external_id] = std::move(c);
  }
  const index::Contact& ada = by_external_id["crm-1"];
  EXPECT_EQ(ada.last_name, "King");  // the later row won
  EXPECT_EQ(ada.customer_id.ToString(), kTenant);
  EXPECT_EQ(ada.source, index::Source::kImport);
  EXPECT_EQ(ada.phone_numbers[0].number_e164, "+15551234567");
  EXPECT_TRUE(ada.phone_numbers[0].is_primary);
  EXPECT_EQ(ada.emails[0].address, "ada@acme.com");
  EXPECT_EQ(ada.tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(by_external_id["crm-4"].notes, "two\nlines");
  EXPECT_EQ(by_external_id["crm-2"].phone_numbers[0].type,
            index::PhoneType::kWork);
}

TEST_F(ImportE2eTest, TheExampleFileImportsCleanly) {
  const ProgramResult r =
      Run({"import", CONTACTD_SOURCE_DIR "/examples/import/contacts.csv",
           "--tenant", kTenant, "--out", Path("example.snap")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["created"], 4);
  EXPECT_EQ(j["rejected"], 0);
}

TEST_F(ImportE2eTest, ReimportWithABaseUpdatesAndKeepsIds) {
  const std::string csv = Write("c.csv", kCsv);
  ASSERT_EQ(
      Run({"import", csv, "--tenant", kTenant, "--out", Path("1.snap"), "-q"})
          .exit_code,
      3);
  const ProgramResult r = Run({"import", csv, "--tenant", kTenant, "--out",
                               Path("2.snap"), "--base", Path("1.snap")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["created"], 0);
  EXPECT_EQ(j["updated"], 4);
  EXPECT_EQ(j["snapshot"]["base_contacts"], 3);
  EXPECT_EQ(j["snapshot"]["contacts"], 3);

  auto one = snapshot::LoadSnapshot(Path("1.snap"));
  auto two = snapshot::LoadSnapshot(Path("2.snap"));
  ASSERT_TRUE(one.ok() && two.ok());
  std::map<std::string, index::Uuid> ids;
  for (const auto& record : one->records) {
    ids[std::string(record->external_id())] = record->id();
  }
  ASSERT_EQ(two->records.size(), 3u);
  for (const auto& record : two->records) {
    EXPECT_EQ(record->id(), ids[std::string(record->external_id())]);
  }
}

TEST_F(ImportE2eTest, AbortStopsAtTheFirstBadRowAndWritesNothing) {
  const std::string csv = Write("c.csv", kCsv);
  const ProgramResult r = Run({"import", csv, "--tenant", kTenant, "--out",
                               Path("c.snap"), "--on-error", "abort"});
  EXPECT_EQ(r.exit_code, 2);
  const Json j = ParseOut(r);
  EXPECT_EQ(j["outcome"], "aborted");
  EXPECT_EQ(j["rows_read"], 3);  // nothing after line 4 is read
  EXPECT_EQ(j["snapshot"]["written"], false);
  EXPECT_THAT(r.err, HasSubstr(":4: INVALID_PHONE"));
  EXPECT_THAT(r.err, HasSubstr("contactctl: ABORTED: "));
  EXPECT_FALSE(std::filesystem::exists(Path("c.snap")));
}

TEST_F(ImportE2eTest, UnknownColumnFailsBeforeAnyRow) {
  const std::string csv = Write("c.csv", "first_name,fist_name\nAda,Ada\n");
  const ProgramResult r =
      Run({"import", csv, "--tenant", kTenant, "--out", Path("c.snap")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("line 1: header: unknown column 'fist_name'"));
  EXPECT_FALSE(std::filesystem::exists(Path("c.snap")));
}

TEST_F(ImportE2eTest, CsvWithoutCustomerIdNeedsATenant) {
  const std::string csv = Write("c.csv", "first_name\nAda\n");
  const ProgramResult r = Run({"import", csv, "--out", Path("c.snap")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no customer_id column: give --tenant"));
}

TEST_F(ImportE2eTest, JsonLinesFromStdinNeedsAFormat) {
  const std::string jsonl =
      absl::StrCat(R"({"customer_id": ")", kOtherTenant,
                   R"(", "display_name": "Ada", "external_id": "x"})", "\n\n",
                   R"({"display_name": "Grace", "source": "sync"})", "\n");
  ProgramResult r =
      Run({"import", "-", "--out", Path("j.snap")}, {.stdin_text = jsonl});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("needs --format"));

  r = Run({"import", "-", "--format", "jsonl", "--tenant", kTenant, "--out",
           Path("j.snap")},
          {.stdin_text = jsonl});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseOut(r)["created"], 2);
  auto loaded = snapshot::LoadSnapshot(Path("j.snap"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->records.size(), 2u);
  for (const auto& record : loaded->records) {
    const bool ada = record->display_name() == "Ada";
    EXPECT_EQ(record->customer_id().ToString(), ada ? kOtherTenant : kTenant);
    EXPECT_EQ(record->source(),
              ada ? index::Source::kImport : index::Source::kSync);
  }
}

TEST_F(ImportE2eTest, JsonLinesBadLineIsReportedWithItsNumber) {
  const std::string jsonl =
      Write("c.jsonl", "{\"display_name\": \"Ada\"}\n{\"fist_name\": \"x\"}\n");
  const ProgramResult r =
      Run({"import", jsonl, "--tenant", kTenant, "--out", Path("j.snap")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(jsonl, ":2: ")));
  EXPECT_THAT(r.err, HasSubstr("fist_name"));
}

TEST_F(ImportE2eTest, BigGeneratedFileOffline) {
  constexpr int kRows = kBigRows;
  const std::string csv = Write("big.csv", GeneratedCsv(kRows));
  const auto start = std::chrono::steady_clock::now();
  const ProgramResult r =
      Run({"import", csv, "--tenant", kTenant, "--out", Path("big.snap")},
          {.timeout = std::chrono::seconds(120)});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["rows_read"], kRows);
  EXPECT_EQ(j["created"], kRows);
  EXPECT_EQ(j["rejected"], 0);
  auto info = snapshot::ReadSnapshotInfo(Path("big.snap"));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->contact_count, static_cast<uint64_t>(kRows));
  RecordProperty("import_seconds", std::to_string(seconds));
  std::cout << kRows << " rows offline: " << seconds << " s (contactctl says "
            << j["seconds"] << " s)\n";
}

// ---- Online: into the real contactd

class ImportServerE2eTest : public ImportE2eTest {
 protected:
  void SetUp() override {
    ImportE2eTest::SetUp();
    StartServer({});
  }
  void TearDown() override {
    StopServer();
    ImportE2eTest::TearDown();
  }

  // Kills the server and removes its data directory.
  void StopServer() {
    if (server_ == nullptr) return;
    server_->Kill();
    std::filesystem::remove_all(server_->data_dir());
    server_.reset();
  }

  void StartServer(std::vector<std::string> extra_args) {
    const std::string tokens =
        Write("tokens.txt",
              absl::StrCat(kAdminToken, " lookup,write,admin *\n", kWriterToken,
                           " lookup,write ", kTenant, "\n"));
    extra_args.insert(extra_args.begin(), {"--tokens", tokens});
    server_ = TestContactd::Start("import_e2e", extra_args);
    ASSERT_NE(server_, nullptr);
  }

  // Runs contactctl against the server with `token`.
  ProgramResult RunOnline(
      std::vector<std::string> args, const char* token = kAdminToken,
      std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    args.insert(args.begin(), CONTACTCTL_PATH);
    return RunProgram(args, {.env = {"CONTACTD_SERVER=" + server_->address(),
                                     std::string("CONTACTD_TOKEN=") + token},
                             .timeout = timeout});
  }

  // The number of contacts of `tenant` on the server.
  int64_t Total(const char* tenant = kTenant) const {
    const ProgramResult r =
        RunOnline({"list", "--tenant", tenant, "--limit", "1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const Json j = ParseOut(r);
    return j.is_object() ? j["total"].get<int64_t>() : -1;
  }

  std::unique_ptr<TestContactd> server_;
};

TEST_F(ImportServerE2eTest, ImportThenLookupsFindTheContacts) {
  const ProgramResult r =
      RunOnline({"import", CONTACTD_SOURCE_DIR "/examples/import/contacts.csv",
                 "--tenant", kTenant});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["target"], "server");
  EXPECT_EQ(j["created"], 4);

  ProgramResult lookup =
      RunOnline({"lookup", "--tenant", kTenant, "--phone", "+1 555 987 6543"});
  ASSERT_EQ(lookup.exit_code, 0) << lookup.err;
  Json found = ParseOut(lookup);
  EXPECT_EQ(found["contacts"][0]["display_name"], "John Smith");
  EXPECT_EQ(found["contacts"][0]["source"], "import");
  lookup = RunOnline(
      {"lookup", "--tenant", kTenant, "--email", "ADA@engines.co.uk"});
  ASSERT_EQ(lookup.exit_code, 0) << lookup.err;
  found = ParseOut(lookup);
  EXPECT_EQ(found["contacts"][0]["company"], "Analytical Engines, Ltd.");
  lookup = RunOnline({"lookup", "--tenant", kTenant, "--phone", "5558675309"});
  ASSERT_EQ(lookup.exit_code, 0) << lookup.err;
  EXPECT_EQ(ParseOut(lookup)["contacts"][0]["source"], "manual");
}

TEST_F(ImportServerE2eTest, ReimportUpdatesWithoutDuplicates) {
  const std::string csv = Write("c.csv", kCsv);
  ProgramResult r = RunOnline({"import", csv, "--tenant", kTenant});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  Json j = ParseOut(r);
  EXPECT_EQ(j["created"], 3);
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["rejected"], 1);
  EXPECT_THAT(r.err, HasSubstr(":4: INVALID_PHONE"));

  r = RunOnline({"import", csv, "--tenant", kTenant, "--quiet"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  j = ParseOut(r);
  EXPECT_EQ(j["created"], 0);
  EXPECT_EQ(j["updated"], 4);
  EXPECT_EQ(Total(), 3);

  const ProgramResult lookup =
      RunOnline({"lookup", "--tenant", kTenant, "--phone", "+15551234567"});
  ASSERT_EQ(lookup.exit_code, 0) << lookup.err;
  const Json found = ParseOut(lookup);
  EXPECT_EQ(found["match_count"], 1);
  EXPECT_EQ(found["contacts"][0]["last_name"], "King");
}

TEST_F(ImportServerE2eTest, ServerRejectionsCarryTheirLines) {
  // The writer token may write kTenant only: the row of another tenant is
  // refused by the server, the rest imported.
  const std::string csv =
      Write("c.csv", absl::StrCat("customer_id,first_name,phone1\n", kTenant,
                                  ",Ada,+15551234567\n", kOtherTenant,
                                  ",Eve,+15559876543\n,Grace,+15550001111\n"));
  const ProgramResult r = RunOnline({"import", csv}, kWriterToken);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["created"], 2);  // line 4 gets the token's tenant
  EXPECT_EQ(j["rejected"], 1);
  EXPECT_EQ(j["first_rejected_line"], 3);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(csv, ":3: ")));
  EXPECT_EQ(Total(), 2);
}

TEST_F(ImportServerE2eTest, AbortSendsNothingAfterTheBadRow) {
  const std::string csv = Write("c.csv", kCsv);
  const ProgramResult r =
      RunOnline({"import", csv, "--tenant", kTenant, "--on-error", "abort"});
  EXPECT_EQ(r.exit_code, 2);
  const Json j = ParseOut(r);
  EXPECT_EQ(j["outcome"], "aborted");
  EXPECT_EQ(j["created"], 2);
  EXPECT_THAT(r.err, HasSubstr("contactctl: ABORTED: "));
  EXPECT_EQ(Total(), 2);
}

TEST_F(ImportServerE2eTest, NoServerIsAnErrorBeforeAnyRow) {
  const std::string csv = Write("c.csv", kCsv);
  server_->Kill();
  const ProgramResult r = RunOnline({"import", csv, "--tenant", kTenant});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("UNAVAILABLE"));
}

TEST_F(ImportServerE2eTest, BusyRepliesAreRetried) {
  // A write queue of 16 against a window of 256 pipelined UPSERTs: many get
  // BUSY; the import shrinks its window and sends them again.
  StopServer();
  StartServer({"--max-write-queue", "16"});
  constexpr int kRows = 2000;
  const std::string csv = Write("busy.csv", GeneratedCsv(kRows));
  const ProgramResult r = RunOnline({"import", csv, "--tenant", kTenant});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["created"], kRows);
  EXPECT_EQ(j["rejected"], 0);
  EXPECT_EQ(Total(), kRows);
  const ProgramResult stats = RunOnline({"stats"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_GT(ParseOut(stats)["writes_rejected_busy"].get<int64_t>(), 0);
}

TEST_F(ImportServerE2eTest, BigGeneratedFileIntoTheServer) {
  constexpr int kRows = kBigRows;
  const std::string csv = Write("big.csv", GeneratedCsv(kRows));
  const auto start = std::chrono::steady_clock::now();
  const ProgramResult r = RunOnline({"import", csv, "--tenant", kTenant},
                                    kAdminToken, std::chrono::seconds(120));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = ParseOut(r);
  EXPECT_EQ(j["rows_read"], kRows);
  EXPECT_EQ(j["created"], kRows);
  EXPECT_EQ(j["rejected"], 0);
  EXPECT_EQ(Total(), kRows);
  RecordProperty("import_seconds", std::to_string(seconds));
  std::cout << kRows << " rows into contactd: " << seconds
            << " s (contactctl says " << j["seconds"] << " s)\n";
}

}  // namespace
}  // namespace contactd::tools

namespace contactd::tools {
namespace {

// The offline path end to end: import into a snapshot file, `contactctl
// reload` it into a running server, `contactctl checkpoint`, and the writer
// token (no admin scope) may do neither.
TEST_F(ImportServerE2eTest, ImportedSnapshotReloadsAndCheckpoints) {
  StartServer({});
  const std::string snapshot = Path("crm.snap");
  ProgramResult r = Run({"import", Write("c.csv", GeneratedCsv(500)),
                         "--tenant", kTenant, "--out", snapshot, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(RunOnline({"reload", snapshot}, kWriterToken).exit_code, 2);
  r = RunOnline({"reload", snapshot});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseOut(r)["contacts"], 500);
  EXPECT_EQ(Total(), 500);
  r = RunOnline({"lookup", "--tenant", kTenant, "--phone", "+12122000042"});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  r = RunOnline({"checkpoint"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseOut(r)["contacts"], 500);
  EXPECT_EQ(RunOnline({"checkpoint"}, kWriterToken).exit_code, 2);

  r = RunOnline({"reload", Path("missing.snap")});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // NOT_FOUND
  EXPECT_THAT(r.err, HasSubstr("missing.snap"));
  EXPECT_EQ(Total(), 500);
}

}  // namespace
}  // namespace contactd::tools
