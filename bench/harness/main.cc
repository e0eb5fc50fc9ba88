// contactd-bench: load generator for contactd, Redis and an echo floor;
// bench/README.md ("contactd-bench") and bench/compare.sh.
//
//   contactd-bench run --target contactd --server 127.0.0.1:7600
//       --keys keys.tsv -c 50 -P 16 --duration 10 [--rate 20000] [--json]
//   contactd-bench run --target redis --server 127.0.0.1:6379 --keys keys.tsv
//   contactd-bench echo-server --listen 127.0.0.1:0
//   contactd-bench table --row c50:"50 connections":c.json:r.json ...

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/harness/compare_table.h"
#include "bench/harness/contactd_target.h"
#include "bench/harness/echo_server.h"
#include "bench/harness/echo_target.h"
#include "bench/harness/load_run.h"
#include "bench/harness/redis_target.h"
#include "bench/harness/run_report.h"
#include "bench/harness/tcp_socket.h"

namespace contactd::bench {
namespace {

struct RunFlags {
  std::string target;
  std::string server = "127.0.0.1:7600";
  std::string keys;
  std::string writes;
  std::string label;
  std::string json_out;
  std::string percentiles_out;
  bool json = false;
  bool summary = false;
  size_t message_bytes = 49;
  LoadOptions load;
};

int Fail(const absl::Status& status) {
  std::cerr << "contactd-bench: " << status << "\n";
  return 2;
}

absl::StatusOr<std::unique_ptr<Target>> MakeTarget(const RunFlags& f,
                                                   const Workload& workload) {
  if (f.target == "contactd") {
    return std::unique_ptr<Target>(
        ContactdTarget::Create(workload, {.summary = f.summary}));
  }
  if (f.target == "redis") {
    absl::StatusOr<std::unique_ptr<RedisTarget>> redis =
        RedisTarget::Create(workload);
    if (!redis.ok()) return redis.status();
    return std::unique_ptr<Target>(*std::move(redis));
  }
  return std::unique_ptr<Target>(new EchoTarget(f.message_bytes));
}

absl::StatusOr<Workload> MakeWorkload(const RunFlags& f) {
  if (f.target == "echo") {  // the floor needs no keys: one dummy
    Workload w;
    w.keys.push_back(LookupKey{.input = "-", .redis_key = "-"});
    return w;
  }
  if (f.keys.empty()) return absl::InvalidArgumentError("--keys is required");
  return LoadWorkload(f.keys, f.writes);
}

int Run(RunFlags f) {
  absl::StatusOr<std::pair<std::string, uint16_t>> address =
      ParseHostPort(f.server);
  if (!address.ok()) return Fail(address.status());
  f.load.host = address->first;
  f.load.port = address->second;
  absl::StatusOr<Workload> workload = MakeWorkload(f);
  if (!workload.ok()) return Fail(workload.status());
  absl::StatusOr<std::unique_ptr<Target>> target = MakeTarget(f, *workload);
  if (!target.ok()) return Fail(target.status());
  absl::StatusOr<LoadResult> result = RunLoad(f.load, **target, *workload);
  if (!result.ok()) return Fail(result.status());

  const RunDescription run{.target = f.target,
                           .label = f.label,
                           .server = f.server,
                           .summary = f.summary,
                           .options = f.load};
  const nlohmann::json report = RunReportJson(run, *result);
  if (f.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    std::cout << RunReportText(run, *result);
  }
  if (!f.json_out.empty()) {
    std::ofstream out(f.json_out, std::ios::trunc);
    out << report.dump(2) << "\n";
    if (!out) return Fail(absl::UnavailableError("cannot write " + f.json_out));
  }
  if (!f.percentiles_out.empty()) {
    if (absl::Status s =
            WritePercentiles(f.percentiles_out, result->stats.latency);
        !s.ok()) {
      return Fail(s);
    }
  }
  const LoadStats& s = result->stats;
  return s.errors + s.unanswered + s.broken_connections > 0 ? 1 : 0;
}

void AddRunCommand(CLI::App& app, int* exit_code) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* run = app.add_subcommand("run", "Run a workload against a server");
  run->add_option("--target", f->target, "contactd | redis | echo")
      ->required()
      ->check(CLI::IsMember({"contactd", "redis", "echo"}));
  run->add_option("--server", f->server, "HOST:PORT")->capture_default_str();
  run->add_option("--keys", f->keys,
                  "key list (bench/harness/key_list.h), from contactd-dataset");
  run->add_option("--writes", f->writes,
                  "contacts to write (JSON Lines), for --write-ratio");
  run->add_option("-c,--connections", f->load.connections, "connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  run->add_option("-P,--pipeline", f->load.pipeline,
                  "closed loop: requests in flight per connection")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  run->add_option("--threads", f->load.threads, "client threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  run->add_option("--rate", f->load.rate,
                  "open loop: requests per second in total (0: closed loop)")
      ->capture_default_str();
  run->add_option("--duration", f->load.duration_seconds,
                  "seconds measured after the warm-up")
      ->capture_default_str();
  run->add_option("--warmup", f->load.warmup_seconds,
                  "seconds of load before measuring")
      ->capture_default_str();
  run->add_option("--requests", f->load.requests,
                  "closed loop: measure this many requests instead of "
                  "--duration");
  run->add_option("--drain", f->load.drain_seconds,
                  "seconds to wait for the last replies")
      ->capture_default_str();
  run->add_option("--server-pid", f->load.server_pid,
                  "the server's process id: report its CPU time per "
                  "request too (same machine)")
      ->check(CLI::PositiveNumber);
  run->add_option("--hit-ratio", f->load.picker.hit_ratio,
                  "share of lookups whose key is in the dataset")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  run->add_option("--email-ratio", f->load.picker.email_ratio,
                  "share of lookups by email")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  run->add_option("--write-ratio", f->load.picker.write_ratio,
                  "share of requests that are writes (needs --writes)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  run->add_option("--seed", f->load.picker.seed, "request stream seed")
      ->capture_default_str();
  run->add_flag("--summary", f->summary,
                "contactd: ask for summaries instead of full contacts");
  run->add_option("--message-bytes", f->message_bytes, "echo: request size")
      ->capture_default_str();
  run->add_option("--label", f->label, "free text carried into the report");
  run->add_flag("--json", f->json, "print the report as JSON");
  run->add_option("--json-out", f->json_out, "also write the JSON here");
  run->add_option("--percentiles-out", f->percentiles_out,
                  "write the latency percentile distribution (for plots)");
  run->callback([f, exit_code] { *exit_code = Run(*f); });
}

EchoServer* g_echo = nullptr;

void AddEchoServerCommand(CLI::App& app, int* exit_code) {
  auto listen = std::make_shared<std::string>("127.0.0.1:0");
  CLI::App* echo = app.add_subcommand(
      "echo-server", "Serve a TCP echo (the floor) until SIGTERM/SIGINT");
  echo->add_option("--listen", *listen, "HOST:PORT (port 0: any)")
      ->capture_default_str();
  echo->callback([listen, exit_code] {
    absl::StatusOr<std::pair<std::string, uint16_t>> address =
        ParseHostPort(*listen);
    if (!address.ok()) {
      *exit_code = Fail(address.status());
      return;
    }
    absl::StatusOr<std::unique_ptr<EchoServer>> server =
        EchoServer::Create(address->first, address->second);
    if (!server.ok()) {
      *exit_code = Fail(server.status());
      return;
    }
    g_echo = server->get();
    std::signal(SIGTERM, [](int) { g_echo->Stop(); });
    std::signal(SIGINT, [](int) { g_echo->Stop(); });
    std::cerr << "echo ready: " << address->first << ":" << (*server)->port()
              << std::endl;
    absl::Status s = (*server)->Run();
    g_echo = nullptr;
    *exit_code = s.ok() ? 0 : Fail(s);
  });
}

void AddTableCommand(CLI::App& app, int* exit_code) {
  auto rows = std::make_shared<std::vector<std::string>>();
  auto input = std::make_shared<CompareInput>();
  CLI::App* table = app.add_subcommand(
      "table", "Print compare.sh's side-by-side table (Markdown)");
  table
      ->add_option("--row", *rows,
                   "key:label:contactd.json:redis.json[:floor.json]")
      ->required();
  table->add_option("--rss-contactd-kb", input->rss_contactd_kb);
  table->add_option("--rss-redis-kb", input->rss_redis_kb);
  table->add_option("--redis-used-memory-kb", input->redis_used_memory_kb);
  table->callback([rows, input, exit_code] {
    for (const std::string& spec : *rows) {
      absl::StatusOr<CompareRow> row = ReadCompareRow(spec);
      if (!row.ok()) {
        *exit_code = Fail(row.status());
        return;
      }
      input->rows.push_back(*std::move(row));
    }
    std::cout << CompareTableMarkdown(*input);
    *exit_code = 0;
  });
}

}  // namespace
}  // namespace contactd::bench

int main(int argc, char** argv) {
  CLI::App app{
      "contactd-bench: load generator for contactd, Redis and an "
      "echo floor"};
  app.require_subcommand(1);
  int exit_code = 0;
  contactd::bench::AddRunCommand(app, &exit_code);
  contactd::bench::AddEchoServerCommand(app, &exit_code);
  contactd::bench::AddTableCommand(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
