# Warnings are errors for the project's own code. Dependencies are included as
# system headers (/usr/include), so their warnings do not count.
add_library(contactd_warnings INTERFACE)
target_compile_options(contactd_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Wimplicit-fallthrough -Wno-missing-field-initializers -Werror
  # GCC 12 at -O3 reports `"literal" + std::string` as an overlapping
  # memcpy (a false positive, GCC bug 105329), which fails -Werror in a
  # Release build of the tests.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)

# Attaches the project's warning flags to a target.
function(contactd_target_warnings target)
  target_link_libraries(${target} PRIVATE contactd_warnings)
endfunction()
