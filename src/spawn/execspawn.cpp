// SPDX-License-Identifier: MIT
// Starting a program as a worker. Spawn::Exec starts a program afresh with the worker's socket as
// descriptor 3 and "--qforkrpc-worker-fd=3" as its argument; its main() calls
// QForkRpc::initialize(), which sees the argument and runs the worker. Spawn::Command
// (commandspawn.cpp) starts its command the same way, with pipes as stdio. As in QProcess,
// everything is prepared before fork, the child makes only async-signal-safe calls, and a failed
// exec reports its errno through a close-on-exec pipe that stays silent when exec succeeds.
#include "spawn_p.h"

#include "errors_p.h"
#include "forkutil_p.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace QForkRpcDetail {

namespace {

QByteArray thisProgram()
{
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    return n > 0 ? QByteArray(path, int(n)) : QByteArray();
}

[[noreturn]] void execChild(
    const int *placed, int count, int errorPipe, pid_t parent, const char *path, char *const argv[])
{
    // Until the descriptors are in place the error pipe is where it was, then at `count`.
    int reportTo = errorPipe;
    if (placeDescriptors(placed, count, errorPipe)) {
        reportTo = count;
        if (resetForChild(parent))
            execve(path, argv, environ);
    }
    const int error = errno;
    (void)!write(reportTo, &error, sizeof error);
    _exit(127);
}

} // namespace

pid_t startProgram(const QByteArray &path, const QList<QByteArray> &arguments, const int *placed,
    int count, QString *error)
{
    const QString shownPath = QFile::decodeName(path);
    const QFileInfo info(shownPath);
    if (path.isEmpty() || !info.isFile() || !info.isExecutable()) {
        *error = errorText(ErrorCode::ExecFailed,
            { shownPath, QString::fromLocal8Bit(strerror(info.exists() ? EACCES : ENOENT)) });
        return 0;
    }
    int errorPipe[2];
    if (!makePipe(errorPipe, error))
        return 0;

    // Everything the child needs exists before fork.
    QList<QByteArray> argumentCopies = arguments;
    QByteArray pathCopy = path;
    std::vector<char *> argv;
    argv.reserve(size_t(arguments.size()) + 1);
    for (QByteArray &argument : argumentCopies)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    const pid_t parent = getpid();

    const pid_t pid = fork();
    if (pid == 0)
        execChild(placed, count, errorPipe[1], parent, pathCopy.constData(), argv.data());

    const int forkError = errno;
    close(errorPipe[1]);
    if (pid < 0) {
        close(errorPipe[0]);
        *error = spawnFailedText(forkError);
        return 0;
    }

    int childError = 0;
    ssize_t n;
    do {
        n = read(errorPipe[0], &childError, sizeof childError);
    } while (n < 0 && errno == EINTR);
    close(errorPipe[0]);
    if (n == sizeof childError) {
        // exec failed: the child has exited already, reap it here.
        int status;
        waitForChild(pid, &status, 0);
        *error = errorText(
            ErrorCode::ExecFailed, { shownPath, QString::fromLocal8Bit(strerror(childError)) });
        return 0;
    }
    return pid;
}

SpawnedWorker spawnByExec(const QString &program)
{
    SpawnedWorker worker;
    const QByteArray path = program.isEmpty() ? thisProgram() : QFile::encodeName(program);
    int fds[2];
    if (!makeSocketPair(fds, &worker.error))
        return worker;
    const int placed[] = { -1, -1, -1, fds[1] }; // stdio inherited, the socket as descriptor 3
    worker.pid
        = startProgram(path, { path, QByteArray(execWorkerArgument) }, placed, 4, &worker.error);
    close(fds[1]);
    if (worker.pid <= 0) {
        close(fds[0]);
        return worker;
    }
    worker.socket = fds[0];
    return worker;
}

} // namespace QForkRpcDetail
