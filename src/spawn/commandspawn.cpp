// SPDX-License-Identifier: MIT
// Spawn::Command: run a command (ssh to another machine, "podman exec -i", ...) whose stdin and
// stdout carry the protocol, as AnyEvent::Fork::Remote does. The program it ends in sees
// --qforkrpc-worker-stdio and runs the worker (initialize.cpp). The command is our child: it gets
// three pipes as stdio, dies with us, and is reaped like any worker.
#include "spawn_p.h"

#include "errors_p.h"
#include "forkutil_p.h"

#include <QtCore/QFile>
#include <QtCore/QStandardPaths>

#include <initializer_list>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {

// The command's program as a path: as given when it names a directory, else found in PATH.
QByteArray programPath(const QString &program)
{
    if (program.contains(QLatin1Char('/')))
        return QFile::encodeName(program);
    const QString found = QStandardPaths::findExecutable(program);
    return QFile::encodeName(found.isEmpty() ? program : found);
}

void closeBoth(int fds[2])
{
    close(fds[0]);
    close(fds[1]);
}

} // namespace

SpawnedWorker spawnByCommand(const QStringList &command)
{
    SpawnedWorker worker;
    if (command.isEmpty() || command.first().isEmpty()) {
        worker.error = errorText(ErrorCode::NoCommand, {});
        return worker;
    }
    const QByteArray path = programPath(command.first());
    QList<QByteArray> arguments;
    for (const QString &argument : command)
        arguments << argument.toLocal8Bit();
    arguments << QByteArray(stdioWorkerArgument);

    // Its stdin, stdout and stderr; ours are the write end of the first and the read ends of the
    // others.
    int pipes[3][2];
    for (int i = 0; i < 3; ++i) {
        if (!makePipe(pipes[i], &worker.error)) {
            while (i-- > 0)
                closeBoth(pipes[i]);
            return worker;
        }
    }
    const int placed[] = { pipes[0][0], pipes[1][1], pipes[2][1] };
    worker.pid = startProgram(path, arguments, placed, 3, &worker.error);
    for (const int theirs : placed)
        close(theirs);
    if (worker.pid <= 0) {
        for (const int ours : { pipes[0][1], pipes[1][0], pipes[2][0] })
            close(ours);
        return worker;
    }
    worker.socket = pipes[1][0];
    worker.writeFd = pipes[0][1];
    worker.stderrFd = pipes[2][0];
    return worker;
}

} // namespace QForkRpcDetail
