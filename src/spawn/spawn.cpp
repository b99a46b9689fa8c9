// SPDX-License-Identifier: MIT
// Which way a worker is spawned, and what every way shares.
#include "spawn_p.h"

#include "errors_p.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace QForkRpcDetail {

QForkRpc::Spawn effectiveSpawn(const QForkRpc::Options &options)
{
    if (options.spawn != QForkRpc::Spawn::Auto)
        return options.spawn;
    if (TemplateProcess::isRunning())
        return QForkRpc::Spawn::Template;
    if (!options.program.isEmpty())
        return QForkRpc::Spawn::Exec;
    return QForkRpc::Spawn::Fork;
}

SpawnedWorker spawnWorker(const QForkRpc::Options &options)
{
    SpawnedWorker refused;
    switch (effectiveSpawn(options)) {
    case QForkRpc::Spawn::Template:
        if (!TemplateProcess::isRunning())
            break;
        return TemplateProcess::spawnWorker();
    case QForkRpc::Spawn::Exec:
        return spawnByExec(options.program);
    case QForkRpc::Spawn::Fork:
        if (options.async) {
            refused.error
                = errorText(options.spawn == QForkRpc::Spawn::Auto ? ErrorCode::AsyncNeedsProcess
                                                                   : ErrorCode::ForkNotForAsync,
                    {});
            return refused;
        }
        return spawnByFork();
    case QForkRpc::Spawn::Command:
        return spawnByCommand(options.command);
    case QForkRpc::Spawn::Auto:
        break;
    }
    refused.error = errorText(ErrorCode::NoTemplate, {});
    return refused;
}

QString spawnFailedText(int error)
{
    return errorText(ErrorCode::SpawnFailed, { QString::fromLocal8Bit(strerror(error)) });
}

bool makeSocketPair(int fds[2], QString *error)
{
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0)
        return true;
    *error = spawnFailedText(errno);
    return false;
}

bool makePipe(int fds[2], QString *error)
{
    if (pipe2(fds, O_CLOEXEC) == 0)
        return true;
    *error = spawnFailedText(errno);
    return false;
}

pid_t waitForChild(pid_t pid, int *status, int flags)
{
    pid_t result;
    do {
        result = waitpid(pid, status, flags);
    } while (result < 0 && errno == EINTR);
    return result;
}

void killAndReap(pid_t pid)
{
    // The child is ours and not reaped, so its pid cannot have been reused.
    ::kill(pid, SIGKILL);
    waitForChild(pid, nullptr, 0);
}

} // namespace QForkRpcDetail
