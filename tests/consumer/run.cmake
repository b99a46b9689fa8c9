# ctest -P script: build the consumer project against QForkRpc and run it.
#   -DMODE=install|subdirectory|pkgconfig -DQFORKRPC_BUILD=<build dir> -DQFORKRPC_SOURCE=<checkout>
#   -DWORK=<scratch dir>; for pkgconfig also -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DCXX=<g++>; for
#   install -DQMLDIR=<QFORKRPC_QML_INSTALL_DIR> (the installed QML module is tried when present);
#   for install and subdirectory -DGENERATOR=<CMAKE_GENERATOR> and, if the parent build has one,
#   -DMAKE_PROGRAM=<CMAKE_MAKE_PROGRAM>: the nested project is built with the same tool as the
#   parent, never with CMake's default generator, whose make may not be installed
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
if(NOT GENERATOR)
    message(FATAL_ERROR "run.cmake needs -DGENERATOR=<the parent build's CMAKE_GENERATOR>")
endif()
set(generator -G ${GENERATOR})
if(MAKE_PROGRAM)
    list(APPEND generator -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
set(configure ${CMAKE_COMMAND} ${generator} -S ${QFORKRPC_SOURCE}/tests/consumer -B ${WORK}/build)
if(MODE STREQUAL "install")
    run(${CMAKE_COMMAND} --install ${QFORKRPC_BUILD} --prefix ${WORK}/prefix)
    run(${configure} -DCMAKE_PREFIX_PATH=${WORK}/prefix)
else()
    run(${configure} -DQFORKRPC_SOURCE_DIR=${QFORKRPC_SOURCE})
endif()
run(${CMAKE_COMMAND} --build ${WORK}/build)
run(${WORK}/build/consumer)
# The installed QML module, if it was built (QMLDIR: QFORKRPC_QML_INSTALL_DIR).
if(MODE STREQUAL "install" AND EXISTS ${WORK}/prefix/${QMLDIR}/QForkRpc/qmldir)
    if(NOT EXISTS ${WORK}/build/consumer-qml)
        message(FATAL_ERROR "the QML module is installed, but consumer-qml was not built")
    endif()
    run(${CMAKE_COMMAND} -E env QML_IMPORT_PATH=${WORK}/prefix/${QMLDIR} ${WORK}/build/consumer-qml)
endif()
