#!/usr/bin/env bash
# Builds QForkRpc and runs the demo: the original's three examples as console programs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -G Ninja
cmake --build build --target rmdir-worker countdown
echo "== Example 1: sync backend";  build/demo/examples/rmdir-worker
echo "== Example 1a: async backend"; build/demo/examples/rmdir-worker --async
echo "== Example 2: async countdowns"; build/demo/examples/countdown
