// SPDX-License-Identifier: MIT
// A small pool of worker processes (one QForkRpc each) that counts primes in ranges. Jobs wait
// in the pool's queue until a worker has room: one job at a time per worker with the sync backend,
// two at once with the async backend. A worker that dies takes its jobs with it (they fail with
// its error message) and is replaced by a fresh one, which carries on with the queue.
#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QQueue>
#include <QtCore/QString>

class QForkRpc;

struct JobSpec
{
    int id = 0;
    qint64 from = 0; // the range [from, to)
    qint64 to = 0;
};

class WorkerPool : public QObject
{
    Q_OBJECT

public:
    WorkerPool(bool async, int workers, QObject *parent = nullptr);
    ~WorkerPool() override;

    // How many jobs a worker is given at once.
    static int jobsPerWorker(bool async) { return async ? 2 : 1; }

    // Starts the workers and hands them jobs from the queue.
    void start(const QList<JobSpec> &jobs);

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
    void jobProgress(int job, qint64 pid, qint64 done, qint64 total, qint64 primes);
    void jobDone(int job, qint64 primes);
    void jobFailed(int job, const QString &message);
    void crashRequested(int slot, qint64 pid);
    void workerError(int slot, qint64 pid, const QString &message);
    void workerReplaced(int slot);
    void workerDestroyed(int slot);
    void allDestroyed();

private:
    struct Worker
    {
        QForkRpc *rpc = nullptr;
        QList<int> jobs; // given to this worker, not answered yet
        bool crashing = false;
    };

    void startWorker(int slot);
    int slotOf(const QObject *rpc) const;
    void dispatch();
    int leastLoadedSlot() const;
    void assign(int slot, const JobSpec &job);
    void onEvent(int slot, const QVariantList &args);
    void onResult(int slot, const QVariantList &results);
    void onError(int slot, const QString &message);
    void onDestroyed(int slot);

    const bool m_async;
    QList<Worker> m_workers;
    QQueue<JobSpec> m_queue;
    QHash<int, double> m_progress; // job id -> fraction done, for jobs that have started
    bool m_finishing = false;
    int m_destroyed = 0;
};
