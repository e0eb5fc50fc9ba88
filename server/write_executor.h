#pragma once
// WriteExecutor: runs every mutation of the store on one writer thread, in
// the order submitted, so I/O threads never block on the store's writer
// mutex or on an fsync, and lookups keep flowing.
//
// Group commit: the thread takes every task queued so far as one batch, runs
// them, calls `commit_batch` once (the WAL's fsync), and only then runs the
// completions the tasks returned (their replies). Writes that queue up while
// one fsync runs share the next.
//
//   WriteExecutor writer(/*max_queue=*/10000, [&] { db.CommitBatch(); });
//   bool queued = writer.Submit([&]() -> WriteExecutor::Completion {
//     auto result = store.Upsert(...);
//     return [result] { reply(result); };      // after the commit
//   });
//   if (!queued) reply BUSY;
//
// Thread safety: Submit from any thread. Tasks run on the writer thread; a
// task must not call Submit/Drain of its own executor synchronously.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"

namespace contactd::server {

class WriteExecutor {
 public:
  // Runs after the batch's commit; may be empty.
  using Completion = absl::AnyInvocable<void() &&>;
  using Task = absl::AnyInvocable<Completion() &&>;

  explicit WriteExecutor(size_t max_queue,
                         absl::AnyInvocable<void()> commit_batch = {});
  ~WriteExecutor();  // Drain()s
  WriteExecutor(const WriteExecutor&) = delete;
  WriteExecutor& operator=(const WriteExecutor&) = delete;

  // Queues `task`; false (and `task` dropped unrun) when max_queue tasks are
  // waiting or the executor is draining.
  bool Submit(Task task);
  // Refuses new tasks, runs every queued one, joins the thread. Idempotent.
  void Drain();

 private:
  void Loop();

  const size_t max_queue_;
  absl::AnyInvocable<void()> commit_batch_;
  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // TSan, which would then not see this lock (pthreads it intercepts).
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace contactd::server
