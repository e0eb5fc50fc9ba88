#pragma once
// Epoch-based reclamation (EBR): lets readers use immutable objects with no
// lock while a writer replaces them, and frees a replaced object only once no
// reader can still hold it.
//
//   // reader, any thread
//   EpochGuard guard;                       // pin: a few ns, never waits
//   const Shard* s = slot.load(std::memory_order_seq_cst);
//   ... use s ...                           // valid until guard is destroyed
//
//   // writer (serialized by its own lock)
//   slot.store(new_shard, std::memory_order_seq_cst);
//   Epochs().Retire(old_shard);             // freed after a grace period
//
// Thread safety: EpochGuard is per thread and nests. Retire and Reclaim may
// be called from any thread (they take an internal mutex that readers never
// touch).
//
// Invariants (docs/architecture.md, "Concurrency invariants"):
//  1. A reader announces the global epoch it saw in its own slot (a seq_cst
//     store) before it loads any pointer to a shared object, and clears the
//     slot after its last use of such a pointer.
//  2. The writer unlinks an object (seq_cst store of its replacement) before
//     retiring it; retiring records the global epoch E at that moment.
//  3. The global epoch moves from E to E+1 only when every pinned slot shows
//     E. So once the epoch reaches E+2, every reader pinned at the time of
//     the unlink has left, and readers pinned since cannot see the object.
//  4. Objects retired at E are freed only when the global epoch is >= E+2.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace contactd::index {

class EpochDomain {
 public:
  // Most threads that will ever read at the same time. A thread takes a slot
  // on its first guard and gives it back when it exits.
  static constexpr size_t kMaxReaderThreads = 1024;

  EpochDomain() = default;
  ~EpochDomain();  // frees everything still retired; REQUIRES: no readers
  EpochDomain(const EpochDomain&) = delete;
  EpochDomain& operator=(const EpochDomain&) = delete;

  // Schedules `deleter(object)` for when no reader can hold `object`.
  // REQUIRES: `object` is no longer reachable by new readers.
  void Retire(void* object, void (*deleter)(void*), size_t bytes);
  template <typename T>
  void Retire(const T* object) {
    Retire(
        const_cast<T*>(object), [](void* p) { delete static_cast<T*>(p); },
        sizeof(T));
  }

  // Advances the epoch if possible and frees what is safe to free.
  // Returns the number of objects freed.
  size_t Reclaim();
  // Waits (spinning, then yielding) until everything retired before the call
  // is freed. For tests, shutdown and bulk swaps; REQUIRES: the calling thread
  // holds no EpochGuard.
  void Synchronize();

  size_t retired_count() const;
  size_t retired_bytes() const;

 private:
  friend class EpochGuard;
  friend struct EpochThreadState;
  struct alignas(64) ReaderSlot {
    static constexpr uint64_t kIdle = ~uint64_t{0};
    std::atomic<uint64_t> epoch{kIdle};
    std::atomic<bool> in_use{false};
  };
  struct Retired {
    void* object;
    void (*deleter)(void*);
    size_t bytes;
    uint64_t epoch;
  };

  ReaderSlot* AcquireSlot();
  void ReleaseSlot(ReaderSlot* slot);
  bool TryAdvance();
  size_t FreeUpTo(uint64_t safe_epoch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::atomic<uint64_t> global_epoch_{0};
  std::atomic<size_t> slot_high_water_{0};
  ReaderSlot slots_[kMaxReaderThreads];

  mutable absl::Mutex mu_;
  std::vector<Retired> retired_ ABSL_GUARDED_BY(mu_);
  size_t retired_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

// The process-wide domain every index uses.
EpochDomain& Epochs();

// Pins the calling thread for its lifetime: objects loaded while it lives are
// not freed before it is destroyed. Nests; not copyable; stack only.
class EpochGuard {
 public:
  EpochGuard();
  ~EpochGuard();
  EpochGuard(const EpochGuard&) = delete;
  EpochGuard& operator=(const EpochGuard&) = delete;
};

}  // namespace contactd::index
