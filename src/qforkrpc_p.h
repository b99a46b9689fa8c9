// SPDX-License-Identifier: MIT
#pragma once

#include "registry_p.h"
#include "wire/channel_p.h"

#include <qforkrpc/qforkrpc.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QPromise>

#include <map>
#include <memory>
#include <vector>

class QTimer;

namespace QForkRpcDetail {
class ChildWatcher;
class StderrRelay;
class TemplateTicket;
} // namespace QForkRpcDetail

// A call sent (or to be sent) and not answered yet.
struct PendingCall
{
    std::function<void(const QVariantList &)> callback;
    std::unique_ptr<QPromise<QVariantList>> promise;
    qint64 startedAt = -1; // when the worker started it (ms on QForkRpcPrivate::m_clock), or -1
    int progressMaximum = -1; // the range last given to the promise
    // Its future was cancelled: it waits only for the worker to be done with it (its answer is
    // dropped), so that we know which call the sync worker runs.
    bool cancelled = false;
    qint64 cancelledAt = -1; // when, if its worker is killed a while later (m_cancelKillAfterMs)
    // A pool's call keeps what it needs to go to another worker (WorkerOwner::takeBack()).
    QVariantList args;
    int retriesLeft = 0;

    // A future cancelled by its holder, which we may not have noticed yet.
    bool futureCancelled() const { return promise && !cancelled && promise->isCanceled(); }
};

// The QForkRpcPool a worker belongs to: it hands the worker calls, and takes back those the
// worker's end would fail, to give them to another worker.
class WorkerOwner
{
public:
    virtual ~WorkerOwner() = default;
    // A call left the worker (answered, failed or skipped): there is room for another.
    virtual void callLeft(QForkRpc *worker) = 0;
    // The worker ended with `call` unanswered, which would fail with `kind`; true when the owner
    // took it (it moved out what it needs), false to let it fail.
    virtual bool takeBack(QForkRpc *worker, PendingCall &call, QForkRpcError::Kind kind) = 0;
};

// The parent side of one worker: its lifecycle (QForkRpc::State), its calls, and the one channel
// and one process watcher it owns. Every end (the worker exited or was killed, broke the protocol,
// never started) goes through end(), which reports once and fails what is left.
class QForkRpcPrivate : public QForkRpcDetail::Channel::Receiver
{
    Q_DECLARE_PUBLIC(QForkRpc)

public:
    using Callback = std::function<void(const QVariantList &)>;
    // How often pending futures are looked at for cancelling (a pool's waiting ones too).
    static constexpr int cancelPollMs = 25;

    explicit QForkRpcPrivate(QForkRpc *q);
    ~QForkRpcPrivate() override;

    void start(const QString &function, const QForkRpc::Options &options);
    void call(const QVariantList &args, Callback callback,
        std::unique_ptr<QPromise<QVariantList>> promise);
    // The one way in for calls: `call` brings its callback and promise (and a pool's fields).
    void call(const QVariantList &args, PendingCall &&call);
    void finish();
    // For the destructor: kills and reaps the worker (or leaves a template worker that does not
    // exist yet to the library), drops callbacks uncalled, cancels futures. Never waits for the
    // template.
    void teardown();

    qint64 processId() const;
    int pendingCalls() const { return int(m_pending.size()) - m_cancelledCalls; }
    // Calls in the worker, cancelled ones it still runs included: its load, for a pool.
    int callsInWorker() const { return int(m_pending.size()); }
    bool hasStarted() const { return m_ready; }
    // For a pool: it owns this worker, and a cancelled call still running `cancelKillAfterMs`
    // later kills it (-1: never).
    void setOwner(WorkerOwner *owner, int cancelKillAfterMs);
    static QForkRpcPrivate *get(QForkRpc *rpc) { return rpc->d_func(); }
    // QForkRpc::waitFor() in the object's thread.
    bool waitFor(const QFuture<QVariantList> &future, QDeadlineTimer deadline);

    QForkRpc::State m_state = QForkRpc::State::Starting;
    QString m_function;

private:
    // Channel::Receiver
    bool frameReceived(QForkRpcDetail::Frame &frame) override;
    void streamEnded(const QString &error) override;

    void failStart(const QString &message);
    void watchWorker(pid_t pid);
    void templateAnswered(pid_t pid, const QString &error);
    void workerExited();
    void helloTimerFired();
    void endTimerFired();
    void endOfStreamOverdue();
    void exitOverdue();
    // Ends everything once both the stream and the process are over (or either is enough).
    void endWhenBothAreOver();

