#!/usr/bin/env bash
# Checks that the C++ sources are formatted as .clang-format says (CI runs it), or, with --fix,
# formats them. Only files git tracks: src, include, tests and demo.
#   scripts/format.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh format
mapfile -t files < <(git ls-files -- 'src/*.cpp' 'src/*.h' 'include/*.h' 'include/QForkRpc' \
    'include/QForkRpcChild' 'tests/*.cpp' 'tests/*.h' 'demo/*.cpp' 'demo/*.h')
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
else
    clang-format --dry-run -Werror "${files[@]}"
    echo "format.sh: ${#files[@]} files formatted as .clang-format says"
fi
