#!/usr/bin/env bash
# Checks the README's set-up on a fresh Debian 12: debootstraps a minimal bookworm root
# (--variant=minbase: no make, no compiler, nothing but apt), copies the committed HEAD of this
# checkout into it (git archive: no build directories, no uncommitted changes), and runs there,
# as root, the README's two set-up commands: ./scripts/demo.sh, then ./scripts/test.sh. Fails if
# either fails; both are run, so that one run reports both.
#
# Run it whenever the dependencies change (scripts/deps.sh, a new find_package, a new tool that a
# build step or test starts): a development machine has far more installed than a fresh system,
# so a package missing from scripts/deps.sh only shows here. It needs root (debootstrap, mount,
# chroot) and the network to the Debian mirror; it takes a few minutes of debootstrap, then the
# whole build and test suite.
#
#   QFORKRPC_FRESH_DIR     where the roots live (default /var/tmp/qforkrpc-fresh): base/ is the
#                          system as debootstrap made it, root/ the copy of it each run works in
#   QFORKRPC_FRESH_REUSE   1: reuse base/ from an earlier run instead of debootstrapping again
#                          (root/ is always a new copy of base/, so every run starts fresh)
#   QFORKRPC_FRESH_KEEP    1: keep root/ after a run that passed (one that failed always keeps it)
#   QFORKRPC_FRESH_MIRROR  the Debian mirror (default: this machine's apt source for bookworm)
#   CMAKE_BUILD_PARALLEL_LEVEL  passed into the root, to limit the build's jobs
#   QFORKRPC_REQUIRE_SSHD  passed into the root: 1 makes tst_remote fail where sshd cannot start
set -euo pipefail

suite=bookworm
checkout="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)"
dir="${QFORKRPC_FRESH_DIR:-/var/tmp/qforkrpc-fresh}"
base="$dir/base"
root="$dir/root"
start=$SECONDS

