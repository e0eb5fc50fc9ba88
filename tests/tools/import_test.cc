// The parts of `contactctl import` without the binary: the line reader, the
// CSV parser wrapper, the column layout, the CSV and JSON Lines readers
// (good rows, quoting, groups, bad rows with their lines and reasons), the
// report, the progress bar, the server sink's local check, and the
// snapshot sink (a snapshot file that loads back).

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/errors.h"
#include "index/phone_normalizer.h"
#include "snapshot/snapshot_reader.h"
#include "tools/import/csv_contact_reader.h"
#include "tools/import/csv_record_reader.h"
#include "tools/import/import_report.h"
#include "tools/import/jsonl_contact_reader.h"
#include "tools/import/line_reader.h"
#include "tools/import/progress_bar.h"
#include "tools/import/server_sink.h"
#include "tools/import/snapshot_sink.h"

namespace contactd::tools {
namespace {

using index::Reason;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTenant[] = "0b7e3f4c-9a2d-4c1e-8f00-1234567890ab";
constexpr char kOtherTenant[] = "5f1c0000-0000-4000-8000-000000000002";

index::Uuid Tenant(const char* text = kTenant) {
  return *index::Uuid::Parse(text);
}

// Every row of `reader`; a test failure on a fatal error.
std::vector<ImportRow> ReadAll(ContactReader& reader) {
  std::vector<ImportRow> rows;
  ImportRow row;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    rows.push_back(row);
  }
  return rows;
}

// The rows of CSV `text` (default tenant: kTenant unless `tenant` says).
std::vector<ImportRow> ReadCsv(const std::string& text,
                               index::Uuid tenant = Tenant()) {
  std::istringstream in(text);
  absl::StatusOr<std::unique_ptr<CsvContactReader>> reader =
      CsvContactReader::Create(in);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return {};
  (*reader)->set_default_tenant(tenant);
  return ReadAll(**reader);
}

// The header error of CSV `text`.
absl::Status CsvHeaderError(const std::string& text) {
  std::istringstream in(text);
  return CsvContactReader::Create(in).status();
}

std::vector<ImportRow> ReadJsonl(const std::string& text,
                                 index::Uuid tenant = Tenant()) {
  std::istringstream in(text);
  JsonlContactReader reader(in);
  reader.set_default_tenant(tenant);
  return ReadAll(reader);
}

// ---- LineReader

TEST(LineReaderTest, LinesKeepTheirNewlineAndAreNumbered) {
  std::istringstream in("a\nbb\r\n\nlast");
  LineReader lines(in);
  std::string_view line;
  std::vector<std::string> got;
  while (*lines.Next(line)) {
    got.push_back(absl::StrCat(lines.line_number(), ":", std::string(line)));
  }
  EXPECT_THAT(got, ElementsAre("1:a\n", "2:bb\r\n", "3:\n", "4:last"));
  EXPECT_EQ(lines.bytes_read(), 11u);
}

TEST(LineReaderTest, LinesLongerThanAReadChunkComeWhole) {
  const std::string long_line(200 * 1024, 'x');
  std::istringstream in(long_line + "\nend\n");
  LineReader lines(in);
  std::string_view line;
  ASSERT_TRUE(*lines.Next(line));
  EXPECT_EQ(line.size(), long_line.size() + 1);
  ASSERT_TRUE(*lines.Next(line));
  EXPECT_EQ(line, "end\n");
  EXPECT_FALSE(*lines.Next(line));
}

TEST(LineReaderTest, LineOverTheLimitIsAnErrorNamingIt) {
  std::istringstream in("ok\n" + std::string(5000, 'x') + "\n");
  LineReader lines(in, /*max_line_bytes=*/1000);
  std::string_view line;
  ASSERT_TRUE(*lines.Next(line));
  absl::StatusOr<bool> more = lines.Next(line);
  ASSERT_FALSE(more.ok());
  EXPECT_THAT(more.status().message(), HasSubstr("line 2: longer than 1000"));
}

TEST(LineReaderTest, Utf8ByteOrderMarkIsDropped) {
  std::istringstream in(
      "\xEF\xBB\xBF"
      "a,b\n");
  LineReader lines(in);
  std::string_view line;
  ASSERT_TRUE(*lines.Next(line));
  EXPECT_EQ(line, "a,b\n");
}

// ---- CsvRecordReader

TEST(CsvRecordReaderTest, RecordsKnowTheLineTheyStartOn) {
  std::istringstream in("h1,h2\n\n\"a\nb\nc\",x\ny,z\n");
  CsvRecordReader records(in);
  CsvRecord r;
  std::vector<std::string> got;
  while (*records.Next(r)) {
    ASSERT_TRUE(r.error.ok()) << r.error;
    got.push_back(absl::StrCat(r.line, ":", absl::StrJoin(r.fields, "|")));
  }
  EXPECT_THAT(got, ElementsAre("1:h1|h2", "3:a\nb\nc|x", "6:y|z"));
}

TEST(CsvRecordReaderTest, RecordLongerThanTheLimitIsFatal) {
  std::istringstream in("a\n\"" + std::string(3000, 'x') + "\n" +
                        std::string(3000, 'y') + "\n");
  CsvRecordReader records(in, /*max_record_bytes=*/4096);
  CsvRecord r;
  ASSERT_TRUE(*records.Next(r));
  absl::StatusOr<bool> more = records.Next(r);
  ASSERT_FALSE(more.ok());
  EXPECT_THAT(more.status().message(),
              HasSubstr("line 2: a CSV record longer than 4096 bytes"));
}

// ---- CsvContactReader: good rows

TEST(CsvContactReaderTest, ReadsEveryFixedColumn) {
  const std::vector<ImportRow> rows = ReadCsv(
      "customer_id,external_id,first_name,last_name,display_name,company,"
      "job_title,source,notes,tags\n" +
      std::string(kOtherTenant) +
      ",crm-1,Ada,Lovelace,Ada L.,Acme,CTO,sync,likes math,vip\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].line, 2);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  const index::Contact& c = *rows[0].contact;
  EXPECT_EQ(c.customer_id, Tenant(kOtherTenant));  // the row wins
  EXPECT_EQ(c.external_id, "crm-1");
  EXPECT_EQ(c.first_name, "Ada");
  EXPECT_EQ(c.last_name, "Lovelace");
  EXPECT_EQ(c.display_name, "Ada L.");
  EXPECT_EQ(c.company, "Acme");
  EXPECT_EQ(c.job_title, "CTO");
  EXPECT_EQ(c.source, index::Source::kSync);
  EXPECT_EQ(c.notes, "likes math");
  EXPECT_THAT(c.tags, ElementsAre("vip"));
}

TEST(CsvContactReaderTest, ColumnNamesAreCaseInsensitiveInAnyOrder) {
  const std::vector<ImportRow> rows =
      ReadCsv(" Phone1 ,LAST_NAME,First_Name\n+15551234567,Lovelace,Ada\n");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  EXPECT_EQ(rows[0].contact->first_name, "Ada");
  EXPECT_EQ(rows[0].contact->last_name, "Lovelace");
  ASSERT_EQ(rows[0].contact->phone_numbers.size(), 1u);
  EXPECT_EQ(rows[0].contact->phone_numbers[0].number, "+15551234567");
}

TEST(CsvContactReaderTest, EmptyCellsMeanNotSetAndTheTenantIsTheDefault) {
  const std::vector<ImportRow> rows = ReadCsv(
      "customer_id,first_name,source,phone1,phone1_type,"
      "phone1_primary,email1,email1_type\n"
      ",Ada,,+15551234567,,,ada@acme.com,\n");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  const index::Contact& c = *rows[0].contact;
  EXPECT_EQ(c.customer_id, Tenant());
  EXPECT_EQ(c.source, index::Source::kImport);
  EXPECT_TRUE(c.external_id.empty());
  EXPECT_EQ(c.phone_numbers[0].type, index::PhoneType::kMobile);
  EXPECT_FALSE(c.phone_numbers[0].is_primary);
  EXPECT_EQ(c.emails[0].type, index::EmailType::kWork);
}

TEST(CsvContactReaderTest, QuotedFieldsKeepCommasQuotesAndNewlines) {
  const std::vector<ImportRow> rows = ReadCsv(
      "first_name,notes,company\n"
      "Ada,\"line one, with a comma\nline \"\"two\"\"\",\"Acme, Inc.\"\n"
      "Grace,,Navy\n");
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[0].contact->notes, "line one, with a comma\nline \"two\"");
  EXPECT_EQ(rows[0].contact->company, "Acme, Inc.");
  EXPECT_EQ(rows[1].line, 4);  // after the two-line row
  EXPECT_EQ(rows[1].contact->first_name, "Grace");
}

TEST(CsvContactReaderTest, SeveralPhonesAndEmailsWithTypesAndPrimary) {
  const std::vector<ImportRow> rows = ReadCsv(
      "email2,email2_type,phone2,phone2_type,phone2_primary,phone1,"
      "phone1_type,email1,email1_type,email1_primary\n"
      "ada@home.org,Personal,+15559876543,work,TRUE,(555) 123-4567,home,"
      "ada@acme.com,work,yes\n");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  const index::Contact& c = *rows[0].contact;
  ASSERT_EQ(c.phone_numbers.size(), 2u);  // by group number, not column
  EXPECT_EQ(c.phone_numbers[0].number, "(555) 123-4567");
  EXPECT_EQ(c.phone_numbers[0].type, index::PhoneType::kHome);
  EXPECT_FALSE(c.phone_numbers[0].is_primary);
  EXPECT_EQ(c.phone_numbers[1].number, "+15559876543");
  EXPECT_EQ(c.phone_numbers[1].type, index::PhoneType::kWork);
  EXPECT_TRUE(c.phone_numbers[1].is_primary);
  ASSERT_EQ(c.emails.size(), 2u);
  EXPECT_EQ(c.emails[0].address, "ada@acme.com");
  EXPECT_TRUE(c.emails[0].is_primary);
  EXPECT_EQ(c.emails[1].address, "ada@home.org");
  EXPECT_EQ(c.emails[1].type, index::EmailType::kPersonal);
}

TEST(CsvContactReaderTest, GroupsMayHaveGapsAndEmptyGroupsAreSkipped) {
  const std::vector<ImportRow> rows =
      ReadCsv("phone1,phone3,phone12\n,+15551234567,+15559876543\n");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  ASSERT_EQ(rows[0].contact->phone_numbers.size(), 2u);
  EXPECT_EQ(rows[0].contact->phone_numbers[1].number, "+15559876543");
}

TEST(CsvContactReaderTest, TagsSplitOnSemicolonsTrimmed) {
  const std::vector<ImportRow> rows =
      ReadCsv("first_name,tags\nAda,\" vip ; enterprise;;spanish \"\n");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  EXPECT_THAT(rows[0].contact->tags,
              ElementsAre("vip", "enterprise", "spanish"));
}

TEST(CsvContactReaderTest, BlankLinesAndAllEmptyRowsAreSkipped) {
  const std::vector<ImportRow> rows =
      ReadCsv("first_name,last_name\n\nAda,L\n , \n,\n  \nGrace,H\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 3);
  EXPECT_EQ(rows[1].line, 7);
}

TEST(CsvContactReaderTest, CrlfLineEndsAndNoFinalNewline) {
  const std::vector<ImportRow> rows =
      ReadCsv("first_name,notes\r\nAda,\"a\r\nb\"\r\nGrace,x");
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0].contact.ok());
  EXPECT_EQ(rows[0].contact->notes, "a\r\nb");
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_EQ(rows[1].contact->notes, "x");
}

