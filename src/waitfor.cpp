// SPDX-License-Identifier: MIT
// QForkRpc::waitFor(): what the event loop does for one worker, done by hand until a future is
// finished. poll() waits for this worker's socket (both ways), its pidfd and the template's
// answer; the object's timers, which cannot fire while we block, are checked after each wait.
#include "qforkrpc_p.h"

#include "spawn/childwatcher_p.h"
#include "spawn/spawn_p.h"
#include "spawn/stderrrelay_p.h"

#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <cerrno>
#include <poll.h>

using namespace QForkRpcDetail;

namespace {
// How often to look again while something cannot be polled: a template's answer, a child
// without a pidfd.
constexpr int recheckMs = 5;

} // namespace

// Runs what `timer` would run if it is due (it cannot fire by itself here); returns its remaining
// time otherwise, or -1 when it is not running.
int QForkRpcPrivate::fireIfDue(QTimer *timer, void (QForkRpcPrivate::*fired)())
{
    if (!timer->isActive())
        return -1;
    const int remaining = timer->remainingTime();
    if (remaining > 0)
        return remaining;
    timer->stop();
    (this->*fired)();
    return -1;
}

bool QForkRpcPrivate::waitFor(const QFuture<QVariantList> &future, QDeadlineTimer deadline)
{
    Q_Q(QForkRpc);
    QPointer<QForkRpc> alive(q);
    bool lastLook = false;
    while (!future.isFinished() && alive && m_state != QForkRpc::State::Ended) {
        lookForCancelledFutures(); // the event loop's timer would
        if (!alive || future.isFinished())
            break;
        if (!m_channel && !m_failure.isEmpty()) {
            end(); // run() failed: the end that was queued for the event loop happens now
            continue;
        }
        int waitMs = int(qMin<qint64>(deadline.remainingTime(), std::numeric_limits<int>::max()));
        if (deadline.isForever())
            waitMs = -1;
        const std::pair<QTimer *, void (QForkRpcPrivate::*)()> timers[] = {
            { m_helloTimer, &QForkRpcPrivate::helloTimerFired },
            { m_endTimer, &QForkRpcPrivate::endTimerFired },
            { m_callTimer, &QForkRpcPrivate::callTimerFired },
        };
        for (const auto &[timer, fired] : timers) {
            const int remaining = fireIfDue(timer, fired);
            if (!alive || m_state == QForkRpc::State::Ended)
                break;
            if (remaining >= 0 && (waitMs < 0 || remaining < waitMs))
                waitMs = remaining;
        }
        if (!alive || m_state == QForkRpc::State::Ended || future.isFinished())
            break;
        if (lastLook)
            return false;
        if (deadline.hasExpired()) {
            lastLook = true; // one look without waiting, even for msecs == 0
            waitMs = 0;
        }
        if (m_futureCalls > 0)
            waitMs = waitMs < 0 ? cancelPollMs : qMin(waitMs, cancelPollMs);

        if (m_ticket) {
            pid_t pid = 0;
            QString error;
            if (m_ticket->isAnswered(&pid, &error)) {
                templateAnswered(pid, error);
                continue;
            }
            waitMs = waitMs < 0 ? recheckMs : qMin(waitMs, recheckMs);
        }
        pollfd fds[4];
        nfds_t count = 0;
        // A Command's stderr is passed on meanwhile: a chatty one must not block on a full pipe.
        const int stderrFd = m_stderr ? m_stderr->fdToWaitFor() : -1;
        if (stderrFd >= 0)
            fds[count++] = { stderrFd, POLLIN, 0 };
        const int readFd = m_channel ? m_channel->readFdToWaitFor() : -1;
        const int writeFd = m_channel ? m_channel->writeFdToWaitFor() : -1;
        const int pidfd = m_watcher && !m_watcher->hasExited() ? m_watcher->pidfd() : -1;
        if (readFd >= 0)
            fds[count++] = { readFd, POLLIN, 0 };
        if (writeFd >= 0)
            fds[count++] = { writeFd, POLLOUT, 0 };
        if (pidfd >= 0)
            fds[count++] = { pidfd, POLLIN, 0 };
        if (m_watcher && !m_watcher->hasExited() && pidfd < 0)
            waitMs = waitMs < 0 ? recheckMs : qMin(waitMs, recheckMs);
        const int ready = ::poll(fds, count, waitMs);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0) {
            if (m_watcher && pidfd < 0)
                m_watcher->poll();
            continue;
        }
        if (stderrFd >= 0)
            m_stderr->drain();
        // Write first, so that the worker has our requests while we read its answers.
        if (m_channel && writeFd >= 0)
            m_channel->flush();
        if (m_channel && readFd >= 0)
            m_channel->readNow(); // delivers results, events, progress; may delete us
        if (alive && m_watcher && pidfd >= 0)
            m_watcher->poll(); // says exited(): the end follows as in the event loop
    }
    return future.isFinished();
}

bool QForkRpc::waitFor(const QFuture<QVariantList> &future, int msecs)
{
    Q_D(QForkRpc);
    const QDeadlineTimer deadline
        = msecs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(qint64(msecs));
    if (QThread::currentThread() != thread()) {
        // The object's thread delivers; a QFuture offers no timed wait, so look every moment.
        while (!future.isFinished() && !deadline.hasExpired())
            QThread::msleep(1);
        return future.isFinished();
    }
    return d->waitFor(future, deadline);
}
