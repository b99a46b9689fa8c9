#!/usr/bin/env bash
# Installs the Debian 12 packages QForkRpc needs to build, test, demo and document, if any are
# missing. Extra sets for the scripts that need more, named as arguments:
#   fuzz      clang and its libFuzzer runtime (scripts/fuzz.sh)
#   valgrind  valgrind (scripts/valgrind.sh)
#   format    clang-format (scripts/format.sh)
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-tools-dev qt6-l10n-tools
    # the QML module, its QtQuickTest tests and the QML demo (QtQuick, Controls, Layouts, Window)
    qt6-declarative-dev qml6-module-qttest qml6-module-qtquick qml6-module-qtquick-controls
    qml6-module-qtquick-templates qml6-module-qtquick-layouts qml6-module-qtquick-window
    qml6-module-qtqml-workerscript
    # the API documentation (cmake --build build --target docs)
    doxygen
    # QCoro, for the coroutine example (demo/examples/coroutine.cpp) and its test
    qcoro-qt6-dev
    # Qt's own translations, so that the GUI demo's --help follows its language
    qt6-translations-l10n)
for extra in "$@"; do
    case "$extra" in
        fuzz) packages+=(clang libclang-rt-14-dev) ;;
        valgrind) packages+=(valgrind) ;;
        format) packages+=(clang-format) ;;
        *) echo "deps.sh: unknown package set '$extra'" >&2; exit 2 ;;
    esac
done
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