say() { echo "== fresh-check: $*"; }
die() { echo "fresh-check: $*" >&2; exit 1; }
elapsed() { local s=$((SECONDS - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount and chroot)"

# The mounts below $1, deepest first (from /proc/self/mounts, whose paths escape spaces as \040).
mounts_below() {
    awk -v p="$1" '{ gsub(/\\040/, " ", $2) } $2 == p || index($2, p "/") == 1 { print $2 }' \
        /proc/self/mounts | sort -r
}
mounted=()
unmount_all() {
    local m
    for m in "${mounted[@]}"; do
        umount "$m" 2>/dev/null || umount -l "$m" || echo "fresh-check: cannot unmount $m" >&2
    done
    mounted=()
}
# Removes a root, refusing while anything is mounted in it: rm -r through a bind mount of /dev
# would delete the host's device nodes.
remove_root() {
    [ -e "$1" ] || return 0
    if [ -n "$(mounts_below "$1")" ]; then
        die "still mounted below $1 (an earlier run was killed?):
$(mounts_below "$1")
unmount them (umount -l) and run again"
    fi
    rm -rf --one-file-system "$1"
}
trap 'unmount_all' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the mirror, and the apt settings the root needs to reach it -------------------------------
# apt's own view of this machine's sources (one-line .list and deb822 .sources files alike).
# shellcheck disable=SC2016 # $(...) here is apt's format syntax, not the shell's
targets="$(apt-get indextargets --no-release-info --format '$(TARGET_OF) $(RELEASE) $(REPO_URI)' \
    | sort -u)"
mirror="${QFORKRPC_FRESH_MIRROR:-$(awk -v s="$suite" '$1 == "deb" && $2 == s { print $3; exit }' \
    <<<"$targets")}"
[ -n "$mirror" ] || die "no 'deb ... $suite' source in this machine's apt sources;
set QFORKRPC_FRESH_MIRROR to a Debian mirror"
# An apt proxy of this machine, if any, for debootstrap and for apt inside the root.
http_proxy_apt="" https_proxy_apt=""
eval "$(apt-config shell http_proxy_apt Acquire::http::Proxy \
    https_proxy_apt Acquire::https::Proxy)"
[ -z "$http_proxy_apt" ] || export http_proxy="$http_proxy_apt"
[ -z "$https_proxy_apt" ] || export https_proxy="$https_proxy_apt"
say "mirror $mirror, roots in $dir"

# --- base/: the fresh system -------------------------------------------------------------------
mkdir -p "$dir"
if [ "${QFORKRPC_FRESH_REUSE:-0}" = 1 ] && [ -f "$base/.fresh-check-complete" ]; then
    say "reusing $base (QFORKRPC_FRESH_REUSE=1)"
else
    if ! command -v debootstrap >/dev/null; then
        say "installing debootstrap"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
    fi
    remove_root "$base"
    t=$SECONDS
    say "debootstrap --variant=minbase $suite $base $mirror"
    debootstrap --variant=minbase "$suite" "$base" "$mirror"
    # The same Debian suites as this machine (bookworm-updates and -security too, when it has
    # them), so that the root gets the package versions a user's updated system has.
    awk -v s="$suite" '$1 == "deb" && ($2 == s || index($2, s "-") == 1) {
        print "deb " $3 " " $2 " main" }' <<<"$targets" >"$base/etc/apt/sources.list"
    grep -q . "$base/etc/apt/sources.list" || echo "deb $mirror $suite main" \
        >"$base/etc/apt/sources.list"
    # Packages must not start services in a chroot (a daemon left running would keep the mounts
    # busy); the usual policy-rc.d of chroots and containers.
    printf '#!/bin/sh\nexit 101\n' >"$base/usr/sbin/policy-rc.d"
    chmod 755 "$base/usr/sbin/policy-rc.d"
    touch "$base/.fresh-check-complete"
    say "debootstrap took $(elapsed $t)"
fi

# --- root/: a copy of base/ with the checkout in it ----------------------------------------------
remove_root "$root"
cp -a "$base" "$root"
rm "$root/.fresh-check-complete"
# What apt inside needs to reach the mirror: name resolution, and this machine's proxy if any.
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
{
    [ -z "$http_proxy_apt" ] || echo "Acquire::http::Proxy \"$http_proxy_apt\";"
    [ -z "$https_proxy_apt" ] || echo "Acquire::https::Proxy \"$https_proxy_apt\";"
} >"$root/etc/apt/apt.conf.d/01fresh-check-proxy"
head="$(git -C "$checkout" rev-parse --short HEAD)"
if [ -n "$(git -C "$checkout" status --porcelain --untracked-files=no)" ]; then
    say "note: uncommitted changes in $checkout are not part of the check (HEAD $head is)"
fi
mkdir "$root/root/qforkrpc"
git -C "$checkout" archive --format=tar HEAD | tar -x -C "$root/root/qforkrpc"

# /dev and /dev/pts of this machine, a /dev/shm and /proc and /sys of the root's own.
mount_in() { # mount_in <target inside the root> <mount arguments...>
    mkdir -p "$root$1"
    mount "${@:2}" "$root$1"
    mounted=("$root$1" "${mounted[@]}")
}
mount_in /proc -t proc proc
mount_in /sys -t sysfs -o ro sysfs
mount_in /dev --bind /dev
mount_in /dev/pts --bind /dev/pts
mount_in /dev/shm -t tmpfs -o mode=1777 shm

# --- the README's set-up, as root in a clean environment ---------------------------------------
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        ${CMAKE_BUILD_PARALLEL_LEVEL:+CMAKE_BUILD_PARALLEL_LEVEL=$CMAKE_BUILD_PARALLEL_LEVEL} \
        ${QFORKRPC_REQUIRE_SSHD:+QFORKRPC_REQUIRE_SSHD=$QFORKRPC_REQUIRE_SSHD} \
        /bin/bash -c "cd /root/qforkrpc && $1"
}
failed=()
for command in ./scripts/demo.sh ./scripts/test.sh; do
    t=$SECONDS
    say "$command (HEAD $head)"
    if in_root "$command"; then
        say "$command passed in $(elapsed $t)"
    else
        say "$command FAILED (exit $?) after $(elapsed $t)"
        failed+=("$command")
    fi
done
unmount_all

if [ ${#failed[@]} -gt 0 ]; then
    say "FAILED: ${failed[*]}; total $(elapsed $start); the root is kept in $root"
    exit 1
fi
if [ "${QFORKRPC_FRESH_KEEP:-0}" = 1 ]; then
    say "kept $root"
else
    remove_root "$root"
fi
say "passed: demo.sh and test.sh on a fresh Debian 12; total $(elapsed $start)"
