// The load generator against the in-process echo server over loopback
// (port 0): closed loop with pipelining, request counts, open loop.

#include "bench/harness/load_run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "bench/harness/echo_server.h"
#include "bench/harness/echo_target.h"

namespace contactd::bench {
namespace {

class LoadRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<EchoServer>> server =
        EchoServer::Create("127.0.0.1", 0);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    thread_ = std::thread([this] { ASSERT_TRUE(server_->Run().ok()); });
    workload_.keys.push_back({.input = "-", .redis_key = "-"});
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }
  LoadOptions Options() const {
    LoadOptions o;
    o.port = server_->port();
    o.warmup_seconds = 0;
    return o;
  }

  std::unique_ptr<EchoServer> server_;
  std::thread thread_;
  Workload workload_;
  EchoTarget target_;
};

TEST_F(LoadRunTest, ClosedLoopAnswersExactlyTheRequestsAsked) {
  LoadOptions o = Options();
  o.connections = 4;
  o.pipeline = 8;
  o.threads = 2;
  o.requests = 5'000;
  absl::StatusOr<LoadResult> r = RunLoad(o, target_, workload_);
  ASSERT_TRUE(r.ok()) << r.status();
  // Each of the 2 threads measures requests / threads.
  EXPECT_EQ(r->stats.replies(), 5'000u);
  EXPECT_EQ(r->stats.hits, 5'000u);
  EXPECT_EQ(r->stats.errors + r->stats.unanswered, 0u);
  EXPECT_EQ(r->stats.latency.count(), 5'000u);
  EXPECT_GT(r->throughput(), 0);
}

TEST_F(LoadRunTest, OpenLoopSendsTheWholeSchedule) {
  LoadOptions o = Options();
  o.connections = 3;
  o.rate = 20'000;
  o.duration_seconds = 0.1;
  absl::StatusOr<LoadResult> r = RunLoad(o, target_, workload_);
  ASSERT_TRUE(r.ok()) << r.status();
  // 0.1 s at 20K/s: exactly the 2,000 intended requests, all answered.
  EXPECT_EQ(r->stats.replies(), 2'000u);
  EXPECT_EQ(r->stats.unanswered, 0u);
  EXPECT_EQ(r->stats.send_lag.count(), 2'000u);
  EXPECT_NEAR(r->window_seconds, 0.1, 1e-9);
}

// The echo server runs in this process, so "the server's" CPU time over
// the window is the client's own, sampled at the same moments.
TEST_F(LoadRunTest, ReportsTheServersCpuOverTheWindow) {
  LoadOptions o = Options();
  o.connections = 2;
  o.duration_seconds = 0.3;
  o.server_pid = getpid();
  absl::StatusOr<LoadResult> r = RunLoad(o, target_, workload_);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->server_cpu_seconds.has_value());
  EXPECT_GT(r->client_cpu_seconds, 0);
  // /proc counts in clock ticks (10 ms): allow a few.
  EXPECT_NEAR(*r->server_cpu_seconds, r->client_cpu_seconds, 0.05);
}

TEST_F(LoadRunTest, NoServerCpuWithoutAPid) {
  LoadOptions o = Options();
  o.requests = 100;
  absl::StatusOr<LoadResult> r = RunLoad(o, target_, workload_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->server_cpu_seconds.has_value());
}

TEST_F(LoadRunTest, NoServerIsAnError) {
  LoadOptions o = Options();
  ScopedFd unused;
  {
    absl::StatusOr<ScopedFd> listener = ListenTcp("127.0.0.1", 0);
    ASSERT_TRUE(listener.ok());
    o.port = *LocalPort(listener->get());
  }  // closed: nothing listens on the port now
  EXPECT_FALSE(RunLoad(o, target_, workload_).ok());
}

}  // namespace
}  // namespace contactd::bench
