#include "server/write_executor.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

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

TEST(WriteExecutorTest, CompletionsRunAfterACommitThatBeganAfterTheirTask) {
  // Each task records how many commits had begun when it ran (s); its
  // completion must find commit s + 1, which began after it, finished.
  std::atomic<int> begun{0}, finished{0};
  std::vector<std::pair<int, int>> seen;  // (begun at run, finished at done)
  {
    WriteExecutor writer(1000, [&] {
      begun.fetch_add(1);
      finished.fetch_add(1);
    });
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(writer.Submit([&]() -> WriteExecutor::Completion {
        const int at_run = begun.load();
        return [&, at_run] { seen.emplace_back(at_run, finished.load()); };
      }));
    }
    writer.Drain();
  }
  ASSERT_EQ(seen.size(), 200u);
  for (const auto& [at_run, at_done] : seen) EXPECT_GT(at_done, at_run);
  EXPECT_GE(finished.load(), 1);
  EXPECT_LE(finished.load(), 200);
}

TEST(WriteExecutorTest, TasksRunWhileACommitIsInProgress) {
  // Declared before the executor, so they outlive its threads.
  std::promise<void> release, committing;
  std::shared_future<void> released = release.get_future();
  std::future<void> in_commit = committing.get_future();
  std::atomic<int> commits{0};
  std::atomic<bool> second_replied{false};
  WriteExecutor writer(100, [&] {
    if (commits.fetch_add(1) == 0) {
      committing.set_value();
      released.wait();  // the first commit hangs, as a slow fsync would
    }
  });
  ASSERT_TRUE(writer.Submit(Nothing));
  in_commit.wait();
  std::promise<void> ran;
  std::future<void> second_ran = ran.get_future();
  ASSERT_TRUE(writer.Submit([&]() -> WriteExecutor::Completion {
    ran.set_value();
    return [&] { second_replied = true; };
  }));
  // The writer does not wait for the commit (a deadline, not a hang, if
  // it did).
  const bool ran_during_commit =
      second_ran.wait_for(std::chrono::seconds(30)) ==
      std::future_status::ready;
  const bool replied_during_commit = second_replied.load();
  release.set_value();
  EXPECT_TRUE(ran_during_commit);
  EXPECT_FALSE(replied_during_commit);
  writer.Drain();
  EXPECT_TRUE(second_replied.load());
  EXPECT_EQ(commits.load(), 2);  // its own commit, after the hung one
}

TEST(WriteExecutorTest, WithoutACommitCompletionsRunOnTheWriterThread) {
  std::thread::id task_thread, completion_thread;
  {
    WriteExecutor writer(10);
    ASSERT_TRUE(writer.Submit([&]() -> WriteExecutor::Completion {
      task_thread = std::this_thread::get_id();
      return [&] { completion_thread = std::this_thread::get_id(); };
    }));
    writer.Drain();
  }
  EXPECT_EQ(task_thread, completion_thread);
}

}  // namespace
}  // namespace contactd::server
