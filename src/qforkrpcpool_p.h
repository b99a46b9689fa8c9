// SPDX-License-Identifier: MIT
#pragma once

#include "qforkrpc_p.h"

#include <qforkrpc/qforkrpcpool.h>

#include <QtCore/QElapsedTimer>

#include <deque>
#include <vector>

class QTimer;

// The pool's side of QForkRpcPool: a queue of calls in order, and the workers (one QForkRpc each)
// it hands them to. Calls travel as PendingCall, the worker's own record of a call, so that
// progress, cancelling, timeouts and failures are the worker's code, not a copy of it; the pool
// only decides where a call goes and takes back those a dying worker never ran.
class QForkRpcPoolPrivate : public WorkerOwner
{
    Q_DECLARE_PUBLIC(QForkRpcPool)

public:
    explicit QForkRpcPoolPrivate(QForkRpcPool *q);
    ~QForkRpcPoolPrivate() override;

    void start(const QString &function, const QForkRpcPool::Options &options);
    void call(const QVariantList &args, PendingCall &&call);
    void finish();
    // For the destructor: kills every worker, drops the calls (futures are cancelled).
    void teardown();

    int pendingCalls() const;
    int workerCount() const { return int(m_workers.size()); }

    QString m_function;

private:
    struct Worker
    {
        QForkRpc *rpc = nullptr;
        int given = 0; // calls handed to it, for maxCallsPerWorker
        qint64 idleSince = 0; // on m_clock, when it last had no call
        bool leaving = false; // finished or retired: it takes no new calls
        QString lastError; // the error it reported last: why it could not start, say
    };

    // WorkerOwner
    void callLeft(QForkRpc *worker) override;
    bool takeBack(QForkRpc *worker, PendingCall &call, QForkRpcError::Kind kind) override;

    void startWorker();
    Worker *workerOf(const QForkRpc *rpc);
    void workerStateChanged(QForkRpc *rpc, QForkRpc::State state);
    void workerEnded(QForkRpc *rpc);
    // A worker could not start: while no other worker runs, the calls waiting fail with its
    // error instead of starting worker after worker. The next call() tries again.
    bool failWaitingCalls(const QString &message);

    // Hands waiting calls to the least loaded workers, then starts or finishes workers as the
    // options say. Safe to call at any time; it does nothing while it runs already.
    void dispatch();
    bool handOutCalls(); // false when a continuation deleted the pool
    Worker *leastLoaded();
    void startOrStopWorkers();
    static bool takesCalls(const Worker &worker);

    // Waiting calls whose futures were cancelled are dropped (QFuture says nothing itself).
    void lookForCancelledFutures();
    PendingCall takeFromQueue(std::deque<PendingCall>::iterator it);
    void addToQueue(std::deque<PendingCall>::iterator at, PendingCall &&call);
    bool emitError(const QString &message); // false when a slot deleted the pool
    bool endIfFinished(); // destroyed() after finish(), once every call and worker is gone

    QForkRpcPool *q_ptr;
    QForkRpcPool::Options m_options;
    int m_max = 1;
    std::vector<Worker> m_workers; // every worker not gone yet, oldest first
    std::deque<PendingCall> m_queue; // calls waiting for a worker, in order
    std::vector<PendingCall> m_takenBack; // from a worker's end: they go first when it is over
    QTimer *m_startTimer = nullptr; // startDelayMs after the last start
    QTimer *m_stopTimer = nullptr; // the first idle worker due to be finished
    QTimer *m_cancelPollTimer = nullptr; // runs while waiting calls have futures
    QElapsedTimer m_clock;
    qint64 m_lastStart = -1;
    qsizetype m_nextCommand = 0; // Options::commands: the one the next worker starts with
    int m_queuedFutures = 0; // waiting calls with a future: the cancel poll runs while any
    bool m_dispatching = false;
    bool m_dispatchAgain = false; // something changed while dispatch() ran
    bool m_finishing = false;
    bool m_startFailed = false; // the last worker could not start: no new one until a call()
    bool m_destroyedEmitted = false;
};
