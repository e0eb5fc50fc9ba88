#include "server/write_executor.h"

#include <utility>
#include <vector>

namespace contactd::server {

WriteExecutor::WriteExecutor(size_t max_queue,
                             absl::AnyInvocable<void()> commit_batch)
    : max_queue_(max_queue),
      commit_batch_(std::move(commit_batch)),
      thread_([this] { Loop(); }) {}

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
  if (thread_.joinable()) thread_.join();
}

void WriteExecutor::Loop() {
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
    if (commit_batch_) commit_batch_();
    for (Completion& done : completions) {
      if (done) std::move(done)();
    }
  }
}

}  // namespace contactd::server
