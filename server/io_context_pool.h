#pragma once
// IoContextPool: the binary port's I/O threads, one io_context each.
//
// Each connection lives on one io_context that only one thread runs, so its
// handlers never migrate between threads and need no strand, and a reply
// completes on the thread that read the request: no futex wake-up of a
// sibling thread, no shared epoll set per request. (One io_context shared by
// all threads cost about 3.5 futex calls per request under load.)
// New connections are spread round-robin.
//
//   IoContextPool pool(2);
//   acceptor.async_accept(pool.Next(), ...);
//   pool.Run();           // returns once ReleaseWork() and all work is done,
//   pool.ReleaseWork();   // or at once after Stop()
//
// Thread safety: Next, ReleaseWork and Stop from any thread; Run once.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"

namespace contactd::server {

class IoContextPool {
 public:
  explicit IoContextPool(int threads);
  IoContextPool(const IoContextPool&) = delete;
  IoContextPool& operator=(const IoContextPool&) = delete;

  // The first context: the acceptor and the stop deadline live there.
  boost::asio::io_context& Front() { return *contexts_.front(); }
  // The context for the next new connection.
  boost::asio::io_context& Next();

  // Runs every context, one on the calling thread; returns when all have
  // returned.
  void Run();
  // Lets Run() return once the contexts run out of work (until then an idle
  // context keeps waiting for connections). Idempotent.
  void ReleaseWork();
  // Stops every context now, abandoning queued handlers.
  void Stop();

 private:
  using WorkGuard =
      boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<WorkGuard> work_;
  std::once_flag released_;
  std::atomic<size_t> next_{0};
};

}  // namespace contactd::server
