// SPDX-License-Identifier: MIT
#include "workerpool.h"

#include "workers.h"

#include <QForkRpc>

#include <csignal>
#include <limits>
#include <sys/types.h>
#include <utility>

WorkerPool::WorkerPool(bool async, int workers, QObject *parent)
    : QObject(parent)
    , m_async(async)
    , m_workers(qMax(1, workers))
{ }

// The QForkRpc objects are our children: deleting the pool kills and reaps every worker.
WorkerPool::~WorkerPool() = default;

void WorkerPool::start(const QList<JobSpec> &jobs)
{
    for (const JobSpec &job : jobs)
        m_queue.enqueue(job);
    for (int slot = 0; slot < m_workers.size(); ++slot)
        startWorker(slot);
    dispatch();
}

void WorkerPool::startWorker(int slot)
{
    QForkRpc::Options options;
    options.async = m_async;
    options.init = QLatin1String(DemoWorkers::initFunction);
    const QString function
        = QLatin1String(m_async ? DemoWorkers::asyncFunction : DemoWorkers::syncFunction);
    QForkRpc *rpc = QForkRpc::run(function, options, this);
    m_workers[slot] = Worker { rpc, {}, false };

    // The slot is looked up on every signal: a replaced worker's object may still be around for
    // a moment (it is deleted later), and what it says then no longer matters.
    connect(rpc, &QForkRpc::event, this, [this, rpc](const QVariantList &args) {
        if (const int current = slotOf(rpc); current >= 0)
            onEvent(current, args);
    });
    connect(rpc, &QForkRpc::error, this, [this, rpc](const QString &message) {
        if (const int current = slotOf(rpc); current >= 0)
            onError(current, message);
    });
    connect(rpc, &QForkRpc::destroyed, this, [this, rpc] {
        if (const int current = slotOf(rpc); current >= 0)
            onDestroyed(current);
    });
}

int WorkerPool::slotOf(const QObject *rpc) const
{
    for (int slot = 0; slot < m_workers.size(); ++slot) {
        if (m_workers.at(slot).rpc == rpc)
            return slot;
    }
    return -1;
}

void WorkerPool::dispatch()
{
    const int capacity = jobsPerWorker(m_async);
    while (!m_queue.isEmpty()) {
        const int slot = leastLoadedSlot();
        if (m_workers.at(slot).jobs.size() >= capacity && !m_finishing)
            return;
        assign(slot, m_queue.dequeue());
    }
}

int WorkerPool::leastLoadedSlot() const
{
    int best = 0;
    for (int slot = 1; slot < m_workers.size(); ++slot) {
        if (m_workers.at(slot).jobs.size() < m_workers.at(best).jobs.size())
            best = slot;
    }
    return best;
}

void WorkerPool::assign(int slot, const JobSpec &job)
{
    Worker &worker = m_workers[slot];
    worker.jobs.append(job.id);
    QForkRpc *rpc = worker.rpc;
    rpc->call({ job.id, job.from, job.to }, [this, rpc](const QVariantList &results) {
        if (const int current = slotOf(rpc); current >= 0)
            onResult(current, results);
    });
    Q_EMIT jobAssigned(job.id, slot);
}

void WorkerPool::onEvent(int slot, const QVariantList &args)
{
    const int job = args.value(0).toInt();
    const qint64 done = args.value(1).toLongLong();
    const qint64 total = args.value(2).toLongLong();
    m_progress.insert(job, total > 0 ? double(done) / double(total) : 1.0);
    Q_EMIT jobProgress(
        job, m_workers.at(slot).rpc->processId(), done, total, args.value(3).toLongLong());
}

void WorkerPool::onResult(int slot, const QVariantList &results)
{
    const int job = results.value(0).toInt();
    m_workers[slot].jobs.removeOne(job);
    m_progress.remove(job);
    Q_EMIT jobDone(job, results.value(1).toLongLong());
    dispatch();
}

void WorkerPool::onError(int slot, const QString &message)
{
    // The worker functions never throw and carry plain numbers, so every error here means the
    // worker is gone (it crashed, or was killed): every job it had fails with its message.
    Worker &worker = m_workers[slot];
    Q_EMIT workerError(slot, worker.rpc->processId(), message);
    const QList<int> lost = std::exchange(worker.jobs, {});
    for (int job : lost) {
        m_progress.remove(job);
        Q_EMIT jobFailed(job, message);
    }
    // After finish() the dead worker still says destroyed(), which ends its slot; before, a fresh
    // worker takes its place and the queue goes on.
    if (m_finishing)
        return;
    QForkRpc *dead = worker.rpc;
    dead->disconnect(this);
    dead->deleteLater();
    startWorker(slot);
    Q_EMIT workerReplaced(slot);
    dispatch();
}

void WorkerPool::onDestroyed(int slot)
{
    Q_EMIT workerDestroyed(slot);
    if (++m_destroyed == m_workers.size())
        Q_EMIT allDestroyed();
}

int WorkerPool::crashWorker()
{
    int target = -1;
    double least = std::numeric_limits<double>::max();
    for (int slot = 0; slot < m_workers.size(); ++slot) {
        const Worker &worker = m_workers.at(slot);
        if (worker.crashing || worker.rpc->processId() <= 0)
            continue;
        for (int job : worker.jobs) {
            const auto progress = m_progress.constFind(job);
            if (progress != m_progress.constEnd() && *progress < least) {
                least = *progress;
                target = slot;
            }
        }
    }
    if (target < 0)
        return -1;
    Worker &worker = m_workers[target];
    worker.crashing = true;
    const qint64 pid = worker.rpc->processId();
    ::kill(pid_t(pid), DemoWorkers::crashSignal);
    Q_EMIT crashRequested(target, pid);
    return target;
}

void WorkerPool::finish()
{
    if (m_finishing)
        return;
    m_finishing = true;
    dispatch(); // with m_finishing set, the whole queue goes out
    for (const Worker &worker : std::as_const(m_workers))
        worker.rpc->finish();
}
