// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>

#include <sys/types.h>

class QSocketNotifier;
class QTimer;

namespace QForkRpcDetail {

// Watches one child of this process and reaps it, through a pidfd (never waitpid(-1), never a
// SIGCHLD handler, so other code's children are left alone). Where pidfds are missing it polls
// waitpid(pid, WNOHANG) instead.
class ChildWatcher : public QObject
{
    Q_OBJECT
public:
    ChildWatcher(pid_t pid, QObject *parent);
    ~ChildWatcher() override;

    pid_t pid() const { return m_pid; }
    bool hasExited() const { return m_exited; }
    int waitStatus() const { return m_status; }
    // Readable once the child has exited; -1 where pidfds are missing (then poll() it).
    int pidfd() const { return m_pidfd; }

    // Reaps the child now if it has exited; returns whether it had.
    bool poll();
    // SIGKILLs the child and waits until it is gone; for destructors.
    void killAndReap();

Q_SIGNALS:
    void exited();

private:
    bool reap(bool block);

    pid_t m_pid;
    int m_pidfd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_timer = nullptr;
    bool m_exited = false;
    int m_status = 0;
};

} // namespace QForkRpcDetail
