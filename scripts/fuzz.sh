#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs each for the given number of seconds (default 60) on a
# copy of its committed corpus (tests/fuzz/corpus/<target>/ is never written to). Fails if any
# target finds a crash, a broken check, a leak, a hang (-timeout) or memory growth (-rss_limit_mb);
# what it found is left in <build>/fuzz-run/<target>/ (crash-*, timeout-*, oom-* and the log).
#
#   scripts/fuzz.sh [seconds]
#   QFORKRPC_FUZZ_BUILD_DIR   build directory (default: build-fuzz)
#   QFORKRPC_FUZZ_TARGETS     the targets to run (default: all six)
#   QFORKRPC_FUZZ_RSS_LIMIT_MB  RSS limit (default 2048). AddressSanitizer keeps every distinct
#                             allocation stack it has seen, and deeply nested CBOR/JSON make
#                             many: fuzz_thaw_cbor reaches ~750 MB after 3 minutes (the plain
#                             build stays at 10 MB), so raise this for runs of many minutes.
#   QFORKRPC_FUZZ_STRICT_MALLOC=1
#       report every single allocation above 64 MiB as a failure. By default such an allocation
#       fails instead (returns null, as on a machine where memory is limited) and the decoder must
#       survive that: QDataStream reserves a container's claimed size up front, so a count of
#       0xFFFFFFFF in a few bytes asks for up to 128 GiB (tests/fuzz/crashes/README.md). No input
#       needs 64 MiB for real (thaw inputs are at most 64 KiB, frames at most about 5 MiB), and
#       AddressSanitizer makes huge granted allocations slow (it poisons their shadow on free).
#       The RSS limit (2 GiB) applies either way.
#
# Reproduce a finding: <build>/tests/fuzz/<target> <file>; minimise a crash:
# <build>/tests/fuzz/<target> -minimize_crash=1 -runs=100000 <file>
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build="${QFORKRPC_FUZZ_BUILD_DIR:-build-fuzz}"
targets=(${QFORKRPC_FUZZ_TARGETS:-fuzz_framereader fuzz_thaw_datastream fuzz_thaw_octets fuzz_thaw_json
    fuzz_thaw_cbor fuzz_errorreport_setup})
rss_limit_mb="${QFORKRPC_FUZZ_RSS_LIMIT_MB:-2048}"

./scripts/deps.sh fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DQFORKRPC_BUILD_FUZZERS=ON \
    -DQFORKRPC_BUILD_DEMO=OFF -DQFORKRPC_BUILD_BENCHMARKS=OFF
cmake --build "$build" --target qforkrpc_fuzzers

big_allocation_mb=64
if [ "${QFORKRPC_FUZZ_STRICT_MALLOC:-0}" = 1 ]; then
    malloc_limit_mb=$big_allocation_mb
else
    malloc_limit_mb=$rss_limit_mb
    export ASAN_OPTIONS="allocator_may_return_null=1:max_allocation_size_mb=$big_allocation_mb${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fi
# A smaller quarantine than the default 256 MiB: the thaw targets' RSS otherwise creeps towards
# the limit in long runs (about 1 GiB after 700k runs), though nothing leaks.
export ASAN_OPTIONS="quarantine_size_mb=32${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

run="$build/fuzz-run"
rm -rf "$run"
failed=()
for target in "${targets[@]}"; do
    case "$target" in
        fuzz_framereader) max_len=$((1024 * 1024)) ;; # several large frames, padding aside
        *) max_len=$((64 * 1024)) ;;
    esac
    dir="$run/$target"
    mkdir -p "$dir/corpus"
    cp tests/fuzz/corpus/"$target"/* "$dir/corpus/"
    echo "== $target: ${seconds}s, -max_len=$max_len"
    status=0
    "$build/tests/fuzz/$target" "$dir/corpus" -max_total_time="$seconds" -max_len="$max_len" \
        -rss_limit_mb="$rss_limit_mb" -malloc_limit_mb="$malloc_limit_mb" -timeout=25 \
        -print_final_stats=1 -artifact_prefix="$dir/" >"$dir/log" 2>&1 || status=$?
    # The last status line (executions, coverage, corpus size) and the final statistics.
    grep -E '^#[0-9]+' "$dir/log" | tail -n 1 || true
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$dir/log" | tr '\n' ' ' || true
    echo
    if [ "$status" -ne 0 ]; then
        echo "!! $target failed (exit $status); its log: $dir/log"
        grep -E 'ERROR|SUMMARY|^fuzz_|Test unit written' "$dir/log" | head -n 20 || true
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}"
    exit 1
fi
echo "fuzzing: no problems found in ${targets[*]} (${seconds}s each)"
