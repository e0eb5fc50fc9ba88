#include "server/io_context_pool.h"

#include <algorithm>
#include <thread>

namespace contactd::server {

IoContextPool::IoContextPool(int threads) {
  const int size = std::max(threads, 1);
  for (int i = 0; i < size; ++i) {
    // Concurrency hint 1: one thread runs it, so Asio skips waking others.
    auto context = std::make_unique<boost::asio::io_context>(1);
    work_.push_back(boost::asio::make_work_guard(*context));
    contexts_.push_back(std::move(context));
  }
}

boost::asio::io_context& IoContextPool::Next() {
  const size_t i = next_.fetch_add(1, std::memory_order_relaxed);
  return *contexts_[i % contexts_.size()];
}

void IoContextPool::Run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([context = contexts_[i].get()] { context->run(); });
  }
  contexts_.front()->run();
  for (std::thread& thread : threads) thread.join();
}

void IoContextPool::ReleaseWork() {
  std::call_once(released_, [this] {
    for (WorkGuard& guard : work_) guard.reset();
  });
}

void IoContextPool::Stop() {
  for (auto& context : contexts_) context->stop();
}

}  // namespace contactd::server
