// SPDX-License-Identifier: MIT
// The three ways to create a worker. Each returns the parent's end of a fresh socketpair whose
// other end is descriptor 3 in the worker; the worker announces itself there with a Hello frame.
#pragma once

#include <QtCore/QString>

#include <sys/types.h>

namespace QForkRpcDetail {

struct SpawnedWorker
{
    int socket = -1; // the parent's end, close-on-exec, owned by the caller
    pid_t pid = 0; // 0 when not known yet (template workers say it in their Hello frame)
    // The template says hello for the worker as soon as it exists, and the worker then says it
    // again itself: the parent accepts one second, identical hello.
    bool helloTwice = false;
    QString error; // set when spawning failed; then socket is -1
};

// Ask the template process for a worker (Spawn::Template).
namespace TemplateProcess {
// Forks the template; called by initialize() while the program is single-threaded.
bool start();
bool isRunning();
SpawnedWorker spawnWorker();
} // namespace TemplateProcess

// Start `program` (empty: this program) with the socket passed in (Spawn::Exec).
SpawnedWorker spawnByExec(const QString &program);

// Fork the calling process, which then runs the worker itself (Spawn::Fork).
SpawnedWorker spawnByFork();

// A socketpair, both ends close-on-exec from birth.
bool makeSocketPair(int fds[2], QString *error);

} // namespace QForkRpcDetail
