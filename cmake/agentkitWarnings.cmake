# Warning flags for agentkit's own tests, examples and benchmarks (never forced on users).
include_guard(GLOBAL)
add_library(agentkit_warnings INTERFACE)
if(AGENTKIT_WERROR)
  target_compile_options(agentkit_warnings INTERFACE -Wall -Wextra -Wpedantic -Werror)
endif()
