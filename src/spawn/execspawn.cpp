// SPDX-License-Identifier: MIT
// Spawn::Exec: start a program afresh with the worker's socket as descriptor 3 and
// "--qforkrpc-worker-fd=3" as its argument; its main() calls QForkRpc::initialize(), which sees
// the argument and runs the worker. As in QProcess, everything is prepared before fork, the child
// makes only async-signal-safe calls, and a failed exec reports its errno through a close-on-exec
// pipe that stays silent when exec succeeds.
#include "spawn_p.h"

#include "errors_p.h"
#include "forkutil_p.h"
#include "wire/messages_p.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace QForkRpcDetail {

namespace {

QByteArray thisProgram()
{
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    return n > 0 ? QByteArray(path, int(n)) : QByteArray();
}

// Descriptors in the child between fork and exec: 3 is the socket, 4 the error pipe.
constexpr int errorPipeFd = 4;

[[noreturn]] void execChild(
    int socket, int errorPipe, pid_t parent, const char *path, char *const argv[])
{
    // Move both descriptors out of the way of 3 and 4 before putting them there.
    const int highSocket = moveDescriptorAbove(socket, errorPipeFd + 1);
    const int highPipe = moveDescriptorAbove(errorPipe, errorPipeFd + 1);
    int error = 0;
    if (highSocket < 0 || highPipe < 0 || dup3(highPipe, errorPipeFd, O_CLOEXEC) != errorPipeFd
        || !becomeWorkerShell(highSocket, parent, errorPipeFd + 1)) {
        error = errno;
    } else {
        execve(path, argv, environ);
        error = errno;
    }
    (void)!write(highPipe >= 0 ? errorPipeFd : errorPipe, &error, sizeof error);
    _exit(127);
}

} // namespace

SpawnedWorker spawnByExec(const QString &program)
{
    SpawnedWorker worker;
    const QByteArray path = program.isEmpty() ? thisProgram() : QFile::encodeName(program);
    const QString shownPath = QFile::decodeName(path);
    const QFileInfo info(shownPath);
    if (path.isEmpty() || !info.isFile() || !info.isExecutable()) {
        worker.error = errorText(ErrorCode::ExecFailed,
            { shownPath, QString::fromLocal8Bit(strerror(info.exists() ? EACCES : ENOENT)) });
        return worker;
    }

    int fds[2];
    if (!makeSocketPair(fds, &worker.error))
        return worker;
    int errorPipe[2];
    if (pipe2(errorPipe, O_CLOEXEC) != 0) {
        worker.error
            = errorText(ErrorCode::SpawnFailed, { QString::fromLocal8Bit(strerror(errno)) });
        close(fds[0]);
        close(fds[1]);
        return worker;
    }

    // Everything the child needs exists before fork.
    QByteArray argument(execWorkerArgument);
    QByteArray programCopy = path;
    char *argv[] = { programCopy.data(), argument.data(), nullptr };
    const pid_t parent = getpid();

    const pid_t pid = fork();
    if (pid == 0)
        execChild(fds[1], errorPipe[1], parent, programCopy.constData(), argv);

    const int forkError = errno;
    close(fds[1]);
    close(errorPipe[1]);
    if (pid < 0) {
        close(errorPipe[0]);
        close(fds[0]);
        worker.error
            = errorText(ErrorCode::SpawnFailed, { QString::fromLocal8Bit(strerror(forkError)) });
        return worker;
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
        close(fds[0]);
        worker.error = errorText(
            ErrorCode::ExecFailed, { shownPath, QString::fromLocal8Bit(strerror(childError)) });
        return worker;
    }
    worker.socket = fds[0];
    worker.pid = pid;
    return worker;
}

} // namespace QForkRpcDetail
