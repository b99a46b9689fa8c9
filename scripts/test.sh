#!/usr/bin/env bash
# Builds QForkRpc with its tests and runs them all with ctest.
#   QFORKRPC_BUILD_DIR   build directory (default: build)
#   QFORKRPC_CMAKE_ARGS  extra cmake arguments (for example -DQFORKRPC_SANITIZE=ON)
#   QFORKRPC_CTEST_ARGS  extra ctest arguments (for example -E consumer)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
build="${QFORKRPC_BUILD_DIR:-build}"
# shellcheck disable=SC2086
cmake -S . -B "$build" -G Ninja -DQFORKRPC_DEVELOPER_MODE=ON -DQFORKRPC_BUILD_QML=ON ${QFORKRPC_CMAKE_ARGS:-}
cmake --build "$build"
# shellcheck disable=SC2086
ctest --test-dir "$build" --output-on-failure --timeout 600 ${QFORKRPC_CTEST_ARGS:-}
