// SPDX-License-Identifier: MIT
#include "workerpool.h"

#include "workers.h"

#include <QtCore/QFutureWatcher>

#include <csignal>
#include <exception>
#include <limits>
#include <sys/types.h>
#include <utility>

WorkerPool::WorkerPool(bool async, int workers, int timeLimitMs, QObject *parent)
    : QObject(parent)
    , m_async(async)
    , m_timeLimitMs(qMax(0, timeLimitMs))
    , m_workers(qMax(1, workers))
{ }

// The QForkRpc objects and the watchers are our children: deleting the pool kills and reaps
// every worker (their futures are cancelled) and drops the watchers with them.
WorkerPool::~WorkerPool() = default;

void WorkerPool::start(const QList<JobSpec> &jobs)
{
    for (const JobSpec &job : jobs)
        m_queue.enqueue(job);
    for (int slot = 0; slot < m_workers.size(); ++slot)
        startWorker(slot);
    dispatch();
}

void WorkerPool::addJob(const JobSpec &job, bool first)
{
    if (first)
        m_queue.prepend(job);
    else
        m_queue.enqueue(job);
    dispatch();
}

void WorkerPool::startWorker(int slot)
{
    QForkRpc::Options options;
    options.async = m_async;
    options.init = QLatin1String(DemoWorkers::initFunction);
    options.callTimeoutMs = m_timeLimitMs;
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
    connect(rpc, &QForkRpc::stateChanged, this, [this, rpc](QForkRpc::State state) {
        if (const int current = slotOf(rpc); current >= 0 && state == QForkRpc::State::Ended)
            onEnded(current);
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
    const int capacity = jobsPerWorker;
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
    QVariantList args { job.id, job.from, job.to };
    if (job.stuck)
        args.append(true);

    // The future reports the call's progress, its results, or its failure; the watcher hands
    // them to this thread's event loop, which never waits for a worker.
    Call call;
    call.spec = job;
    call.rpc = worker.rpc;
    call.future = worker.rpc->call(args);
    call.watcher = new QFutureWatcher<QVariantList>(this);
    const int id = job.id;
    QFutureWatcher<QVariantList> *watcher = call.watcher;
    connect(watcher, &QFutureWatcherBase::progressRangeChanged, this,
        [this, id, watcher](
            int, int maximum) { onProgress(id, watcher->progressValue(), maximum); });
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this,
        [this, id, watcher](int value) { onProgress(id, value, watcher->progressMaximum()); });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, id] { onFinished(id); });
    m_calls.insert(id, call);
    watcher->setFuture(call.future);
    Q_EMIT jobAssigned(job.id, slot);
}

// The job no longer counts against its worker's share; the watcher goes.
void WorkerPool::release(const Call &call, int job)
{
    if (call.rpc) {
        if (const int slot = slotOf(call.rpc.data()); slot >= 0)
            m_workers[slot].jobs.removeOne(job);
    }
    m_progress.remove(job);
    call.watcher->disconnect(this);
    call.watcher->deleteLater();
}

void WorkerPool::onEvent(int slot, const QVariantList &args)
{
    const QString what = args.value(0).toString();
    const int job = args.value(1).toInt();
    const qint64 pid = m_workers.at(slot).rpc->processId();
    if (what == QLatin1String(DemoWorkers::startedEvent)) {
        // A stuck job makes no progress, and Crash a worker leaves it to the time limit.
        if (const auto call = m_calls.constFind(job);
            call != m_calls.constEnd() && !call->spec.stuck)
            m_progress.insert(job, 0.0);
        Q_EMIT jobStarted(job, pid);
    } else if (what == QLatin1String(DemoWorkers::stoppedEvent)) {
        Q_EMIT jobStopped(job, pid, args.value(2).toLongLong(), args.value(3).toLongLong());
    }
}

void WorkerPool::onProgress(int job, int value, int maximum)
{
    if (!m_calls.contains(job) || m_calls.value(job).spec.stuck || maximum <= 0)
        return;
    m_progress.insert(job, double(value) / double(maximum));
    Q_EMIT jobProgress(job, value, maximum);
}

void WorkerPool::onFinished(int job)
{
    const auto found = m_calls.constFind(job);
    if (found == m_calls.constEnd())
        return;
    const Call call = *found;
    m_calls.erase(found);
    release(call, job);

    // Finished: reading it no longer waits. A failed call's future holds a QForkRpcError, which
    // waitForFinished() (and result()) throw.
    QFuture<QVariantList> future = call.future;
    if (future.resultCount() > 0) {
        Q_EMIT jobDone(job, future.result().value(1).toLongLong());
    } else {
        try {
            future.waitForFinished();
            // Cancelled without an error: only deleting a worker does that, and the pool deletes
            // its workers only once they are gone.
            Q_EMIT jobFailed(job, QForkRpcError::Kind::NotRun, tr("cancelled by the library"));
        } catch (const QForkRpcError &error) {
            if (error.kind() == QForkRpcError::Kind::NotRun && !m_finishing) {
                // Its worker ended before it started the call: it never ran, so it can simply go
                // to another worker, first of all.
                m_queue.prepend(call.spec);
                Q_EMIT jobRequeued(job, error.message());
            } else {
                Q_EMIT jobFailed(job, error.kind(), error.message());
            }
        } catch (const std::exception &error) {
            Q_EMIT jobFailed(job, QForkRpcError::Kind::Protocol, QString::fromUtf8(error.what()));
        }
    }
    dispatch();
}

bool WorkerPool::cancelJob(int job)
{
    for (qsizetype index = 0; index < m_queue.size(); ++index) {
        if (m_queue.at(index).id == job) {
            m_queue.removeAt(index);
            Q_EMIT jobCancelled(job, false, m_finishing);
            return true;
        }
    }
    const auto found = m_calls.constFind(job);
    if (found == m_calls.constEnd())
        return false;
    Call call = *found;
    m_calls.erase(found);
    // Cancelled at once (isCanceled()), without error(); the worker is told. Whatever the call
    // still reports is dropped, so the watcher can go now.
    call.future.cancel();
    release(call, job);
    Q_EMIT jobCancelled(job, true, m_finishing);
    // A running job stops at the worker's next step; a job given to the worker now waits
    // behind it for that moment (sync) or runs beside it (async).
    dispatch();
    return true;
}

void WorkerPool::onError(int slot, const QString &message)
{
    // The demo's functions never throw and carry plain numbers, so an error here comes with the
    // end of the worker (it crashed, or ran past the time limit and was killed): the calls it had
    // fail through their futures, and onEnded() replaces it.
    Q_EMIT workerError(slot, m_workers.at(slot).rpc->processId(), message);
}

void WorkerPool::onEnded(int slot)
{
    // After finish() the worker's end is expected, and destroyed() ends its slot; before, it
    // died: a fresh worker takes its place and the queue goes on.
    if (m_finishing)
        return;
    Worker &worker = m_workers[slot];
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
