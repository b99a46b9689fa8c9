#!/usr/bin/env bash
# Builds QForkRpc and runs the demo: the original's three examples as console programs, always
# (and the coroutine example when QCoro is found),
# and then the GUI demo (a Qt Widgets window, demo/gui) when there is a display to show it on.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -G Ninja
cmake --build build --target rmdir-worker countdown qforkrpc-demo
echo "== Console, Example 1: sync backend";  build/demo/examples/rmdir-worker
echo "== Console, Example 1a: async backend"; build/demo/examples/rmdir-worker --async
echo "== Console, Example 2: async countdowns"; build/demo/examples/countdown
# The coroutine example is a target only when QCoro was found (scripts/deps.sh installs it).
if ninja -C build -t query coroutine >/dev/null 2>&1; then
    cmake --build build --target coroutine
    echo "== Console, coroutines: co_await on calls through QCoro"; build/demo/examples/coroutine
else
    echo "== Console, coroutines: skipped, QCoro was not found (Debian: qcoro-qt6-dev)"
fi
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    echo "== GUI: qforkrpc-demo, counting primes in worker processes (close the window to end)"
    build/demo/gui/qforkrpc-demo
else
    echo "== GUI: skipped, no display (\$DISPLAY and \$WAYLAND_DISPLAY are unset)."
    echo "   To check it without a display: QT_QPA_PLATFORM=offscreen build/demo/gui/qforkrpc-demo --selftest"
fi