TEST(CsvContactReaderTest, ByteOrderMarkBeforeTheHeader) {
  const std::vector<ImportRow> rows = ReadCsv(
      "\xEF\xBB\xBF"
      "first_name\nAda\n");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  EXPECT_EQ(rows[0].contact->first_name, "Ada");
}

// ---- CsvContactReader: bad rows

// The reason name and message of row `i`'s error.
std::string ErrorOf(const ImportRow& row) {
  if (row.contact.ok()) return "ok";
  return absl::StrCat(
      std::string(index::ReasonName(index::ReasonOf(row.contact.status()))),
      ": ", row.contact.status().message());
}

TEST(CsvContactReaderTest, BadRowsHaveTheirLineAndReasonAndReadingGoesOn) {
  const std::vector<ImportRow> rows = ReadCsv(
      "customer_id,first_name,phone1,phone1_type,phone1_primary,source\n"
      "not-a-uuid,A,,,,\n"         // 2
      ",B,+15551234567,cell,,\n"   // 3
      ",C,+15551234567,,maybe,\n"  // 4
      ",D,,work,,\n"               // 5
      ",E,,,,crm\n"                // 6
      ",F\n"                       // 7
      ",G,+15551234567,,,\n");     // 8
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(ErrorOf(rows[0]),
            "INVALID_ID: customer_id: 'not-a-uuid' is not a UUID");
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(ErrorOf(rows[1]),
            "INVALID_ENUM: phone1_type: unknown phone type 'cell' (one of: "
            "mobile, work, home, fax, other)");
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_EQ(ErrorOf(rows[2]),
            "INVALID_ENUM: phone1_primary: 'maybe' is not a flag (true, "
            "false, yes, no, 1, 0)");
  EXPECT_EQ(rows[3].line, 5);
  EXPECT_EQ(ErrorOf(rows[3]), "NONE: phone1_type: set, but phone1 is empty");
  EXPECT_EQ(rows[4].line, 6);
  EXPECT_THAT(ErrorOf(rows[4]), HasSubstr("INVALID_ENUM: source: unknown"));
  EXPECT_EQ(rows[5].line, 7);
  EXPECT_EQ(ErrorOf(rows[5]), "NONE: the row has 2 fields, the header 6");
  EXPECT_EQ(rows[6].line, 8);
  EXPECT_TRUE(rows[6].contact.ok());
}

