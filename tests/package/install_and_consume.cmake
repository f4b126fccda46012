# cmake -DBUILD_DIR= -DWORK_DIR= -DTEST_PACKAGE= -DCOMPILER= -DGENERATOR= [-DCOMPONENTS=] [-DRANK_FILES_DIR=]
#       -P install_and_consume.cmake
# Installs, checks what was installed (and, with the rank files, that the installed CLI and a consumer
# count tokens exactly with no AGENTKIT_* variable set), then builds and runs the consumer.
file(REMOVE_RECURSE ${WORK_DIR})
# The consumer and the CLI must find what the package installed, not what this build's tests use.
unset(ENV{AGENTKIT_DATA_DIR})
unset(ENV{AGENTKIT_TIKTOKEN_DIR})
set(_prefix ${WORK_DIR}/prefix)
function(_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    string(REPLACE ";" " " _cmd "${ARGN}")
    message(FATAL_ERROR "failed: ${_cmd}\n${_out}")
  endif()
  set(_last_output "${_out}" PARENT_SCOPE)
endfunction()

_run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${_prefix})
foreach(_f include/agentkit/agentkit.hpp share/cmake/agentkit/agentkitConfig.cmake
           share/cmake/agentkit/agentkitConfigVersion.cmake share/cmake/agentkit/agentkitTargets.cmake)
  if(NOT EXISTS ${_prefix}/${_f})
    message(FATAL_ERROR "install is missing ${_f}")
  endif()
endforeach()
set(_exact OFF)
if(RANK_FILES_DIR AND EXISTS ${RANK_FILES_DIR}/o200k_base.tiktoken AND EXISTS ${RANK_FILES_DIR}/cl100k_base.tiktoken)
  set(_exact ON)
  foreach(_f cl100k_base.tiktoken o200k_base.tiktoken)
    if(NOT EXISTS ${_prefix}/share/agentkit/tiktoken/${_f})
      message(FATAL_ERROR "install is missing share/agentkit/tiktoken/${_f}")
    endif()
  endforeach()
  # The installed CLI, run from a directory outside the source and build trees.
  if(EXISTS ${_prefix}/bin/agentkit)
    file(WRITE ${WORK_DIR}/hello.txt "hello world")
    execute_process(COMMAND ${_prefix}/bin/agentkit tokens count ${WORK_DIR}/hello.txt
                    WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
    string(STRIP "${_out}" _out)
    if(NOT _rc EQUAL 0 OR NOT _out STREQUAL "2")
      message(FATAL_ERROR "installed agentkit tokens count: exit ${_rc}, printed '${_out}' (want 2)\n${_err}")
    endif()
    message(STATUS "installed CLI: 'hello world' is ${_out} o200k_base tokens, rank files from the prefix")
    # Proof that those were the prefix's files (not the source tree's, which exist too): a damaged
    # installed file makes the same command fail, naming it. The consumer below then uses cl100k_base.
    file(WRITE ${_prefix}/share/agentkit/tiktoken/o200k_base.tiktoken "not a rank file\n")
    execute_process(COMMAND ${_prefix}/bin/agentkit tokens count ${WORK_DIR}/hello.txt
                    WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
    if(_rc EQUAL 0 OR NOT _err MATCHES "share/agentkit/tiktoken")
      message(FATAL_ERROR "with a damaged installed o200k_base.tiktoken the installed CLI still answered "
                          "(exit ${_rc}, '${_out}', '${_err}'): it did not read the prefix's files")
    endif()
  endif()
endif()
_run(${CMAKE_COMMAND} -S ${TEST_PACKAGE} -B ${WORK_DIR}/build -G ${GENERATOR}
     -DCMAKE_CXX_COMPILER=${COMPILER} -DCMAKE_PREFIX_PATH=${_prefix} "-DAGENTKIT_COMPONENTS=${COMPONENTS}")
_run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
_run(${WORK_DIR}/build/test_package)
message(STATUS "${_last_output}")
if(_exact AND NOT _last_output MATCHES "exact cl100k_base count: 2")
  message(FATAL_ERROR "the consumer did not count exactly with the installed rank files")
endif()
