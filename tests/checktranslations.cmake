# ctest -P script: fails when a user-visible string in src/ is missing from a .ts file or has no
# finished translation there, i.e. when someone forgot to run the update_translations target.
#   -DLUPDATE=<lupdate> -DSOURCE=<checkout> -DWORK=<scratch dir>
# or, for another set of .ts files (the GUI demo's):
#   -DLUPDATE=<lupdate> -DTS_DIR=<dir of .ts files> -DSCAN=<sources to scan> -DWORK=<scratch dir>
if(NOT TS_DIR)
    set(TS_DIR ${SOURCE}/translations)
endif()
if(NOT SCAN)
    set(SCAN ${SOURCE}/src)
endif()
file(GLOB ts_files ${TS_DIR}/*.ts)
if(NOT ts_files)
    message(FATAL_ERROR "no .ts files in ${TS_DIR}")
endif()
foreach(ts ${ts_files})
    get_filename_component(name ${ts} NAME)
    file(COPY ${ts} DESTINATION ${WORK})
    execute_process(COMMAND ${LUPDATE} -no-obsolete -locations none ${SCAN} -ts ${WORK}/${name}
        RESULT_VARIABLE result OUTPUT_QUIET ERROR_QUIET)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "lupdate failed on ${name}")
    endif()
    file(READ ${WORK}/${name} updated)
    string(REGEX MATCHALL "<source>[^<]*</source>[ \n]*<translation type=\"unfinished\"" missing "${updated}")
    string(REGEX MATCHALL "type=\"(unfinished|vanished|obsolete)\"" stale "${updated}")
    if(missing OR stale)
        message(FATAL_ERROR "${name} is out of date with ${SCAN} (run: cmake --build <build> --target update_translations, then translate):\n${missing}")
    endif()
endforeach()
message(STATUS "every user-visible string is translated in: ${ts_files}")
