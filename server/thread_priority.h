#pragma once
// Thread priorities: bulk and secondary work must not take cores from the
// lookups on a small box. Linux applies a thread's nice value to that
// thread alone.

namespace contactd::server {

// Checkpoints and reloads (the admin thread).
inline constexpr int kBackgroundNice = 10;
// The HTTP threads: the REST API and admin port yield to binary lookups.
inline constexpr int kHttpNice = 5;

// Sets the calling thread's nice value (higher: lower priority); false
// when the kernel refuses. Lowering needs no privilege.
bool SetThisThreadNice(int nice);

}  // namespace contactd::server
