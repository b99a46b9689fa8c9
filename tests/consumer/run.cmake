# ctest -P script: build the consumer project against QForkRpc and run it.
#   -DMODE=install|subdirectory|pkgconfig -DQFORKRPC_BUILD=<build dir> -DQFORKRPC_SOURCE=<checkout>
#   -DWORK=<scratch dir>; for pkgconfig also -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DCXX=<g++>
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed (${result}): ${ARGN}\n${out}")
    endif()
    message(STATUS "${out}")
endfunction()

file(REMOVE_RECURSE ${WORK})
if(MODE STREQUAL "pkgconfig")
    # No CMake on the consumer's side: the installed qforkrpc.pc and a plain compiler command.
    find_program(PKG_CONFIG pkg-config)
    if(NOT PKG_CONFIG)
        message(FATAL_ERROR "pkg-config is not installed (scripts/deps.sh installs it)")
    endif()
    run(${CMAKE_COMMAND} --install ${QFORKRPC_BUILD} --prefix ${WORK}/prefix)
    set(ENV{PKG_CONFIG_PATH} ${WORK}/prefix/${LIBDIR}/pkgconfig)
    execute_process(COMMAND ${PKG_CONFIG} --cflags --libs qforkrpc RESULT_VARIABLE result
        OUTPUT_VARIABLE flags ERROR_VARIABLE error OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "pkg-config --cflags --libs qforkrpc failed: ${error}")
    endif()
    execute_process(COMMAND ${PKG_CONFIG} --variable=libdir qforkrpc
        OUTPUT_VARIABLE libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
    message(STATUS "pkg-config --cflags --libs qforkrpc: ${flags}")
    separate_arguments(flags UNIX_COMMAND "${flags}")
    file(MAKE_DIRECTORY ${WORK}/build)
    run(${CXX} -std=c++17 ${QFORKRPC_SOURCE}/tests/consumer/main.cpp ${flags} -Wl,-rpath,${libdir}
        -o ${WORK}/build/consumer)
    run(${WORK}/build/consumer)
    return()
endif()
if(MODE STREQUAL "install")
    run(${CMAKE_COMMAND} --install ${QFORKRPC_BUILD} --prefix ${WORK}/prefix)
    run(${CMAKE_COMMAND} -S ${QFORKRPC_SOURCE}/tests/consumer -B ${WORK}/build -DCMAKE_PREFIX_PATH=${WORK}/prefix)
else()
    run(${CMAKE_COMMAND} -S ${QFORKRPC_SOURCE}/tests/consumer -B ${WORK}/build -DQFORKRPC_SOURCE_DIR=${QFORKRPC_SOURCE})
endif()
run(${CMAKE_COMMAND} --build ${WORK}/build)
run(${WORK}/build/consumer)
