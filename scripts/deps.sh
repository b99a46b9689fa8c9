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
    qt6-translations-l10n
    # the remote-worker tests (tst_remote) and the bench's --over-ssh: a real sshd that the tests
    # start on 127.0.0.1 themselves, and the ssh client
    openssh-server openssh-client)
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
    # Installing openssh-server must not start a system sshd (port 22, every interface): the tests
    # start their own on 127.0.0.1. A policy-rc.d that says no to starting services, for the
    # install only, keeps it stopped (where the system has no policy of its own).
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod 755 "$policy"
        trap '$sudo rm -f "$policy"' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