TEST(CsvContactReaderTest, RowWithoutTenantAndNoDefaultIsBad) {
  const std::vector<ImportRow> rows =
      ReadCsv("customer_id,first_name\n,Ada\n", index::Uuid());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(ErrorOf(rows[0]),
            "INVALID_ID: customer_id: not in the row, and no --tenant given");
}

TEST(CsvContactReaderTest, QuoteInsideAnUnquotedFieldIsMalformed) {
  const std::vector<ImportRow> rows =
      ReadCsv("first_name,last_name\nAda,Love\"lace\nGrace,Hopper\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_THAT(ErrorOf(rows[0]),
              HasSubstr("malformed CSV quoting at line 2, column 9"));
  EXPECT_EQ(rows[1].line, 3);  // parsing resumes on the next line
  ASSERT_TRUE(rows[1].contact.ok());
  EXPECT_EQ(rows[1].contact->first_name, "Grace");
}

TEST(CsvContactReaderTest, TextAfterAClosingQuoteIsMalformedAtItsLine) {
  const std::vector<ImportRow> rows =
      ReadCsv("first_name,notes\nAda,\"two\nlines\"x\nGrace,ok\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2);  // where the record starts
  EXPECT_THAT(ErrorOf(rows[0]),
              HasSubstr("malformed CSV quoting at line 3, column 7"));
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_TRUE(rows[1].contact.ok());
}

TEST(CsvContactReaderTest, UnterminatedQuoteAtTheEndIsReportedWhereItStarts) {
  const std::vector<ImportRow> rows =
      ReadCsv("first_name,notes\nAda,ok\nGrace,\"never\nclosed\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].contact.ok());
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_THAT(ErrorOf(rows[1]), HasSubstr("ends inside a quoted field"));
}

// ---- CsvContactReader: header errors

TEST(CsvContactReaderTest, UnknownColumnIsAnErrorNamingIt) {
  const absl::Status s = CsvHeaderError("first_name,fist_name\nAda,Ada\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      s.message(),
      HasSubstr("line 1: header: unknown column 'fist_name' (column 2)"));
}

TEST(CsvContactReaderTest, RepeatedColumnIsAnError) {
  EXPECT_THAT(CsvHeaderError("phone1,Phone1\n").message(),
              HasSubstr("column 'phone1' appears twice (columns 1 and 2)"));
}

TEST(CsvContactReaderTest, TypeColumnWithoutItsNumberColumnIsAnError) {
  EXPECT_THAT(CsvHeaderError("phone1,phone2_type\n").message(),
              HasSubstr("column 'phone2_type' has no column 'phone2'"));
}

TEST(CsvContactReaderTest, GroupNumbersStartAtOne) {
  EXPECT_THAT(CsvHeaderError("phone0\n").message(),
              HasSubstr("unknown column 'phone0'"));
  EXPECT_THAT(CsvHeaderError("email01\n").message(),
              HasSubstr("unknown column 'email01'"));
}

TEST(CsvContactReaderTest, EmptyInputHasNoHeader) {
  EXPECT_THAT(CsvHeaderError("\n\n").message(), HasSubstr("empty"));
}

TEST(CsvContactReaderTest, MalformedHeaderIsAnError) {
  EXPECT_THAT(CsvHeaderError("first\"name\n").message(),
              HasSubstr("line 1: header: malformed CSV quoting"));
}

TEST(CsvContactReaderTest, OnlyACustomerIdColumnLetsRowsNameTheirTenant) {
  std::istringstream with("customer_id,first_name\n");
  EXPECT_TRUE((*CsvContactReader::Create(with))->rows_may_name_tenant());
  std::istringstream without("first_name\n");
  EXPECT_FALSE((*CsvContactReader::Create(without))->rows_may_name_tenant());
}

// ---- JsonlContactReader

TEST(JsonlContactReaderTest, OneContactPerLineBlankLinesSkipped) {
  const std::vector<ImportRow> rows = ReadJsonl(
      R"({"display_name": "Ada", "phone_numbers": [{"number": "+15551234567", "type": "work", "is_primary": true}]})"
      "\n\n   \r\n"
      R"({"customer_id": ")" +
      std::string(kOtherTenant) +
      R"(", "display_name": "Grace", "source": "sync"})"
      "\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 1);
  ASSERT_TRUE(rows[0].contact.ok()) << rows[0].contact.status();
  EXPECT_EQ(rows[0].contact->customer_id, Tenant());
  EXPECT_EQ(rows[0].contact->source, index::Source::kImport);
  EXPECT_EQ(rows[0].contact->phone_numbers[0].type, index::PhoneType::kWork);
  EXPECT_EQ(rows[1].line, 4);
  ASSERT_TRUE(rows[1].contact.ok()) << rows[1].contact.status();
  EXPECT_EQ(rows[1].contact->customer_id, Tenant(kOtherTenant));
  EXPECT_EQ(rows[1].contact->source, index::Source::kSync);
}

