// SPDX-License-Identifier: MIT
// A small pool of worker processes (one QForkRpc each) that counts primes in ranges. Jobs wait
// in the pool's queue until a worker has room: every worker is given two jobs at a time (as
// AnyEvent::Fork::Pool's load of 2), which the sync backend runs one after the other (the second
// waits in the worker) and the async backend side by side. Each job handed to a worker is a call
// whose QFuture the pool watches (QFutureWatcher): its progress feeds the progress bars, its
// result or its failure (a QForkRpcError, with its kind) ends the job, and cancelling the job
// cancels the future. A worker that dies (it crashed, or a job ran past the time limit and the
// library killed it) fails its calls through their futures and is replaced by a fresh one, which
// carries on with the queue; a call that never started (NotRun) goes back to the queue, since
// running it again is always safe.
#pragma once

#include <QForkRpc>

#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QQueue>
#include <QtCore/QString>

template <typename T> class QFutureWatcher;

struct JobSpec
{
    int id = 0;
    qint64 from = 0; // the range [from, to)
    qint64 to = 0;
    bool stuck = false; // never answers: only the time limit ends it
};

class WorkerPool : public QObject
{
    Q_OBJECT

public:
    // Every call gets `timeLimitMs` (QForkRpc::Options::callTimeoutMs; 0: none).
    WorkerPool(bool async, int workers, int timeLimitMs, QObject *parent = nullptr);
    ~WorkerPool() override;

    // How many jobs a worker is given at once, and how many of them run at once.
    static constexpr int jobsPerWorker = 2;
    static int runningPerWorker(bool async) { return async ? jobsPerWorker : 1; }

    // Starts the workers and hands them jobs from the queue.
    void start(const QList<JobSpec> &jobs);

    // Puts one more job in the queue: at its end, or at its head, for the next free worker.
    void addJob(const JobSpec &job, bool first = false);

    // Cancels a job that has not ended. One still in the pool's queue is taken out of it; one
    // handed to a worker is cancelled through its future (QFuture::cancel()): if the worker has
    // not started it, it never runs, and if it runs, the worker sees isCancelled() and stops.
    // After finish() the library no longer tells the worker: it runs the job to its end and the
    // result is dropped. jobCancelled() follows at once. Returns false when the job has ended.
    bool cancelJob(int job);

    // Makes the busy worker with the least progress segfault at its next step. Returns its slot,
    // or -1 when no worker is in the middle of a job.
    int crashWorker();

    // Hands every queued job to the workers, then finish()es them: each runs what it was given
    // and exits; allDestroyed() follows once every worker has said destroyed().
    void finish();

    int workerCount() const { return int(m_workers.size()); }
    bool isFinishing() const { return m_finishing; }

Q_SIGNALS:
    void jobAssigned(int job, int slot);
    // The worker said it began the job. It may come for a job cancelled a moment before, when the
    // worker had already started it.
    void jobStarted(int job, qint64 pid);
    // From the call's future: `done` of `total` numbers examined.
    void jobProgress(int job, qint64 done, qint64 total);
    void jobDone(int job, qint64 primes);
    void jobCancelled(int job, bool handedOut, bool workerFinishing);
    // The job's call never started (QForkRpcError::Kind::NotRun) when its worker died: it is
    // back at the head of the queue.
    void jobRequeued(int job, const QString &message);
    // The worker stopped a cancelled job early, after `done` of `total` numbers.
    void jobStopped(int job, qint64 pid, qint64 done, qint64 total);
    // The job's future failed with this QForkRpcError.
    void jobFailed(int job, QForkRpcError::Kind kind, const QString &message);
    void crashRequested(int slot, qint64 pid);
    void workerError(int slot, qint64 pid, const QString &message);
    void workerReplaced(int slot);
    void workerDestroyed(int slot);
    void allDestroyed();

private:
    struct Worker
    {
        QForkRpc *rpc = nullptr;
        QList<int> jobs; // given to this worker, not answered (nor cancelled) yet
        bool crashing = false;
    };

    // A job handed to a worker, until its future has finished or it was cancelled.
    struct Call
    {
        JobSpec spec;
        QPointer<QForkRpc> rpc;
        QFuture<QVariantList> future;
        QFutureWatcher<QVariantList> *watcher = nullptr;
    };

    void startWorker(int slot);
    int slotOf(const QObject *rpc) const;
    void dispatch();
    int leastLoadedSlot() const;
    void assign(int slot, const JobSpec &job);
    void release(const Call &call, int job);
    void onEvent(int slot, const QVariantList &args);
    void onProgress(int job, int value, int maximum);
    void onFinished(int job);
    void onError(int slot, const QString &message);
    void onEnded(int slot);
    void onDestroyed(int slot);

    const bool m_async;
    const int m_timeLimitMs;
    QList<Worker> m_workers;
    QQueue<JobSpec> m_queue;
    QHash<int, Call> m_calls; // job id -> its call, while it runs or waits in a worker
    QHash<int, double> m_progress; // job id -> fraction done, for counting jobs that have started
    bool m_finishing = false;
    int m_destroyed = 0;
};
