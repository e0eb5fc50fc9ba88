// contactd-bench's Redis side against a real redis-server: the dataset
// generator's Redis load, then a run whose hits and misses must be exactly
// the key list's. Skipped when redis-server is not installed (CI does not
// install it; bench/compare.sh does).
//
// redis-server cannot report a port it picked itself, so the test takes a
// port the kernel assigns (bind to port 0, then close) and hands it over;
// it reads redis-server's log through a pipe until "Ready to accept
// connections" (no sleeps), and kills it at the end.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "bench/dataset_gen/dataset_builder.h"
#include "bench/dataset_gen/redis_loader.h"
#include "bench/harness/load_run.h"
#include "bench/harness/redis_target.h"
#include "bench/harness/tcp_socket.h"
#include "snapshot/snapshot_reader.h"

namespace contactd::bench {
namespace {

std::string FindRedisServer() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
    const std::string path = std::string(dir) + "/redis-server";
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

class RedisE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string redis = FindRedisServer();
    if (redis.empty()) GTEST_SKIP() << "redis-server is not installed";
    {
      absl::StatusOr<ScopedFd> probe = ListenTcp("127.0.0.1", 0);
      ASSERT_TRUE(probe.ok());
      port_ = *LocalPort(probe->get());
    }
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      const std::string port = std::to_string(port_);
      execl(redis.c_str(), "redis-server", "--port", port.c_str(), "--bind",
            "127.0.0.1", "--save", "", "--appendonly", "no", nullptr);
      _exit(127);
    }
    close(out[1]);
    log_ = fdopen(out[0], "r");
    char line[1024];
    bool ready = false;
    while (!ready && std::fgets(line, sizeof(line), log_) != nullptr) {
      ready = std::string(line).find("Ready to accept connections") !=
              std::string::npos;
    }
    ASSERT_TRUE(ready) << "redis-server did not start on port " << port_;
    dir_ = (std::filesystem::temp_directory_path() /
            ("redis_e2e_test_" + std::to_string(::getpid())))
               .string();
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (log_ != nullptr) std::fclose(log_);
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  pid_t pid_ = -1;
  FILE* log_ = nullptr;
  uint16_t port_ = 0;
  std::string dir_;
};

TEST_F(RedisE2eTest, LoadedDatasetAnswersTheKeyListAsLabelled) {
  ASSERT_TRUE(GenerateDataset({.out_dir = dir_,
                               .contacts = 500,
                               .tenants = 3,
                               .keys = 1'000,
                               .writes = 10,
                               .progress = false})
                  .ok());
  absl::StatusOr<snapshot::LoadedSnapshot> loaded =
      snapshot::LoadSnapshot(DatasetSnapshotPath(dir_));
  ASSERT_TRUE(loaded.ok());
  absl::StatusOr<RedisLoadResult> load =
      LoadRedis(loaded->records, "127.0.0.1", port_, 64);
  ASSERT_TRUE(load.ok()) << load.status();
  EXPECT_EQ(load->contacts, 500u);

  absl::StatusOr<Workload> workload =
      LoadWorkload(dir_ + "/keys.tsv", dir_ + "/writes.jsonl");
  ASSERT_TRUE(workload.ok()) << workload.status();
  // Only hits, then only misses: every reply must agree with the label.
  for (double hit_ratio : {1.0, 0.0}) {
    LoadOptions o;
    o.port = port_;
    o.connections = 2;
    o.pipeline = 4;
    o.warmup_seconds = 0;
    o.requests = 2'000;
    o.picker.hit_ratio = hit_ratio;
    o.picker.write_ratio = 0.05;
    absl::StatusOr<std::unique_ptr<RedisTarget>> target =
        RedisTarget::Create(*workload);
    ASSERT_TRUE(target.ok());
    absl::StatusOr<LoadResult> r = RunLoad(o, **target, *workload);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->stats.errors + r->stats.unanswered, 0u);
    EXPECT_GT(r->stats.written, 0u);
    EXPECT_EQ(hit_ratio == 1.0 ? r->stats.misses : r->stats.hits, 0u);
  }
}

}  // namespace
}  // namespace contactd::bench
