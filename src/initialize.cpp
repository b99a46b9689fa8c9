// SPDX-License-Identifier: MIT
// QForkRpc::initialize(): either this process is an Exec worker (then it becomes the worker and
// never returns) or it is the program, and the template process is forked now, while the program
// is still single-threaded.
#include "child/worker_p.h"
#include "logging_p.h"
#include "processtitle_p.h"
#include "spawn/forkutil_p.h"
#include "spawn/spawn_p.h"

#include <qforkrpc/qforkrpc.h>

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

bool isExecWorker(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (argv[i] && std::strcmp(argv[i], QForkRpcDetail::execWorkerArgument) == 0)
            return true;
    }
    return false;
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

    if (isExecWorker(argc, argv)) {
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
