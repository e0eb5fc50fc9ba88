#include "index/epoch.h"

#include <thread>

namespace contactd::index {

// Per-thread state: the slot this thread announces its epoch in, and how
// deeply its guards nest. The slot goes back to the domain at thread exit.
struct EpochThreadState {
  EpochDomain::ReaderSlot* slot = nullptr;
  int depth = 0;

  ~EpochThreadState() {
    if (slot != nullptr) Epochs().ReleaseSlot(slot);
  }
};

namespace {
thread_local EpochThreadState t_state;
}  // namespace

EpochDomain& Epochs() {
  // Never destroyed: threads may still exit (and release slots) during
  // static destruction.
  static EpochDomain* const domain = new EpochDomain();
  return *domain;
}

EpochDomain::~EpochDomain() {
  absl::MutexLock lock(&mu_);
  FreeUpTo(~uint64_t{0});
}

EpochDomain::ReaderSlot* EpochDomain::AcquireSlot() {
  for (size_t i = 0; i < kMaxReaderThreads; ++i) {
    bool expected = false;
    if (slots_[i].in_use.compare_exchange_strong(expected, true,
                                                 std::memory_order_acq_rel)) {
      size_t high = slot_high_water_.load(std::memory_order_relaxed);
      while (high < i + 1 && !slot_high_water_.compare_exchange_weak(
                                 high, i + 1, std::memory_order_acq_rel)) {
      }
      return &slots_[i];
    }
  }
  // More concurrent reader threads than slots is a configuration error that
  // would otherwise make reclamation unsafe.
  std::abort();
}

void EpochDomain::ReleaseSlot(ReaderSlot* slot) {
  slot->epoch.store(ReaderSlot::kIdle, std::memory_order_seq_cst);
  slot->in_use.store(false, std::memory_order_release);
}

void EpochDomain::Retire(void* object, void (*deleter)(void*), size_t bytes) {
  const uint64_t epoch = global_epoch_.load(std::memory_order_seq_cst);
  size_t pending;
  {
    absl::MutexLock lock(&mu_);
    retired_.push_back({object, deleter, bytes, epoch});
    retired_bytes_ += bytes;
    pending = retired_.size();
  }
  // Amortize: try to free once a batch has built up.
  if (pending >= 64) Reclaim();
}

bool EpochDomain::TryAdvance() {
  const uint64_t epoch = global_epoch_.load(std::memory_order_seq_cst);
  const size_t n = slot_high_water_.load(std::memory_order_acquire);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t seen = slots_[i].epoch.load(std::memory_order_seq_cst);
    if (seen != ReaderSlot::kIdle && seen != epoch) return false;
  }
  uint64_t expected = epoch;
  return global_epoch_.compare_exchange_strong(expected, epoch + 1,
                                               std::memory_order_seq_cst);
}

size_t EpochDomain::Reclaim() {
  TryAdvance();
  const uint64_t epoch = global_epoch_.load(std::memory_order_seq_cst);
  if (epoch < 2) return 0;
  absl::MutexLock lock(&mu_);
  return FreeUpTo(epoch - 2);
}

size_t EpochDomain::FreeUpTo(uint64_t safe_epoch) {
  size_t kept = 0;
  size_t freed = 0;
  for (Retired& r : retired_) {
    if (r.epoch <= safe_epoch) {
      r.deleter(r.object);
      retired_bytes_ -= r.bytes;
      ++freed;
    } else {
      retired_[kept++] = r;
    }
  }
  retired_.resize(kept);
  return freed;
}

void EpochDomain::Synchronize() {
  const uint64_t target = global_epoch_.load(std::memory_order_seq_cst) + 2;
  for (int spins = 0; global_epoch_.load(std::memory_order_seq_cst) < target;
       ++spins) {
    if (!TryAdvance() && spins > 100) std::this_thread::yield();
  }
  Reclaim();
}

size_t EpochDomain::retired_count() const {
  absl::MutexLock lock(&mu_);
  return retired_.size();
}

size_t EpochDomain::retired_bytes() const {
  absl::MutexLock lock(&mu_);
  return retired_bytes_;
}

EpochGuard::EpochGuard() {
  EpochThreadState& state = t_state;
  if (state.depth++ > 0) return;
  EpochDomain& domain = Epochs();
  if (state.slot == nullptr) state.slot = domain.AcquireSlot();
  // Invariant 1: announce before loading any shared pointer. The seq_cst
  // store orders it before the reader's later seq_cst pointer loads.
  state.slot->epoch.store(domain.global_epoch_.load(std::memory_order_seq_cst),
                          std::memory_order_seq_cst);
}

EpochGuard::~EpochGuard() {
  EpochThreadState& state = t_state;
  if (--state.depth > 0) return;
  state.slot->epoch.store(EpochDomain::ReaderSlot::kIdle,
                          std::memory_order_release);
}

}  // namespace contactd::index
