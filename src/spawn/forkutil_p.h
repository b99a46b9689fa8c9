// SPDX-License-Identifier: MIT
// Helpers for the moment between fork and exec (or the start of a worker). Everything declared
// here is async-signal-safe: raw system calls only, no allocation, no locks.
#pragma once

#include <sys/types.h>

namespace QForkRpcDetail {

// The worker's socket is always this descriptor inside a local worker.
constexpr int workerSocketFd = 3;
// Exec workers find their socket through this argument.
constexpr char execWorkerArgument[] = "--qforkrpc-worker-fd=3";
// Spawn::Command appends this argument: the worker speaks the protocol on stdin and stdout.
constexpr char stdioWorkerArgument[] = "--qforkrpc-worker-stdio";

// Where the worker reads from and writes to its parent: workerSocketFd both for a local worker;
// two descriptors (stdin and stdout, moved away from 0 and 1) for a Command worker.
extern int workerReadFd;
extern int workerWriteFd;

// Closes every descriptor from `first` upwards (close_range, or a loop where it is missing).
void closeDescriptorsFrom(int first);

// Duplicates `fd` to the lowest descriptor >= `minimum`, close-on-exec; returns it or -1.
int moveDescriptorAbove(int fd, int minimum);

// Turns the freshly forked process into a worker's shell: `socket` becomes descriptor 3 (kept
// across exec), every descriptor from `firstToClose` up is closed, and resetForChild(parent).
// Returns false (errno set) if something failed, or if `parent` is already gone.
bool becomeWorkerShell(int socket, pid_t parent, int firstToClose);

// Puts `count` (at most 4) descriptors in place for exec: `placed[i]` becomes descriptor i, kept
// across exec (-1 leaves descriptor i as it is), and `closeOnExec` goes to descriptor `count`,
// close-on-exec. Every other descriptor from `count` + 1 up is closed. False (errno set) on
// failure.
bool placeDescriptors(const int *placed, int count, int closeOnExec);

// Resets the signal mask and the dispositions that a parent may have changed, and makes the
// process die with SIGKILL when `parent` does. False (errno set) on failure or if `parent` is
// gone already.
bool resetForChild(pid_t parent);

} // namespace QForkRpcDetail
