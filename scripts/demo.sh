#!/usr/bin/env bash
# Builds QForkRpc and runs the demo: the original's three examples as console programs, then the
# QML job board.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -G Ninja -DQFORKRPC_BUILD_QML=ON
cmake --build build --target rmdir-worker countdown qforkrpc-qml-demo
echo "== Example 1: sync backend";  build/demo/examples/rmdir-worker
echo "== Example 1a: async backend"; build/demo/examples/rmdir-worker --async
echo "== Example 2: async countdowns"; build/demo/examples/countdown
# The QML job board opens a window; without a display it runs its self-test offscreen instead.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "== QML job board (close the window to end)"; build/demo/qml/qforkrpc-qml-demo
else
    echo "== QML job board: no display, running its --selftest offscreen"
    QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software build/demo/qml/qforkrpc-qml-demo --selftest
fi
