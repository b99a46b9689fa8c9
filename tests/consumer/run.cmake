# ctest -P script: build the consumer project against QForkRpc and run it.
#   -DMODE=install|subdirectory -DQFORKRPC_BUILD=<build dir> -DQFORKRPC_SOURCE=<checkout> -DWORK=<scratch dir>
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed (${result}): ${ARGN}\n${out}")
    endif()
    message(STATUS "${out}")
endfunction()

file(REMOVE_RECURSE ${WORK})
if(MODE STREQUAL "install")
    run(${CMAKE_COMMAND} --install ${QFORKRPC_BUILD} --prefix ${WORK}/prefix)
    run(${CMAKE_COMMAND} -S ${QFORKRPC_SOURCE}/tests/consumer -B ${WORK}/build -DCMAKE_PREFIX_PATH=${WORK}/prefix)
else()
    run(${CMAKE_COMMAND} -S ${QFORKRPC_SOURCE}/tests/consumer -B ${WORK}/build -DQFORKRPC_SOURCE_DIR=${QFORKRPC_SOURCE})
endif()
run(${CMAKE_COMMAND} --build ${WORK}/build)
run(${WORK}/build/consumer)
