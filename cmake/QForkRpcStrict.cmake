# The strict Qt settings and warnings our own targets are built with (never forced on users).
function(qforkrpc_strict target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_KEYWORDS
        QT_NO_CAST_FROM_ASCII
        QT_USE_QSTRINGBUILDER
        QT_NO_FOREACH
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Woverloaded-virtual -Wshadow=local)
    if(QFORKRPC_DEVELOPER_MODE)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
