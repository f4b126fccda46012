# Finds agentkit's dependencies the way Debian 12 ships them. Used by our build and, installed next to
# agentkitConfig.cmake, by every consumer, so both see the same targets.
#   - Boost 1.81 (not 1.74: clang++ 14 has no asio::awaitable there). Hana/Asio/Beast are header-only:
#     link Boost::headers; `COMPONENTS hana` does not exist and fails.
#   - range-v3: its config does an exact version compare, so ask for no version.
#   - SQLiteCpp's imported target is plain `SQLiteCpp`; yaml-cpp 0.7's is plain `yaml-cpp` (0.8 adds
#     `yaml-cpp::yaml-cpp`; we link whichever exists through agentkit's own alias).
#   - RapidJSON (the JSON wire codecs, the config loader, tool-argument checks; reached from agent.hpp): its
#     Debian config defines no target (only a variable, and prints a line): we provide RapidJSON::RapidJSON.
# AGENTKIT_WITH_<COMPONENT> (set by our CMakeLists.txt or by agentkitConfig.cmake from the requested
# COMPONENTS) says which optional parts to look for.
include_guard(GLOBAL)

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED)
find_package(range-v3 CONFIG REQUIRED)
if(NOT TARGET RapidJSON::RapidJSON)
  find_path(AGENTKIT_RAPIDJSON_INCLUDE_DIR rapidjson/document.h)
  if(NOT AGENTKIT_RAPIDJSON_INCLUDE_DIR)
    message(FATAL_ERROR "agentkit needs RapidJSON 1.1 (Debian: rapidjson-dev)")
  endif()
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  set_target_properties(RapidJSON::RapidJSON PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${AGENTKIT_RAPIDJSON_INCLUDE_DIR}")
endif()

if(AGENTKIT_WITH_SQLITE)
  find_package(SQLite3 QUIET)
  find_package(SQLiteCpp CONFIG QUIET)
  if(NOT TARGET SQLiteCpp OR NOT TARGET SQLite::SQLite3)
    message(FATAL_ERROR "agentkit::sqlite needs SQLiteCpp and SQLite3 (Debian: libsqlitecpp-dev libsqlite3-dev); "
                        "build agentkit with -DAGENTKIT_WITH_SQLITE=OFF or do not ask for the sqlite component")
  endif()
endif()

if(AGENTKIT_WITH_HTTP)
  find_package(OpenSSL QUIET)
  if(NOT TARGET OpenSSL::SSL)
    message(FATAL_ERROR "agentkit::http needs OpenSSL (Debian: libssl-dev); "
                        "build agentkit with -DAGENTKIT_WITH_HTTP=OFF or do not ask for the http component")
  endif()
endif()

if(AGENTKIT_WITH_YAML)
  find_package(yaml-cpp CONFIG QUIET)
  if(NOT TARGET yaml-cpp AND NOT TARGET yaml-cpp::yaml-cpp)
    message(FATAL_ERROR "agentkit::yaml needs yaml-cpp (Debian: libyaml-cpp-dev); "
                        "build agentkit with -DAGENTKIT_WITH_YAML=OFF or do not ask for the yaml component")
  endif()
endif()
