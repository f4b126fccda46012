# cmake -DINCLUDE_DIR=<agentkit's include/> -P includes_declared.cmake
# Every #include <...> of every public header (and of the impl/*.ipp files the headers include) must be
# satisfied by what the package declares: the C++ and C standard libraries, POSIX, the compiler's intrinsics,
# the core's dependencies (Boost headers, range-v3, RapidJSON), and a component's dependency only in that
# component's headers (SQLiteCpp / SQLite in agentkit::sqlite's, OpenSSL and Beast in agentkit::http's, yaml-cpp in agentkit::yaml's). An
# include of anything else would compile here, where it happens to be installed, and fail for a user of the
# installed package who has only the declared dependencies.
cmake_policy(VERSION 3.23)
file(GLOB_RECURSE _files RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/agentkit/*.hpp ${INCLUDE_DIR}/agentkit/*.ipp)
list(SORT _files)
# The headers of each optional component (docs/packaging.md), as patterns.
set(_sqlite_headers "^agentkit/(cache/sqlite_store|storage/sqlite_[a-z_]+|storage/sqlite/[a-z_]+)\\.hpp$")
set(_http_headers "^agentkit/transport/(impl/)?(http|http_server)\\.(hpp|ipp)$")
set(_yaml_headers "^agentkit/config/(impl/)?yaml\\.(hpp|ipp)$")
set(_problems "")
set(_count 0)
foreach(_f ${_files})
  file(STRINGS ${INCLUDE_DIR}/${_f} _lines REGEX "^[ \t]*#[ \t]*include[ \t]*<[^>]+>")
  foreach(_line ${_lines})
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*<([^>]+)>.*" "\\1" _inc "${_line}")
    math(EXPR _count "${_count} + 1")
    if(_inc MATCHES "^agentkit/")
      if(NOT EXISTS ${INCLUDE_DIR}/${_inc})
        string(APPEND _problems "  ${_f}: <${_inc}> is not a header of the package\n")
      endif()
    elseif(_inc MATCHES "^[a-z_0-9]+$")                       # <vector>, <cstdint>: C++ standard library
    elseif(_inc MATCHES "^(unistd|fcntl|poll|spawn|signal|pthread|time|errno)\\.h$" OR _inc MATCHES "^(sys|netinet|arpa)/")
    elseif(_inc MATCHES "intrin\\.h$" OR _inc STREQUAL "cpuid.h")  # the compiler's own
    elseif(_inc MATCHES "^(boost/beast|boost/asio/ssl|openssl/)")
      if(NOT _f MATCHES "${_http_headers}")
        string(APPEND _problems "  ${_f}: <${_inc}> needs OpenSSL (agentkit::http) but the header is not agentkit::http's\n")
      endif()
    elseif(_inc MATCHES "^(boost|range|meta|concepts|rapidjson)/")   # the core's: Boost, range-v3, RapidJSON
    elseif(_inc MATCHES "^yaml-cpp/")
      if(NOT _f MATCHES "${_yaml_headers}")
        string(APPEND _problems "  ${_f}: <${_inc}> needs agentkit::yaml but the header is not agentkit::yaml's\n")
      endif()
    elseif(_inc MATCHES "^SQLiteCpp/" OR _inc STREQUAL "sqlite3.h")
      if(NOT _f MATCHES "${_sqlite_headers}")
        string(APPEND _problems "  ${_f}: <${_inc}> needs agentkit::sqlite but the header is not agentkit::sqlite's\n")
      endif()
    else()
      string(APPEND _problems "  ${_f}: <${_inc}> belongs to no declared dependency\n")
    endif()
  endforeach()
endforeach()
list(LENGTH _files _n)
if(_problems)
  message(FATAL_ERROR "includes that the package does not declare:\n${_problems}")
endif()
message(STATUS "${_n} headers, ${_count} includes: every one is declared")
