#include "server/write_executor.h"

#include <atomic>
#include <thread>
#include <vector>

#include <future>
#include "gtest/gtest.h"

namespace contactd::server {
namespace {

WriteExecutor::Completion Nothing() { return {}; }

WriteExecutor::Task Count(std::atomic<int>& ran) {
  return [&ran] {
    ran.fetch_add(1);
    return WriteExecutor::Completion();
  };
}

TEST(WriteExecutorTest, RunsTasksInSubmissionOrder) {
  std::vector<int> order;
  {
    WriteExecutor writer(100);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(writer.Submit([&order, i] {
        order.push_back(i);
        return WriteExecutor::Completion();
      }));
    }
    writer.Drain();
  }
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
}

TEST(WriteExecutorTest, FullQueueRefusesTasks) {
  // Declared before the executor, so they outlive its thread.
  std::promise<void> release, started;
  std::shared_future<void> released = release.get_future();
  std::future<void> running = started.get_future();
  WriteExecutor writer(2);
  ASSERT_TRUE(writer.Submit([&started, released] {
    started.set_value();
    released.wait();
    return WriteExecutor::Completion();
  }));
  running.wait();  // the queue is empty again, the thread busy
  EXPECT_TRUE(writer.Submit(Nothing));
  EXPECT_TRUE(writer.Submit(Nothing));
  EXPECT_FALSE(writer.Submit(Nothing));
  release.set_value();
}

TEST(WriteExecutorTest, DrainRunsQueuedTasksThenRefusesNewOnes) {
  std::atomic<int> ran{0};
  WriteExecutor writer(1000);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(writer.Submit(Count(ran)));
  }
  writer.Drain();
  EXPECT_EQ(ran.load(), 100);
  EXPECT_FALSE(writer.Submit(Count(ran)));
}

TEST(WriteExecutorTest, SubmitFromManyThreads) {
  std::atomic<int> ran{0};
  WriteExecutor writer(100000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(writer.Submit(Count(ran)));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  writer.Drain();
  EXPECT_EQ(ran.load(), 4000);
}

TEST(WriteExecutorTest, CompletionsRunAfterTheBatchCommits) {
  // Each completion records how many commits had happened before it ran:
  // never fewer than the commit of its own batch.
  std::atomic<int> commits{0};
  std::vector<std::pair<int, int>> seen;  // (commits when run, when done)
  {
    WriteExecutor writer(1000, [&] { commits.fetch_add(1); });
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(writer.Submit([&]() -> WriteExecutor::Completion {
        const int at_run = commits.load();
        return [&, at_run] { seen.emplace_back(at_run, commits.load()); };
      }));
    }
    writer.Drain();
  }
  ASSERT_EQ(seen.size(), 200u);
  for (const auto& [at_run, at_done] : seen) EXPECT_EQ(at_done, at_run + 1);
  EXPECT_GE(commits.load(), 1);
  EXPECT_LE(commits.load(), 200);
}

}  // namespace
}  // namespace contactd::server
