# ctest -P script: build the consumer project against QForkRpc and run it.
#   -DMODE=install|subdirectory|pkgconfig -DQFORKRPC_BUILD=<build dir> -DQFORKRPC_SOURCE=<checkout>
#   -DWORK=<scratch dir>; for pkgconfig also -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DCXX=<compiler>
#   (the parent's; g++, and clang++ when found, are used as well); for
#   install -DQMLDIR=<QFORKRPC_QML_INSTALL_DIR> (the installed QML module is tried when present);
#   for install and subdirectory -DGENERATOR=<CMAKE_GENERATOR> and, if the parent build has one,
#   -DMAKE_PROGRAM=<CMAKE_MAKE_PROGRAM>: the nested project is built with the same tool as the
#   parent, never with CMake's default generator, whose make may not be installed
cmake_minimum_required(VERSION 3.21) # the policies of the project (if(IN_LIST) among them)

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
    foreach(what cflags libs)
        execute_process(COMMAND ${PKG_CONFIG} --${what} qforkrpc RESULT_VARIABLE result
            OUTPUT_VARIABLE ${what} ERROR_VARIABLE error OUTPUT_STRIP_TRAILING_WHITESPACE)
        if(NOT result EQUAL 0)
            message(FATAL_ERROR "pkg-config --${what} qforkrpc failed: ${error}")
        endif()
        message(STATUS "pkg-config --${what} qforkrpc: ${${what}}")
        separate_arguments(${what} UNIX_COMMAND "${${what}}")
    endforeach()
    execute_process(COMMAND ${PKG_CONFIG} --variable=libdir qforkrpc
        OUTPUT_VARIABLE libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
    # With the warnings a strict user turns on, as errors. -Woverloaded-virtual only shows here:
    # CMake gives Qt's include directories with -isystem, pkg-config with -I, and GCC reports a
    # hidden virtual where the hidden function is declared (for QObject::event, in qobject.h).
    set(warnings -Wall -Wextra -Woverloaded-virtual -Werror)
    # The parent's compiler, g++, and clang++ when it is installed; each once.
    find_program(GXX g++)
    if(NOT GXX)
        message(FATAL_ERROR "g++ is not installed (scripts/deps.sh installs it)")
    endif()
    find_program(CLANGXX clang++)
    set(compilers)
    set(seen)
    foreach(compiler IN ITEMS ${CXX} ${GXX} ${CLANGXX})
        if(compiler)
            file(REAL_PATH ${compiler} real)
            if(NOT real IN_LIST seen)
                list(APPEND seen ${real})
                list(APPEND compilers ${compiler})
            endif()
        endif()
    endforeach()
    message(STATUS "compilers: ${compilers}")
    file(MAKE_DIRECTORY ${WORK}/build)
    set(main ${QFORKRPC_SOURCE}/tests/consumer/main.cpp)
    foreach(compiler IN LISTS compilers)
        get_filename_component(name ${compiler} NAME)
        # The README's command, built and run.
        run(${compiler} -std=c++17 ${warnings} ${main} ${cflags} ${libs} -Wl,-rpath,${libdir}
            -o ${WORK}/build/consumer-${name})
        run(${WORK}/build/consumer-${name})
        # The same with Qt's headers read before <QForkRpc>, as in a program that includes
        # <QCoreApplication> first: what the header does about the warning must not depend on
        # which header includes qobject.h first.
        run(${compiler} -std=c++17 ${warnings} -include QtCore/QObject -c ${main} ${cflags}
            -o ${WORK}/build/consumer-qtfirst-${name}.o)
    endforeach()
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
