// SPDX-License-Identifier: MIT
#include "forkutil_p.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <initializer_list>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace QForkRpcDetail {

int workerReadFd = workerSocketFd;
int workerWriteFd = workerSocketFd;

void closeDescriptorsFrom(int first)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, unsigned(first), ~0U, 0) == 0)
        return;
#endif
    struct rlimit limit;
    const int top = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
        ? int(limit.rlim_cur)
        : 65536;
    for (int fd = first; fd < top; ++fd)
        close(fd);
}

int moveDescriptorAbove(int fd, int minimum)
{
    return fcntl(fd, F_DUPFD_CLOEXEC, minimum);
}

bool becomeWorkerShell(int socket, pid_t parent, int firstToClose)
{
    if (socket == workerSocketFd) {
        if (fcntl(workerSocketFd, F_SETFD, 0) != 0)
            return false;
    } else if (dup2(socket, workerSocketFd) != workerSocketFd) { // dup2 clears close-on-exec
        return false;
    }
    closeDescriptorsFrom(firstToClose);
    return resetForChild(parent);
}

bool placeDescriptors(const int *placed, int count, int closeOnExec)
{
    // First everything out of the way of 0..count, so that no placement overwrites another's
    // source.
    int high[4];
    for (int i = 0; i < count; ++i) {
        high[i] = placed[i] < 0 ? -1 : moveDescriptorAbove(placed[i], count + 1);
        if (placed[i] >= 0 && high[i] < 0)
            return false;
    }
    const int highCloseOnExec = moveDescriptorAbove(closeOnExec, count + 1);
    if (highCloseOnExec < 0 || dup3(highCloseOnExec, count, O_CLOEXEC) != count)
        return false;
    for (int i = 0; i < count; ++i) {
        if (high[i] >= 0 && dup2(high[i], i) != i) // dup2 clears close-on-exec
            return false;
    }
    closeDescriptorsFrom(count + 1);
    return true;
}

bool resetForChild(pid_t parent)
{
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    for (int sig : { SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGPIPE, SIGHUP })
        ::signal(sig, SIG_DFL);

    // Nothing may outlive the program: die with it, even when it is SIGKILLed. The check after
    // prctl closes the race with a parent that died before the call.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        return false;
    if (getppid() != parent) {
        errno = ESRCH;
        return false;
    }
    return true;
}

} // namespace QForkRpcDetail
