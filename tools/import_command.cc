#include "tools/import_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "index/errors.h"
#include "index/phone_normalizer.h"
#include "protocol/contact_json.h"
#include "tools/command.h"
#include "tools/import/csv_contact_reader.h"
#include "tools/import/import_report.h"
#include "tools/import/jsonl_contact_reader.h"
#include "tools/import/progress_bar.h"
#include "tools/import/server_sink.h"
#include "tools/import/snapshot_sink.h"

namespace contactd::tools {
namespace {

constexpr std::string_view kImportExitCodesHelp =
    "Exit codes:\n"
    "  0  every row imported (created or updated)\n"
    "  2  error: usage, unreadable input or header, connection, snapshot\n"
    "     write; or a bad row with --on-error abort\n"
    "  3  some rows rejected (reported on stderr), the others imported\n"
    "See docs/import.md.";

struct ImportOptions {
  std::string file;    // a path, or "-" for stdin
  std::string format;  // "csv", "jsonl", or "": from the file's extension
  std::string tenant;
  std::string region = "US";
  std::string on_error = "skip";
  std::string out;   // offline: the snapshot file to write
  std::string base;  // offline: a snapshot to start from
  size_t batch = 256;
  bool quiet = false;
};

absl::StatusOr<std::string> ResolveFormat(const ImportOptions& o) {
  if (!o.format.empty()) return o.format;
  if (o.file == "-") {
    return absl::InvalidArgumentError(
        "reading stdin ('-') needs --format csv|jsonl");
  }
  const std::string ext =
      absl::AsciiStrToLower(std::filesystem::path(o.file).extension().string());
  if (ext == ".csv") return std::string("csv");
  if (ext == ".jsonl" || ext == ".ndjson") return std::string("jsonl");
  return absl::InvalidArgumentError(absl::StrCat(
      "cannot tell the format of '", o.file,
      "' from its extension (.csv, .jsonl, .ndjson): give --format"));
}

// Everything one import run holds; members are destroyed in reverse order,
// so the sink (whose replies the client delivers) goes before the client.
struct ImportRun {
  std::ifstream file;
  std::istream* in = nullptr;
  std::string input_name;
  uint64_t total_bytes = 0;  // 0: unknown
  std::unique_ptr<ContactReader> reader;
  std::unique_ptr<ProgressBar> bar;
  std::unique_ptr<ImportReport> report;
  std::unique_ptr<client::Client> client;
  SnapshotSink* snapshot_sink = nullptr;  // owned by `sink` (offline)
  std::unique_ptr<ImportSink> sink;
};

absl::Status OpenInput(const ImportOptions& o, ImportRun& run) {
  if (o.file == "-") {
    run.in = &std::cin;
    run.input_name = "<stdin>";
    return absl::OkStatus();
  }
  run.input_name = o.file;
  run.file.open(o.file, std::ios::binary);
  if (!run.file) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", o.file, ": ", std::strerror(errno)));
  }
  run.in = &run.file;
  std::error_code error;
  if (std::filesystem::is_regular_file(o.file, error)) {
    run.total_bytes = std::filesystem::file_size(o.file, error);
    if (error) run.total_bytes = 0;
  }
  return absl::OkStatus();
}

absl::Status OpenReader(const std::string& format, ImportRun& run) {
  if (format == "jsonl") {
    run.reader = std::make_unique<JsonlContactReader>(*run.in);
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<CsvContactReader>> csv =
      CsvContactReader::Create(*run.in);
  if (!csv.ok()) {
    return index::MakeError(
        csv.status().code(), index::ReasonOf(csv.status()),
        absl::StrCat(run.input_name, ": ", csv.status().message()));
  }
  run.reader = *std::move(csv);
  return absl::OkStatus();
}

// Online: connects (HELLO), takes the token's tenant when --tenant is not
// given, and makes the server sink.
absl::Status OpenServer(const ImportOptions& o, const ClientFlags& flags,
                        ImportRun& run) {
  client::ClientOptions options;
  options.server = flags.server;
  options.token = flags.token;
  options.client_name = "contactctl 0.1.0 import";
  options.connect_timeout = absl::Seconds(flags.timeout_seconds);
  options.request_timeout = absl::Seconds(flags.timeout_seconds);
  absl::StatusOr<std::unique_ptr<client::Client>> client =
      client::Client::Create(options);
  if (!client.ok()) return client.status();
  run.client = *std::move(client);
  if (absl::Status s = run.client->Connect(); !s.ok()) return s;
  size_t window = o.batch;
  if (const std::optional<protocol::HelloReply> hello = run.client->hello()) {
    if (o.tenant.empty() && !hello->tenant.is_nil()) {
      run.reader->set_default_tenant(hello->tenant);
    }
    if (hello->max_in_flight > 0) {
      window = std::min<size_t>(window, hello->max_in_flight);
    }
  }
  absl::StatusOr<std::unique_ptr<ServerSink>> sink = ServerSink::Create(
      *run.client, {.region = o.region, .max_in_flight = window},
      run.report.get());
  if (!sink.ok()) return sink.status();
  run.sink = *std::move(sink);
  return absl::OkStatus();
}

absl::Status OpenSnapshot(const ImportOptions& o, ImportRun& run) {
  absl::StatusOr<std::unique_ptr<SnapshotSink>> sink = SnapshotSink::Create(
      {.out = o.out, .base = o.base, .region = o.region}, run.report.get());
  if (!sink.ok()) return sink.status();
  run.snapshot_sink = sink->get();
  run.sink = *std::move(sink);
  return absl::OkStatus();
}

// Sets up everything; errors are usage or setup errors (exit 2, no summary).
absl::Status Open(const ImportOptions& o, const ClientFlags& flags,
                  bool err_is_terminal, ImportRun& run) {
  if (!o.base.empty() && o.out.empty()) {
    return absl::InvalidArgumentError("--base needs --out");
  }
  if (absl::Status s = index::ValidateRegion(o.region); !s.ok()) return s;
  absl::StatusOr<std::string> format = ResolveFormat(o);
  if (!format.ok()) return format.status();
  index::Uuid tenant;
  if (!o.tenant.empty()) {
    absl::StatusOr<index::Uuid> parsed = ParseUuidFlag(o.tenant, "--tenant");
    if (!parsed.ok()) return parsed.status();
    tenant = *parsed;
  }
  if (absl::Status s = OpenInput(o, run); !s.ok()) return s;
  if (absl::Status s = OpenReader(*format, run); !s.ok()) return s;
  run.reader->set_default_tenant(tenant);
  if (err_is_terminal && !o.quiet) {
    run.bar =
        std::make_unique<ProgressBar>(std::cerr, run.total_bytes, absl::Now());
  }
  run.report =
      std::make_unique<ImportReport>(run.input_name, std::cerr, run.bar.get());
  absl::Status opened =
      o.out.empty() ? OpenServer(o, flags, run) : OpenSnapshot(o, run);
  if (!opened.ok()) return opened;
  if (!run.reader->rows_may_name_tenant() &&
      run.reader->default_tenant().is_nil()) {
    return absl::InvalidArgumentError(absl::StrCat(
        run.input_name,
        ": the CSV has no customer_id column: give --tenant (or a token bound "
        "to one tenant)"));
  }
  return absl::OkStatus();
}

enum class Outcome { kOk, kRowsRejected, kAborted, kFailed };

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kRowsRejected:
      return "rows_rejected";
    case Outcome::kAborted:
      return "aborted";
    case Outcome::kFailed:
      return "failed";
  }
  return "failed";
}