TEST(JsonlContactReaderTest, BadLinesAreBadRowsAndReadingGoesOn) {
  const std::vector<ImportRow> rows = ReadJsonl(
      "{\"display_name\": \"Ada\"\n"                                      // 1
      "{\"fist_name\": \"Ada\"}\n"                                        // 2
      "{\"phone_numbers\": [{\"number\": \"1\", \"type\": \"cell\"}]}\n"  // 3
      "[1, 2]\n"                                                          // 4
      "{\"display_name\": \"Grace\"}\n");                                 // 5
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_THAT(ErrorOf(rows[0]), HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorOf(rows[1]), HasSubstr("fist_name"));
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_THAT(ErrorOf(rows[2]), HasSubstr("INVALID_ENUM"));
  EXPECT_THAT(ErrorOf(rows[2]), HasSubstr("phone_numbers[0].type"));
  EXPECT_FALSE(rows[3].contact.ok());
  EXPECT_EQ(rows[4].line, 5);
  EXPECT_TRUE(rows[4].contact.ok());
}

TEST(JsonlContactReaderTest, LineWithoutTenantAndNoDefaultIsBad) {
  const std::vector<ImportRow> rows =
      ReadJsonl("{\"display_name\": \"Ada\"}\n", index::Uuid());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(ErrorOf(rows[0]), HasSubstr("INVALID_ID: customer_id"));
}

