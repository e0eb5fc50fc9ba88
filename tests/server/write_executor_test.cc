#include "server/write_executor.h"

#include <atomic>
#include <thread>
#include <vector>

#include <future>
#include "gtest/gtest.h"

namespace contactd::server {
namespace {

TEST(WriteExecutorTest, RunsTasksInSubmissionOrder) {
  std::vector<int> order;
  {
    WriteExecutor writer(100);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(writer.Submit([&order, i] { order.push_back(i); }));
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
  }));
  running.wait();  // the queue is empty again, the thread busy
  EXPECT_TRUE(writer.Submit([] {}));
  EXPECT_TRUE(writer.Submit([] {}));
  EXPECT_FALSE(writer.Submit([] {}));
  release.set_value();
}

TEST(WriteExecutorTest, DrainRunsQueuedTasksThenRefusesNewOnes) {
  std::atomic<int> ran{0};
  WriteExecutor writer(1000);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(writer.Submit([&] { ran.fetch_add(1); }));
  }
  writer.Drain();
  EXPECT_EQ(ran.load(), 100);
  EXPECT_FALSE(writer.Submit([&] { ran.fetch_add(1); }));
}

TEST(WriteExecutorTest, SubmitFromManyThreads) {
  std::atomic<int> ran{0};
  WriteExecutor writer(100000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(writer.Submit([&] { ran.fetch_add(1); }));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  writer.Drain();
  EXPECT_EQ(ran.load(), 4000);
}

}  // namespace
}  // namespace contactd::server
