#include "server/write_executor.h"

#include <utility>

namespace contactd::server {

WriteExecutor::WriteExecutor(size_t max_queue)
    : max_queue_(max_queue), thread_([this] { Loop(); }) {}

WriteExecutor::~WriteExecutor() { Drain(); }

bool WriteExecutor::Submit(Task task) {
  absl::MutexLock lock(&mu_);
  if (draining_ || queue_.size() >= max_queue_) return false;
  queue_.push_back(std::move(task));
  return true;
}

void WriteExecutor::Drain() {
  {
    absl::MutexLock lock(&mu_);
    draining_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void WriteExecutor::Loop() {
  for (;;) {
    std::deque<Task> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WriteExecutor* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return self->draining_ || !self->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // draining and nothing left
      batch.swap(queue_);
    }
    for (Task& task : batch) std::move(task)();
  }
}

}  // namespace contactd::server