// ---- ImportReport and ProgressBar

TEST(ImportReportTest, BadRowsPrintFileLineReasonUpToTheCap) {
  std::ostringstream err;
  ImportReport report("c.csv", err, nullptr, /*max_messages=*/2);
  for (int i = 0; i < 5; ++i) report.RowRead(0);
  report.Rejected(
      3, index::InvalidArgument(Reason::kInvalidPhone, "'x' is not a phone"));
  report.Rejected(4, absl::InvalidArgumentError("the row has 2 fields"));
  report.Rejected(9, absl::InvalidArgumentError("not printed"));
  report.Created();
  report.Updated();
  report.Finish();
  EXPECT_EQ(err.str(),
            "c.csv:3: INVALID_PHONE: 'x' is not a phone\n"
            "c.csv:4: INVALID_ARGUMENT: the row has 2 fields\n"
            "c.csv: ... 1 more bad rows\n");
  const ImportCounts c = report.counts();
  EXPECT_EQ(c.rows_read, 5u);
  EXPECT_EQ(c.created, 1u);
  EXPECT_EQ(c.updated, 1u);
  EXPECT_EQ(c.rejected, 3u);
  EXPECT_EQ(c.first_rejected_line, 3);
  EXPECT_EQ(report.SummaryLine(absl::Seconds(2)),
            "c.csv: 5 rows read: 1 created, 1 updated, 3 rejected in 2.00 s "
            "(2 rows/s)");
}

