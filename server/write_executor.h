#pragma once
// WriteExecutor: runs every mutation of the store on one writer thread, in
// the order submitted, so I/O threads never block on the store's writer
// mutex or on an fsync, and lookups keep flowing.
//
// Group commit: the writer thread takes every task queued so far as one
// batch and runs them. Without `commit_batch` it then runs the completions
// the tasks returned (their replies) itself. With one, it hands the
// completions to a committer thread and goes on with the next batch: the
// committer takes every completion handed over so far, calls `commit_batch`
// once (the WAL's fsync) and only then runs them. So the writer applies new
// writes while an fsync runs, and the next fsync covers all of them; before,
// the writer sat idle during each fsync (bench/README.md, "Durability":
// ~18 % more acknowledged writes with 8 in flight per connection).
//
//   WriteExecutor writer(/*max_queue=*/10000, [&] { db.CommitBatch(); });
//   bool queued = writer.Submit([&]() -> WriteExecutor::Completion {
//     auto result = store.Upsert(...);
//     return [result] { reply(result); };      // after the commit
//   });
//   if (!queued) reply BUSY;
//
// Thread safety: Submit from any thread. Tasks run on the writer thread,
// completions on the committer thread when there is a `commit_batch`, and
// `commit_batch` must cover everything the tasks did before it was called
// (WalWriter::Sync does). A task must not call Submit/Drain of its own
// executor synchronously.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

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
  // Refuses new tasks, runs every queued one and its completion, joins the
  // threads. Idempotent.
  void Drain();

 private:
  void WriterLoop();
  void CommitterLoop();
  // Gives the committer completions to run after its next commit.
  void HandOver(std::vector<Completion> completions);

  const size_t max_queue_;
  absl::AnyInvocable<void()> commit_batch_;
  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // TSan, which would then not see this lock (pthreads it intercepts).
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  bool draining_ ABSL_GUARDED_BY(mu_) = false;

  // Completions waiting for the next commit (only with a commit_batch_).
  std::mutex commit_mu_;
  std::condition_variable commit_wake_;
  std::vector<Completion> uncommitted_ ABSL_GUARDED_BY(commit_mu_);
  bool writer_done_ ABSL_GUARDED_BY(commit_mu_) = false;

  std::thread committer_;  // started first, joined last
  std::thread writer_;
};

}  // namespace contactd::server
