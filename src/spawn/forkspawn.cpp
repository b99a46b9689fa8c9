// SPDX-License-Identifier: MIT
// Spawn::Fork: the calling process forks and the child runs the (sync) worker on a copy of the
// parent's memory, without exec. That is only safe when no other thread could hold a lock at the
// moment of fork, which is why it is a documented choice for small single-threaded programs and
// the async backend (which needs a fresh QCoreApplication) is refused.
#include "spawn_p.h"

#include "child/worker_p.h"
#include "errors_p.h"
#include "forkutil_p.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace QForkRpcDetail {

SpawnedWorker spawnByFork()
{
    SpawnedWorker worker;
    int fds[2];
    if (!makeSocketPair(fds, &worker.error))
        return worker;
    // Unwritten stdio buffers would otherwise be written by both processes.
    fflush(stdout);
    fflush(stderr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        if (!becomeWorkerShell(fds[1], parent, workerSocketFd + 1))
            _exit(127);
        runWorkerProcess(); // never returns
    }
    const int forkError = errno;
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        worker.error = spawnFailedText(forkError);
        return worker;
    }
    worker.socket = fds[0];
    worker.pid = pid;
    return worker;
}

} // namespace QForkRpcDetail
