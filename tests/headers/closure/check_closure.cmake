# Include closure of one public header: a translation unit that includes only HEADER must not pull in any
# header whose path matches FORBIDDEN (default: networking and JSON: Boost.Asio, Boost.Beast, OpenSSL,
# RapidJSON). A user who takes only the chunker or only the cache then compiles none of them.
#
#   cmake -DCXX=<compiler> -DINCLUDE_DIR=<agentkit>/include -DHEADER=agentkit/text/chunk_view.hpp
#         -DWORK_DIR=<dir> [-DFORBIDDEN=<regex;...>] [-DFLAGS=<flag;...>] -P check_closure.cmake
#
# It preprocesses `#include <HEADER>` with -H (the compiler prints every header it opens, one dot per
# include depth) and rebuilds, for the first header of each forbidden library, the chain of includes that
# reached it. Fails listing those chains.
cmake_minimum_required(VERSION 3.23)
foreach(_v CXX INCLUDE_DIR HEADER WORK_DIR)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "check_closure.cmake: -D${_v}=... is required")
  endif()
endforeach()
if(NOT DEFINED FORBIDDEN)
  set(FORBIDDEN "/boost/asio[/.]" "/boost/beast[/.]" "/openssl/" "/rapidjson/")
endif()

string(MAKE_C_IDENTIFIER "${HEADER}" _id)
file(MAKE_DIRECTORY "${WORK_DIR}")
set(_tu "${WORK_DIR}/${_id}.cpp")
file(WRITE "${_tu}" "#include <${HEADER}>\n")
execute_process(COMMAND "${CXX}" -std=gnu++20 ${FLAGS} -I "${INCLUDE_DIR}" -H -E "${_tu}" -o "${WORK_DIR}/${_id}.ii"
                RESULT_VARIABLE _rc ERROR_VARIABLE _trace)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${HEADER}: the preprocessor failed:\n${_trace}")
endif()
file(REMOVE "${WORK_DIR}/${_id}.ii")

# -H lines look like ". /usr/include/boost/asio.hpp" (depth 1 = included by the TU itself).
string(REPLACE ";" "\\;" _trace "${_trace}")
string(REPLACE "\n" ";" _lines "${_trace}")
set(_chain "")            # _chain_<d> = header at depth d on the current path
set(_found_patterns "")
set(_report "")
foreach(_line IN LISTS _lines)
  if(NOT _line MATCHES "^(\\.+) (.+)$")
    continue()
  endif()
  string(LENGTH "${CMAKE_MATCH_1}" _depth)
  set(_path "${CMAKE_MATCH_2}")
  set(_chain_${_depth} "${_path}")
  foreach(_pattern IN LISTS FORBIDDEN)
    if(_path MATCHES "${_pattern}" AND NOT _pattern IN_LIST _found_patterns)
      list(APPEND _found_patterns "${_pattern}")
      set(_text "  ${HEADER}")
      foreach(_d RANGE 1 ${_depth})
        string(APPEND _text "\n    -> ${_chain_${_d}}")
      endforeach()
      string(APPEND _report "${_text}\n")
    endif()
  endforeach()
endforeach()

if(_found_patterns)
  list(JOIN _found_patterns ", " _which)
  message(FATAL_ERROR "${HEADER} pulls in forbidden headers (${_which}); first include chain of each:\n${_report}")
endif()
message(STATUS "${HEADER}: no forbidden header (${FORBIDDEN})")