TEST(ProgressBarTest, RendersPercentRowsAndRate) {
  EXPECT_EQ(ProgressBar::Render(120000, 500, 1000, absl::Seconds(2)),
            "[###############...............]  50%  120,000 rows  60,000 "
            "rows/s");
}

TEST(ProgressBarTest, UnknownSizeShowsBytes) {
  EXPECT_EQ(ProgressBar::Render(999, 3 * 1024 * 1024, 0, absl::Seconds(1)),
            "999 rows  999 rows/s  3.0 MiB");
}

TEST(ProgressBarTest, ClearErasesTheDrawnLine) {
  std::ostringstream out;
  ProgressBar bar(out, 0, absl::UnixEpoch());
  bar.Clear();
  EXPECT_THAT(out.str(), IsEmpty());  // nothing drawn yet
  bar.Update(1, 1, absl::UnixEpoch() + absl::Seconds(1));
  bar.Clear();
  EXPECT_EQ(out.str(), "\r\033[K1 rows  1 rows/s  0.0 MiB\r\033[K");
}

// ---- ServerSink's local check

TEST(PrecheckContactTest, AcceptsWhatTheServerAccepts) {
  const index::PhoneNormalizer normalizer = *index::PhoneNormalizer::Create();
  index::Contact c;
  c.customer_id = Tenant();
  c.tags = {"vip", "vip"};  // the store drops the repeat
  c.phone_numbers.push_back({.number = "(555) 123-4567"});
  c.emails.push_back({.address = "Ada@Acme.com"});
  EXPECT_TRUE(PrecheckContact(normalizer, c, "US").ok());
}

TEST(PrecheckContactTest, RejectsWithTheServersReasons) {
  const index::PhoneNormalizer normalizer = *index::PhoneNormalizer::Create();
  index::Contact c;
  c.customer_id = Tenant();
  c.phone_numbers.push_back({.number = "anonymous"});
  EXPECT_EQ(index::ReasonOf(PrecheckContact(normalizer, c, "US")),
            Reason::kInvalidPhone);
  c.phone_numbers = {{.number = "+15551234567", .is_primary = true},
                     {.number = "+15559876543", .is_primary = true}};
  EXPECT_EQ(index::ReasonOf(PrecheckContact(normalizer, c, "US")),
            Reason::kMultiplePrimaryPhones);
  c.phone_numbers = {{.number = "+15551234567"}, {.number = "(555) 123-4567"}};
  EXPECT_EQ(index::ReasonOf(PrecheckContact(normalizer, c, "US")),
            Reason::kDuplicatePhone);
}

TEST(ServerSinkTest, BusyIsRetriedOtherUnavailableIsFatal) {
  const absl::Status busy = absl::UnavailableError("BUSY: write queue full");
  EXPECT_TRUE(ServerSink::IsBusy(busy));
  EXPECT_FALSE(ServerSink::IsBusy(absl::UnavailableError("connection reset")));
  EXPECT_TRUE(ServerSink::IsFatal(absl::UnavailableError("connection reset")));
  EXPECT_FALSE(ServerSink::IsFatal(
      index::AlreadyExists(Reason::kExternalIdConflict, "taken")));
  EXPECT_FALSE(ServerSink::IsFatal(absl::PermissionDeniedError("tenant")));
}

// ---- SnapshotSink

class SnapshotSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("import_test_", info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const {
    return (dir_ / name).string();
  }

  static index::Contact Contact(const char* tenant, const char* external_id,
                                const char* number) {
    index::Contact c;
    c.customer_id = Tenant(tenant);
    c.external_id = external_id;
    c.source = index::Source::kImport;
    c.display_name = absl::StrCat("name of ", external_id);
    c.phone_numbers.push_back({.number = number});
    return c;
  }

  std::filesystem::path dir_;
};

