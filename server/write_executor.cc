#include "server/write_executor.h"

#include <utility>

namespace contactd::server {

WriteExecutor::WriteExecutor(size_t max_queue,
                             absl::AnyInvocable<void()> commit_batch)
    : max_queue_(max_queue), commit_batch_(std::move(commit_batch)) {
  if (commit_batch_) committer_ = std::thread([this] { CommitterLoop(); });
  writer_ = std::thread([this] { WriterLoop(); });
}

WriteExecutor::~WriteExecutor() { Drain(); }

bool WriteExecutor::Submit(Task task) {
  {
    std::lock_guard lock(mu_);
    if (draining_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void WriteExecutor::Drain() {
  {
    std::lock_guard lock(mu_);
    draining_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  // The writer has handed over its last completions: let the committer
  // commit them and stop.
  {
    std::lock_guard lock(commit_mu_);
    writer_done_ = true;
  }
  commit_wake_.notify_one();
  if (committer_.joinable()) committer_.join();
}

void WriteExecutor::WriterLoop() {
  for (;;) {
    std::deque<Task> batch;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return draining_ || !queue_.empty(); });
      if (queue_.empty()) return;  // draining and nothing left
      batch.swap(queue_);
    }
    std::vector<Completion> completions;
    completions.reserve(batch.size());
    for (Task& task : batch) completions.push_back(std::move(task)());
    if (commit_batch_) {
      HandOver(std::move(completions));
      continue;
    }
    for (Completion& done : completions) {
      if (done) std::move(done)();
    }
  }
}

void WriteExecutor::HandOver(std::vector<Completion> completions) {
  {
    std::lock_guard lock(commit_mu_);
    if (uncommitted_.empty()) {
      uncommitted_ = std::move(completions);
    } else {
      for (Completion& done : completions)
        uncommitted_.push_back(std::move(done));
    }
  }
  commit_wake_.notify_one();
}

void WriteExecutor::CommitterLoop() {
  for (;;) {
    std::vector<Completion> completions;
    {
      std::unique_lock lock(commit_mu_);
      commit_wake_.wait(
          lock, [this] { return writer_done_ || !uncommitted_.empty(); });
      if (uncommitted_.empty()) return;  // the writer stopped, all committed
      completions.swap(uncommitted_);
    }
    // Covers every task whose completion was handed over before this call.
    commit_batch_();
    for (Completion& done : completions) {
      if (done) std::move(done)();
    }
  }
}

}  // namespace contactd::server
