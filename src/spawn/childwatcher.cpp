// SPDX-License-Identifier: MIT
#include "childwatcher_p.h"

#include "logging_p.h"
#include "spawn_p.h"

#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>

#include <cerrno>
#include <csignal>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace QForkRpcDetail {

ChildWatcher::ChildWatcher(pid_t pid, QObject *parent)
    : QObject(parent)
    , m_pid(pid)
{
#ifdef SYS_pidfd_open
    // A pidfd names this process for good: no pid-reuse race, and it becomes readable on exit.
    m_pidfd = int(syscall(SYS_pidfd_open, pid, 0)); // pidfds are close-on-exec
#endif
    if (m_pidfd >= 0) {
        m_notifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] { poll(); });
    } else {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, [this] { poll(); });
        m_timer->start(20);
    }
}

ChildWatcher::~ChildWatcher()
{
    if (m_pidfd >= 0)
        close(m_pidfd);
}

bool ChildWatcher::reap(bool block)
{
    if (m_exited)
        return true;
    int status = 0;
    const pid_t result = waitForChild(m_pid, &status, block ? 0 : WNOHANG);
    if (result == 0)
        return false;
    if (result < 0) {
        // Someone else reaped it (a SIGCHLD handler with waitpid(-1), or SIGCHLD ignored).
        qCWarning(lcQForkRpcSpawn)
            << "child" << m_pid << "was reaped by someone else:" << strerror(errno);
        status = 0;
        m_status = -1;
    } else {
        m_status = status;
    }
    m_exited = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    if (m_timer)
        m_timer->stop();
    return true;
}

bool ChildWatcher::poll()
{
    if (m_exited)
        return true;
    if (!reap(false))
        return false;
    Q_EMIT exited();
    return true;
}

void ChildWatcher::killAndReap()
{
    if (m_exited)
        return;
    // The child is ours and not reaped, so its pid cannot have been reused.
    ::kill(m_pid, SIGKILL);
    reap(true);
}

} // namespace QForkRpcDetail
