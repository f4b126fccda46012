# cmake -DBUILD_DIR= -DWORK_DIR= -DTEST_PACKAGE= -DCOMPILER= -DGENERATOR= [-DCOMPONENTS=] -P install_and_consume.cmake
file(REMOVE_RECURSE ${WORK_DIR})
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
_run(${CMAKE_COMMAND} -S ${TEST_PACKAGE} -B ${WORK_DIR}/build -G ${GENERATOR}
     -DCMAKE_CXX_COMPILER=${COMPILER} -DCMAKE_PREFIX_PATH=${_prefix} "-DAGENTKIT_COMPONENTS=${COMPONENTS}")
_run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
_run(${WORK_DIR}/build/test_package)
message(STATUS "${_last_output}")
