// contactd-dataset: the bench dataset (dataset_builder.h) and its Redis load
// (redis_loader.h); bench/README.md, bench/compare.sh.
//
//   contactd-dataset generate --contacts 1000000 --out /tmp/ds
//   contactd-dataset redis-load --dir /tmp/ds --redis 127.0.0.1:6379

#include <iostream>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "bench/dataset_gen/dataset_builder.h"
#include "bench/dataset_gen/redis_loader.h"
#include "bench/harness/tcp_socket.h"
#include "nlohmann/json.hpp"
#include "snapshot/snapshot_reader.h"

namespace contactd::bench {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "contactd-dataset: " << status << "\n";
  return 2;
}

void AddGenerate(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<GenerateOptions>();
  CLI::App* generate = app.add_subcommand(
      "generate", "Write the snapshot, key list and writes into --out");
  generate->add_option("--out", o->out_dir, "output directory")->required();
  generate->add_option("--contacts", o->contacts)->capture_default_str();
  generate->add_option("--tenants", o->tenants)
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  generate->add_option("--seed", o->seed)->capture_default_str();
  generate->add_option("--keys", o->keys, "lookup keys in keys.tsv")
      ->capture_default_str();
  generate->add_option("--writes", o->writes, "contacts in writes.jsonl")
      ->capture_default_str();
  generate->callback([o, exit_code] {
    absl::StatusOr<nlohmann::json> summary = GenerateDataset(*o);
    if (!summary.ok()) {
      *exit_code = Fail(summary.status());
      return;
    }
    std::cout << summary->dump(2) << "\n";
    *exit_code = 0;
  });
}

void AddRedisLoad(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>();
  auto redis = std::make_shared<std::string>("127.0.0.1:6379");
  CLI::App* load = app.add_subcommand(
      "redis-load", "SET every contact's keys in redis-server (pipelined)");
  load->add_option("--dir", *dir, "a directory made by generate")->required();
  load->add_option("--redis", *redis, "HOST:PORT")->capture_default_str();
  load->callback([dir, redis, exit_code] {
    absl::StatusOr<std::pair<std::string, uint16_t>> address =
        ParseHostPort(*redis);
    if (!address.ok()) {
      *exit_code = Fail(address.status());
      return;
    }
    absl::StatusOr<snapshot::LoadedSnapshot> loaded =
        snapshot::LoadSnapshot(DatasetSnapshotPath(*dir));
    if (!loaded.ok()) {
      *exit_code = Fail(loaded.status());
      return;
    }
    absl::StatusOr<RedisLoadResult> result =
        LoadRedis(loaded->records, address->first, address->second);
    if (!result.ok()) {
      *exit_code = Fail(result.status());
      return;
    }
    nlohmann::json j;
    j["contacts"] = result->contacts;
    j["keys"] = result->keys;
    j["value_bytes"] = result->value_bytes;
    j["seconds"] = result->seconds;
    std::cout << j.dump(2) << "\n";
    *exit_code = 0;
  });
}

}  // namespace
}  // namespace contactd::bench

int main(int argc, char** argv) {
  CLI::App app{"contactd-dataset: the bench dataset for contactd and Redis"};
  app.require_subcommand(1);
  int exit_code = 0;
  contactd::bench::AddGenerate(app, &exit_code);
  contactd::bench::AddRedisLoad(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