// Reads every row into the sink. Returns a fatal error, or OK; `aborted`
// tells whether --on-error abort stopped it.
absl::Status Pump(const ImportOptions& o, ImportRun& run, bool& aborted) {
  const bool abort_on_error = o.on_error == "abort";
  ImportRow row;
  while (true) {
    absl::StatusOr<bool> more = run.reader->Next(row);
    if (!more.ok()) {
      return index::MakeError(
          more.status().code(), index::ReasonOf(more.status()),
          absl::StrCat(run.input_name, ": ", more.status().message()));
    }
    if (!*more) return absl::OkStatus();
    run.report->RowRead(run.reader->bytes_read());
    if (!row.contact.ok()) {
      run.report->Rejected(row.line, row.contact.status());
    } else if (absl::Status s =
                   run.sink->Add(row.line, *std::move(row.contact));
               !s.ok()) {
      return s;
    }
    if (abort_on_error && run.report->counts().rejected > 0) {
      aborted = true;
      return absl::OkStatus();
    }
  }
}

protocol::Json SummaryJson(const ImportOptions& o, const ClientFlags& flags,
                           const ImportRun& run, Outcome outcome,
                           absl::Duration elapsed) {
  const ImportCounts c = run.report->counts();
  protocol::Json j = protocol::Json::object();
  j["input"] = run.input_name;
  j["target"] = o.out.empty() ? "server" : "snapshot";
  j["outcome"] = std::string(OutcomeName(outcome));
  j["rows_read"] = c.rows_read;
  j["created"] = c.created;
  j["updated"] = c.updated;
  j["rejected"] = c.rejected;
  j["first_rejected_line"] = c.first_rejected_line > 0
                                 ? protocol::Json(c.first_rejected_line)
                                 : protocol::Json(nullptr);
  j["seconds"] = absl::ToDoubleSeconds(elapsed);
  if (o.out.empty()) {
    j["server"] = flags.server;
  } else {
    protocol::Json& snapshot = j["snapshot"] = protocol::Json::object();
    snapshot["path"] = o.out;
    const bool written =
        outcome == Outcome::kOk || outcome == Outcome::kRowsRejected;
    snapshot["written"] = written;
    snapshot["base_contacts"] = run.snapshot_sink->base_contacts();
    if (written) {
      snapshot["contacts"] = run.snapshot_sink->info().contact_count;
      snapshot["bytes"] = run.snapshot_sink->info().bytes;
    }
  }
  return j;
}