TEST_F(SnapshotSinkTest, WritesEveryTenantsContactsDedupedByExternalId) {
  std::ostringstream err;
  ImportReport report("t.csv", err, nullptr);
  auto sink =
      SnapshotSink::Create({.out = Path("out.snap"), .region = "US"}, &report);
  ASSERT_TRUE(sink.ok()) << sink.status();
  ASSERT_TRUE((*sink)->Add(2, Contact(kTenant, "a", "(555) 123-4567")).ok());
  ASSERT_TRUE((*sink)->Add(3, Contact(kOtherTenant, "a", "+15551234567")).ok());
  ASSERT_TRUE((*sink)->Add(4, Contact(kTenant, "a", "+15559876543")).ok());
  ASSERT_TRUE((*sink)->Add(5, Contact(kTenant, "b", "anonymous")).ok());
  ASSERT_TRUE((*sink)->Finish(true).ok());
  const ImportCounts c = report.counts();
  EXPECT_EQ(c.created, 2u);
  EXPECT_EQ(c.updated, 1u);
  EXPECT_EQ(c.rejected, 1u);
  EXPECT_EQ(err.str(),
            "t.csv:5: INVALID_PHONE: 'anonymous' is not a phone number\n");
  EXPECT_EQ((*sink)->info().contact_count, 2u);

  absl::StatusOr<snapshot::LoadedSnapshot> loaded =
      snapshot::LoadSnapshot(Path("out.snap"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->info.last_sequence, 0u);
  ASSERT_EQ(loaded->records.size(), 2u);
  for (const auto& record : loaded->records) {
    const index::Contact contact = record->ToContact();
    EXPECT_EQ(contact.source, index::Source::kImport);
    const std::string e164 = contact.phone_numbers[0].number_e164;
    EXPECT_EQ(e164, contact.customer_id == Tenant() ? "+15559876543"
                                                    : "+15551234567");
  }
}

TEST_F(SnapshotSinkTest, NoCommitWritesNoFile) {
  std::ostringstream err;
  ImportReport report("t.csv", err, nullptr);
  auto sink =
      SnapshotSink::Create({.out = Path("out.snap"), .region = "US"}, &report);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Add(2, Contact(kTenant, "a", "+15551234567")).ok());
  ASSERT_TRUE((*sink)->Finish(false).ok());
  EXPECT_FALSE(std::filesystem::exists(Path("out.snap")));
}

TEST_F(SnapshotSinkTest, BaseSnapshotKeepsIdsOnReimport) {
  std::ostringstream err;
  ImportReport first_report("t.csv", err, nullptr);
  auto first = SnapshotSink::Create({.out = Path("1.snap"), .region = "US"},
                                    &first_report);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE((*first)->Add(2, Contact(kTenant, "a", "+15551234567")).ok());
  ASSERT_TRUE((*first)->Finish(true).ok());

  ImportReport second_report("t.csv", err, nullptr);
  auto second = SnapshotSink::Create(
      {.out = Path("2.snap"), .base = Path("1.snap"), .region = "US"},
      &second_report);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*second)->base_contacts(), 1u);
  ASSERT_TRUE((*second)->Add(2, Contact(kTenant, "a", "+15559876543")).ok());
  ASSERT_TRUE((*second)->Add(3, Contact(kTenant, "b", "+15550001111")).ok());
  ASSERT_TRUE((*second)->Finish(true).ok());
  EXPECT_EQ(second_report.counts().updated, 1u);
  EXPECT_EQ(second_report.counts().created, 1u);

  auto one = snapshot::LoadSnapshot(Path("1.snap"));
  auto two = snapshot::LoadSnapshot(Path("2.snap"));
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_EQ(two->records.size(), 2u);
  bool found = false;
  for (const auto& record : two->records) {
    if (record->external_id() != "a") continue;
    found = true;
    EXPECT_EQ(record->id(), one->records[0]->id());
    EXPECT_EQ(record->ToContact().phone_numbers[0].number_e164, "+15559876543");
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace contactd::tools
