# CONTACTD_SANITIZE=address builds everything with ASan + UBSan;
# CONTACTD_SANITIZE=thread with TSan. Both abort on the first report.
if(CONTACTD_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(CONTACTD_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT CONTACTD_SANITIZE STREQUAL "")
  message(FATAL_ERROR "CONTACTD_SANITIZE must be '', 'address' or 'thread'")
endif()