    // Each returns false when the object was deleted by a slot or callback it ran.
    bool handleHello(const QByteArray &payload);
    bool handleReady();
    bool deliverResult(
        quint32 id, QByteArray &&payload, const QForkRpcDetail::Descriptors &descriptors);
    bool deliverProgress(quint32 id, const QByteArray &payload);
    bool failCall(quint32 id, QForkRpcError::Kind kind, const QString &message);
    // A cancelled call the worker is done with (answered or skipped): dropped without a word.
    bool dropCancelled(std::map<quint32, PendingCall>::iterator it);
    // The future of call `id` was cancelled: the worker is told, and the future finished (at
    // once, or through the event loop when `finishLater`, where user code must not run).
    void cancelCall(quint32 id, bool finishLater = false);
    // QFuture says nothing when it is cancelled: futures are looked at before their requests
    // are written (so that a Cancel follows in the same write), every cancelPollMs while any is
    // pending, and in waitFor().
    void lookForCancelledFutures();
    void aboutToFlush() override;
    void finishWritingOnceAnswered();
    // Removes a call the worker is done with and hands it over; in the sync backend the next
    // call starts then, and after finish() the last one closes our end.
    PendingCall takeCall(std::map<quint32, PendingCall>::iterator it);
    // A pending future settled or was found cancelled: the cancel poll stops with the last one.
    void stopWatchingOneFuture();
    // Drops every call and what keeps count of them, and stops their timers.
    void forgetCalls();
    // The calls the worker has started get their start time, and the timeout follows the oldest.
    void callsStarted();
    void armCallTimer();
    void callTimerFired();
    // A pool's worker whose cancelled call goes on running is killed: m_cancelKillAfterMs.
    void armCancelKillTimer();
    void cancelKillTimerFired();
    qint64 cancelKillDeadline(quint32 id, const PendingCall &call) const; // -1: none
    int fireIfDue(QTimer *timer, void (QForkRpcPrivate::*fired)()); // for waitFor()
    // The kind of failure of a call still pending when the worker ends.
    QForkRpcError::Kind kindAtEnd(quint32 id, const PendingCall &call) const;
    bool emitError(const QString &message);
    bool protocolFailure(const QString &message);
    // The one way to State::Ended: kills the worker if it still runs, closes the channel, fails
    // the calls that are left, reports the end once (m_failure, or how the worker ended), and says
    // destroyed() after finish(). False when a handler deleted the object.
    bool end();
    // Gives up the template's answer still to come; a pid already known is killed and reaped.
    void releaseTicket();
    bool setState(QForkRpc::State state); // false when a handler deleted the object

    bool isExecSpawn() const;
    bool isCommandSpawn() const;
    // Options::sharedMemoryThreshold as the channel and the worker use it: 0 for never.
    qsizetype sharedMemoryThreshold() const;
    // "; its last lines on stderr: ..." for the error of a Command worker, else empty.
    QString commandStderrText() const;
    QString notAWorkerText() const;

public:
    // Fails a call's future with a QForkRpcError (the pool's calls too).
    static void failPromise(
        QPromise<QVariantList> &promise, QForkRpcError::Kind kind, const QString &message);

private:
    QForkRpc *q_ptr;
    QForkRpc::Options m_options;
    const QForkRpcDetail::Serialiser *m_serialiser = nullptr;
    QForkRpcDetail::Channel *m_channel = nullptr; // null until spawned; closed at the end
    QForkRpcDetail::ChildWatcher *m_watcher = nullptr; // null until the pid is known
    QForkRpcDetail::StderrRelay *m_stderr = nullptr; // a Command worker's stderr
    std::shared_ptr<QForkRpcDetail::TemplateTicket> m_ticket; // a template worker's pid, to come
    QTimer *m_helloTimer = nullptr; // the worker must say hello in time
    QTimer *m_endTimer = nullptr; // waits for the other half of the end: exit, or end of stream
    QTimer *m_callTimer = nullptr; // Options::callTimeoutMs of the oldest call started
    QTimer *m_cancelPollTimer = nullptr; // runs while futures are pending
    QTimer *m_cancelKillTimer = nullptr; // m_cancelKillAfterMs of the first cancelled call due
    WorkerOwner *m_owner = nullptr;
    int m_cancelKillAfterMs = -1;
    int m_futureCalls = 0; // pending calls with a future not known to be cancelled
    std::vector<quint32> m_unsentFutureCalls; // future calls made since the last write
    QElapsedTimer m_clock;
    quint32 m_nextId = 1;
    std::map<quint32, PendingCall> m_pending; // in the order of the calls
    int m_cancelledCalls = 0; // of those in m_pending

    bool m_helloSeen = false;
    bool m_ready = false; // the worker has said Ready: it runs calls
    qint64 m_helloPid = 0; // the pid the worker said, before its template's answer is read
    bool m_streamEnded = false;
    QString m_streamError; // what was wrong with the end of the stream, if anything
    bool m_killedAfterEndOfStream = false; // it closed its connection and stayed: we killed it
    QString m_failure; // the error that explains the end, once known
    QForkRpcError::Kind m_failureKind = QForkRpcError::Kind::WorkerDied; // of m_failure
    quint32 m_timedOutCall = 0; // the call whose timeout ended the worker
    bool m_failureReported = false;
    // The end needs no error() unless it failed a call (a cancelled call's worker was killed).
    bool m_quietUnlessCallsFail = false;
    bool m_destroyedEmitted = false;
};
