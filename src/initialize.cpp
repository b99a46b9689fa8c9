// SPDX-License-Identifier: MIT
// QForkRpc::initialize(): either this process is an Exec or Command worker (then it becomes the
// worker and never returns) or it is the program, and the template process is forked now, while the
// program is still single-threaded.
#include "child/worker_p.h"
#include "logging_p.h"
#include "processtitle_p.h"
#include "spawn/forkutil_p.h"
#include "spawn/spawn_p.h"

#include <qforkrpc/qforkrpc.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// Descriptors 0-2 must be open, or our sockets could land there and be taken for stdio.
void ensureStandardDescriptors()
{
    for (int fd = 0; fd < 3; ++fd) {
        if (fcntl(fd, F_GETFD) < 0) {
            const int null = open("/dev/null", O_RDWR);
            if (null >= 0 && null != fd) {
                dup2(null, fd);
                close(null);
            }
        }
    }
}

bool hasArgument(int argc, char **argv, const char *argument)
{
    for (int i = 1; i < argc; ++i) {
        if (argv[i] && std::strcmp(argv[i], argument) == 0)
            return true;
    }
    return false;
}

// A Command worker: the protocol moves off stdin and stdout to descriptors of its own, stdin
// becomes /dev/null and stdout goes to stderr, so that a stray printf() in worker code cannot
// corrupt the stream (the parent passes our stderr on to its own).
bool moveProtocolOffStdio()
{
    using namespace QForkRpcDetail;
    workerReadFd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    workerWriteFd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (workerReadFd < 0 || workerWriteFd < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0
        || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        return false;
    close(null);
    return true;
}

} // namespace

void QForkRpc::initialize(int argc, char **argv)
{
    static bool initialized = false;
    if (initialized)
        return;
    initialized = true;

    QForkRpcDetail::rememberArguments(argc, argv);
    ensureStandardDescriptors();

    if (hasArgument(argc, argv, QForkRpcDetail::stdioWorkerArgument)) {
        if (!moveProtocolOffStdio()) {
            std::fprintf(stderr, "%s: cannot set up the worker's stdio: %s\n",
                argc > 0 ? argv[0] : "qforkrpc", std::strerror(errno));
            _exit(2);
        }
        QForkRpcDetail::runWorkerProcess(true);
    }
    if (hasArgument(argc, argv, QForkRpcDetail::execWorkerArgument)) {
        struct stat info;
        if (fstat(QForkRpcDetail::workerSocketFd, &info) != 0 || !S_ISSOCK(info.st_mode)) {
            std::fprintf(stderr, "%s: %s is only for QForkRpc worker processes\n",
                argc > 0 ? argv[0] : "qforkrpc", QForkRpcDetail::execWorkerArgument);
            _exit(2);
        }
        QForkRpcDetail::runWorkerProcess();
    }
    if (!QForkRpcDetail::TemplateProcess::start())
        qCWarning(lcQForkRpcSpawn)
            << "no template process; workers will be spawned by exec or fork";
}