int RunImport(const ImportOptions& o, const ClientFlags& flags) {
  const absl::Time start = absl::Now();
  ImportRun run;
  if (absl::Status s = Open(o, flags, isatty(STDERR_FILENO) == 1, run);
      !s.ok()) {
    return ReportError(s, std::cerr);
  }
  bool aborted = false;
  absl::Status fatal = Pump(o, run, aborted);
  // Nothing is committed after a fatal error or an abort: for --out, no file.
  absl::Status finished = run.sink->Finish(fatal.ok() && !aborted);
  if (fatal.ok()) fatal = finished;
  run.report->Finish();
  const ImportCounts counts = run.report->counts();
  const Outcome outcome = !fatal.ok()           ? Outcome::kFailed
                          : aborted             ? Outcome::kAborted
                          : counts.rejected > 0 ? Outcome::kRowsRejected
                                                : Outcome::kOk;
  const absl::Duration elapsed = absl::Now() - start;
  std::cout << protocol::DumpJson(SummaryJson(o, flags, run, outcome, elapsed),
                                  2)
            << "\n";
  if (!o.quiet) std::cerr << run.report->SummaryLine(elapsed) << "\n";
  switch (outcome) {
    case Outcome::kOk:
      return kExitOk;
    case Outcome::kRowsRejected:
      return kExitRowsRejected;
    case Outcome::kAborted:
      std::cerr << "contactctl: ABORTED: " << run.input_name << ":"
                << counts.first_rejected_line
                << ": bad row with --on-error abort; "
                << (o.out.empty()
                        ? "nothing after it was sent (rows already in "
                          "flight may have been applied)"
                        : "no snapshot written")
                << "\n";
      return kExitError;
    case Outcome::kFailed:
      return ReportError(fatal, std::cerr);
  }
  return kExitError;
}

}  // namespace

void AddImportCommand(CLI::App& app, const ClientFlags* flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "import",
      "Import contacts from CSV or JSON Lines into contactd, or into a "
      "snapshot file (--out); see docs/import.md");
  command->footer(std::string(kImportExitCodesHelp));
  auto o = std::make_shared<ImportOptions>();
  command
      ->add_option("file", o->file, "input file; '-': stdin (needs --format)")
      ->required();
  command
      ->add_option("--format", o->format,
                   "csv or jsonl (default: from the extension: .csv, "
                   ".jsonl, .ndjson)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  command->add_option("--tenant", o->tenant,
                      "tenant of rows without customer_id (default online: "
                      "the token's tenant)");
  command
      ->add_option("--region", o->region,
                   "ISO 3166 region for numbers without a country code")
      ->capture_default_str();
  command
      ->add_option("--on-error", o->on_error,
                   "a bad row: skip it (report, go on) or abort the import")
      ->check(CLI::IsMember({"skip", "abort"}))
      ->capture_default_str();
  command->add_option("--out", o->out,
                      "offline: write the contacts into this snapshot file "
                      "instead of sending them to the server");
  command->add_option("--base", o->base,
                      "offline: start from this snapshot's contacts (a "
                      "re-import updates them, keeping their ids)");
  command
      ->add_option("--batch", o->batch,
                   "online: UPSERT requests in flight at a time")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  command->add_flag("--quiet,-q", o->quiet,
                    "no progress bar, no summary line on stderr (bad rows and "
                    "the JSON summary still print)");
  command->callback(
      [o, flags, exit_code] { *exit_code = RunImport(*o, *flags); });
}

}  // namespace contactd::tools
