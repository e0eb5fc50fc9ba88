# CONTACTD_SANITIZE=address builds everything with ASan + UBSan;
# CONTACTD_SANITIZE=thread with TSan. Both abort on the first report.
if(CONTACTD_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(CONTACTD_SANITIZE STREQUAL "thread")
  # -Wno-tsan: Boost.Asio's scheduler uses std::atomic_thread_fence, which
  # GCC 12 warns TSan does not model; it pairs each fence with a mutex, so
  # TSan still sees the happens-before edges (a missed one would show up as
  # a report, not hide one).
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
elseif(NOT CONTACTD_SANITIZE STREQUAL "")
  message(FATAL_ERROR "CONTACTD_SANITIZE must be '', 'address' or 'thread'")
endif()
