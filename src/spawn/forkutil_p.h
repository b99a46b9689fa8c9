// SPDX-License-Identifier: MIT
// Helpers for the moment between fork and exec (or the start of a worker). Everything declared
// here is async-signal-safe: raw system calls only, no allocation, no locks.
#pragma once

#include <sys/types.h>

namespace QForkRpcDetail {

// The worker's socket is always this descriptor inside the worker.
constexpr int workerSocketFd = 3;
// Exec workers find their socket through this argument.
constexpr char execWorkerArgument[] = "--qforkrpc-worker-fd=3";

// Closes every descriptor from `first` upwards (close_range, or a loop where it is missing).
void closeDescriptorsFrom(int first);

// Duplicates `fd` to the lowest descriptor >= `minimum`, close-on-exec; returns it or -1.
int moveDescriptorAbove(int fd, int minimum);

// Turns the freshly forked process into a worker's shell: `socket` becomes descriptor 3 (kept
// across exec), every descriptor from `firstToClose` up is closed, the signal mask and the
// dispositions that a parent may have changed are reset, and the process dies with SIGKILL when
// `parent` does. Returns false (errno set) if something failed, or if `parent` is already gone.
bool becomeWorkerShell(int socket, pid_t parent, int firstToClose);

} // namespace QForkRpcDetail
