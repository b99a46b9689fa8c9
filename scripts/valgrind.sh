#!/usr/bin/env bash
# Runs the core tests under valgrind's memcheck in a RelWithDebInfo build and fails on memory
# errors or definite leaks in the test programs.
#
#   scripts/valgrind.sh [test ...]     (default: tst_syncbackend tst_asyncbackend tst_errors tst_spawn)
#   QFORKRPC_VALGRIND_BUILD_DIR        build directory (default: build-valgrind; one that exists
#                                      is used as it is configured)
#
# Workers are forked without exec, so valgrind runs inside every worker and template too (it
# cannot be told not to: --trace-children only concerns exec). Each process writes its own log
# (<build>/valgrind/<test>/vg.<pid>.log), and:
# - the test program itself must have no error at all, definite leaks included;
# - workers and templates must have no memory error (invalid read or write, use of uninitialised
#   values, bad free, overlapping copy, bad syscall argument). Their leaks are not counted: a
#   forked child inherits blocks that only the parent's other threads (QtTest's watchdog, glib's
#   worker) pointed to, and those threads do not exist in the child, so valgrind calls them lost.
# --error-exitcode is not used: valgrind would apply it inside the workers too and turn their
# exit code 0 into 1, which the tests rightly report as a worker failure.
# Valgrind 3.19 does not know pidfd_open (syscall 434): under valgrind the library falls back to
# watching workers with a 20 ms waitpid poll, so that path is exercised here.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh valgrind
build="${QFORKRPC_VALGRIND_BUILD_DIR:-build-valgrind}"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(tst_syncbackend tst_asyncbackend tst_errors tst_spawn)

# An existing build directory (CI passes the one scripts/test.sh built: RelWithDebInfo, the
# default) is used as it is configured; a new one is configured for just these tests.
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DQFORKRPC_BUILD_DEMO=OFF -DQFORKRPC_BUILD_BENCHMARKS=OFF
fi
cmake --build "$build" --target "${tests[@]}"

suppressions=()
[ -f tests/valgrind.supp ] && suppressions=(--suppressions="$PWD/tests/valgrind.supp")
child_errors='Invalid (read|write|free)|uninitialised|Mismatched free|Source and destination overlap|Syscall param|Invalid alignment|Argument .* of function'
failed=()
for test in "${tests[@]}"; do
    logs="$PWD/$build/valgrind/$test"
    rm -rf "$logs"
    mkdir -p "$logs"
    echo "== $test"
    # Two tst_spawn functions look at the worker from outside, where valgrind shows through:
    # /proc/<pid>/cmdline is valgrind's (the title is set in the guest's copy of argv) and
    # /proc/<pid>/fd lists valgrind's own descriptors. Everything else runs.
    args=()
    if [ "$test" = tst_spawn ]; then
        while read -r function; do
            case "$function" in
                workerHoldsOnlyItsSocketAndStdio\(\)|workersHaveReadableNames\(\)) ;;
                *) args+=("${function%()}") ;;
            esac
        done < <("$build/tests/$test" -functions)
    fi
    # tst_spawn's locale test needs the locale ctest gives it (tests/CMakeLists.txt). The output
    # goes through a pipe, as under ctest (a test lists the worker's descriptors and expects
    # stdout and stderr to be pipes or terminals). valgrind runs the test in the process that
    # wrote its pid, so the test program's log is vg.<that pid>.log.
    pushd "$build/tests" >/dev/null
    set +e
    LC_ALL=C.UTF-8 sh -c 'echo $$ >"$0"; exec "$@"' "$logs/pid" \
        valgrind --tool=memcheck --leak-check=full \
        --errors-for-leak-kinds=definite --show-leak-kinds=definite --trace-children=no \
        --child-silent-after-fork=no --num-callers=30 "${suppressions[@]}" \
        --log-file="$logs/vg.%p.log" "./$test" "${args[@]}" 2>&1 | cat >"$logs/test.log"
    status=${PIPESTATUS[0]}
    set -e
    popd >/dev/null
    pid=$(cat "$logs/pid")
    grep -E '^(Totals|FAIL!)' "$logs/test.log" || true
    main_log="$logs/vg.$pid.log"
    summary=$(grep -E 'ERROR SUMMARY' "$main_log" | tail -n 1 | sed 's/^==[0-9]*== //')
    leaks=$(grep -E 'definitely lost:' "$main_log" | tail -n 1 | sed 's/^==[0-9]*== *//')
    echo "   test program: $summary; ${leaks:-definitely lost: 0 bytes (no leak summary)}"
    child_logs=()
    for log in "$logs"/vg.*.log; do
        [ "$log" = "$main_log" ] || child_logs+=("$log")
    done
    child_bad=$(grep -lE "$child_errors" "${child_logs[@]}" /dev/null || true)
    echo "   workers and templates: ${#child_logs[@]} processes, $(grep -c . <<<"$child_bad" || true) with memory errors"
    if [ "$status" -ne 0 ]; then
        echo "!! $test failed (exit $status): $logs/test.log"
        failed+=("$test")
    elif ! grep -q 'ERROR SUMMARY: 0 errors' "$main_log"; then
        echo "!! $test: valgrind errors in the test program: $main_log"
        failed+=("$test")
    elif [ -n "$child_bad" ]; then
        echo "!! $test: memory errors in workers: $child_bad"
        failed+=("$test")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "valgrind: problems in ${failed[*]}"
    exit 1
fi
echo "valgrind: no memory errors and no definite leaks in ${tests[*]}"
