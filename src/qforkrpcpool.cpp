// SPDX-License-Identifier: MIT
// QForkRpcPool: AnyEvent::Fork::Pool's scheduling (max, idle, load, start and stop delays) over
// QForkRpc workers, which it owns (WorkerOwner) so that it can take back the calls a dying worker
// never ran.
#include "qforkrpcpool_p.h"

#include "anythread_p.h"
#include "contextrelay_p.h"
#include "errorrouting_p.h"
#include "errors_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QMetaMethod>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <algorithm>
#include <iterator>

using namespace QForkRpcDetail;

namespace {

QForkRpcPrivate *workerData(QForkRpc *rpc)
{
    return QForkRpcPrivate::get(rpc);
}
} // namespace

QForkRpcPoolPrivate::QForkRpcPoolPrivate(QForkRpcPool *q)
    : q_ptr(q)
{
    m_startTimer = new QTimer(q);
    m_startTimer->setSingleShot(true);
    QObject::connect(m_startTimer, &QTimer::timeout, q, [this] { dispatch(); });
    m_stopTimer = new QTimer(q);
    m_stopTimer->setSingleShot(true);
    QObject::connect(m_stopTimer, &QTimer::timeout, q, [this] { dispatch(); });
    m_cancelPollTimer = new QTimer(q);
    m_cancelPollTimer->setTimerType(Qt::CoarseTimer);
    QObject::connect(m_cancelPollTimer, &QTimer::timeout, q, [this] { lookForCancelledFutures(); });
    m_clock.start();
}

QForkRpcPoolPrivate::~QForkRpcPoolPrivate() = default;

void QForkRpcPoolPrivate::start(const QString &function, const QForkRpcPool::Options &options)
{
    m_function = function;
    m_options = options;
    m_max = options.max > 0 ? options.max : qMax(1, QThread::idealThreadCount());
    m_options.load = qMax(1, options.load);
    m_options.idle = qBound(0, options.idle, m_max);
    // AnyEvent::Fork::Pool's idle is also how many workers the pool starts with.
    for (int i = 0; i < m_options.idle; ++i)
        startWorker();
}

void QForkRpcPoolPrivate::startWorker()
{
    Q_Q(QForkRpcPool);
    QForkRpc::Options options = m_options.worker;
    if (!m_options.commands.isEmpty()) {
        options.spawn = QForkRpc::Spawn::Command;
        options.command = m_options.commands.at(m_nextCommand);
        m_nextCommand = (m_nextCommand + 1) % m_options.commands.size();
    }
    QForkRpc *rpc = QForkRpc::run(m_function, options, q);
    workerData(rpc)->setOwner(this, m_options.cancelKillAfterMs);
    QObject::connect(rpc, &QForkRpc::event, q, &QForkRpcPool::event);
    QObject::connect(rpc, &QForkRpc::error, q, [this, rpc](const QString &message) {
        if (Worker *worker = workerOf(rpc))
            worker->lastError = message;
        emitError(message);
    });
    QObject::connect(rpc, &QForkRpc::stateChanged, q,
        [this, rpc](QForkRpc::State state) { workerStateChanged(rpc, state); });
    m_lastStart = m_clock.elapsed();
    Worker worker;
    worker.rpc = rpc;
    worker.idleSince = m_lastStart;
    m_workers.push_back(worker);
}

QForkRpcPoolPrivate::Worker *QForkRpcPoolPrivate::workerOf(const QForkRpc *rpc)
{
    const auto it = std::find_if(m_workers.begin(), m_workers.end(),
        [rpc](const Worker &worker) { return worker.rpc == rpc; });
    return it == m_workers.end() ? nullptr : &*it;
}

bool QForkRpcPoolPrivate::takesCalls(const Worker &worker)
{
    const QForkRpc::State state = worker.rpc->state();
    return !worker.leaving
        && (state == QForkRpc::State::Starting || state == QForkRpc::State::Running);
}

// ---- calls ------------------------------------------------------------------------------------

void QForkRpcPoolPrivate::call(const QVariantList &args, PendingCall &&call)
{
    Q_Q(QForkRpcPool);
    if (call.promise) {
        call.promise->start();
        if (call.promise->isCanceled()) { // cancelled before it was made: it never is
            call.promise->finish();
            return;
        }
    }
    auto refuse = [&](const QString &message) {
        QPointer<QForkRpcPool> alive(q);
        if (call.promise) // may delete us
            QForkRpcPrivate::failPromise(*call.promise, QForkRpcError::Kind::Refused, message);
        if (alive)
            QMetaObject::invokeMethod(
                q, [this, message] { emitError(message); }, Qt::QueuedConnection);
    };
    if (m_finishing)
        return refuse(errorText(ErrorCode::CallAfterFinish, { m_function }));
    if (m_options.maxQueuedCalls > 0 && int(m_queue.size()) >= m_options.maxQueuedCalls)
        return refuse(
            errorText(ErrorCode::PoolQueueFull, { m_function, QString::number(m_queue.size()) }));

    call.args = args;
    call.retriesLeft = qMax(0, m_options.retries);
    addToQueue(m_queue.end(), std::move(call));
    dispatch();
}

void QForkRpcPoolPrivate::finish()
{
    if (m_finishing)
        return;
    m_finishing = true;
    dispatch();
}

int QForkRpcPoolPrivate::pendingCalls() const
{
    int count = int(m_queue.size() + m_takenBack.size());
    for (const Worker &worker : m_workers)
        count += workerData(worker.rpc)->pendingCalls();
    return count;
}

void QForkRpcPoolPrivate::dispatch()
{
    Q_Q(QForkRpcPool);
    if (m_dispatching) {
        m_dispatchAgain = true; // the loop that runs looks again
        return;
    }
    m_dispatching = true;
    QPointer<QForkRpcPool> alive(q);
    do {
        m_dispatchAgain = false;
        if (!handOutCalls())
            return; // deleted
        startOrStopWorkers();
    } while (m_dispatchAgain);
    m_dispatching = false;
    if (m_finishing && m_workers.empty() && m_queue.empty())
        QMetaObject::invokeMethod(
            q, [this] { endIfFinished(); }, Qt::QueuedConnection);
}

bool QForkRpcPoolPrivate::handOutCalls()
{
    Q_Q(QForkRpcPool);
    QPointer<QForkRpcPool> alive(q);
    while (!m_queue.empty()) {
        Worker *worker = leastLoaded();
        if (!worker)
            break;
        PendingCall call = takeFromQueue(m_queue.begin());
        if (call.futureCancelled()) {
            call.promise->finish(); // may delete us
            if (!alive)
                return false;
            continue;
        }
        QForkRpc *rpc = worker->rpc;
        ++worker->given;
        worker->idleSince = -1;
        const bool last
            = m_options.maxCallsPerWorker > 0 && worker->given >= m_options.maxCallsPerWorker;
        if (last)
            worker->leaving = true;
        const QVariantList args = call.args;
        workerData(rpc)->call(args, std::move(call));
        // A worker that has had its calls runs them and exits; another takes its place.
        if (last)
            rpc->finish();
        if (!alive)
            return false;
    }
    return true;
}

QForkRpcPoolPrivate::Worker *QForkRpcPoolPrivate::leastLoaded()
{
    Worker *best = nullptr;
    int bestLoad = m_options.load;
    for (Worker &worker : m_workers) {
        if (!takesCalls(worker))
            continue;
        const int load = workerData(worker.rpc)->callsInWorker();
        if (load < bestLoad) {
            best = &worker;
            bestLoad = load;
        }
    }
    return best;
}

void QForkRpcPoolPrivate::startOrStopWorkers()
{
    const qint64 now = m_clock.elapsed();
    int usable = 0; // workers that take calls
    int working = 0; // and those that still run calls while they leave: `max` bounds these
    int idle = 0;
    bool room = false;
    for (const Worker &worker : m_workers) {
        const int load = workerData(worker.rpc)->callsInWorker();
        if (!takesCalls(worker)) {
            working += load > 0;
            continue;
        }
        ++usable;
        ++working;
        idle += load == 0;
        room = room || load < m_options.load;
    }

    if (m_finishing && m_queue.empty()) {
        // Perl's "undef $pool": every worker runs what it has and exits.
        m_startTimer->stop();
        m_stopTimer->stop();
        for (Worker &worker : m_workers) {
            if (!worker.leaving) {
                worker.leaving = true;
                worker.rpc->finish();
            }
        }
        return;
    }

    // Start one when calls wait and every worker is at its load, or when fewer than `idle` wait
    // idle: startDelayMs after the last start, or at once when there is no worker. After a
    // worker failed to start, only calls with no worker at all start one (and fail if it fails).
    const bool callsNeedOne = !m_queue.empty() && !room && (!m_startFailed || usable == 0);
    const bool idleNeedsOne = idle < m_options.idle && !m_startFailed;
    m_startTimer->stop();
    if ((callsNeedOne || idleNeedsOne) && working < m_max) {
        const qint64 wait = usable == 0 || m_lastStart < 0
            ? 0
            : qMax<qint64>(0, m_lastStart + m_options.startDelayMs - now);
        if (wait > 0) {
            m_startTimer->start(int(wait));
        } else {
            startWorker();
            m_dispatchAgain = true; // it takes calls at once: they are sent after its setup
        }
    }

    // Stop: a worker idle for stopDelayMs is finished, down to `idle` workers.
    qint64 nextDue = -1;
    for (Worker &worker : m_workers) {
        if (idle <= m_options.idle)
            break;
        if (!takesCalls(worker) || worker.rpc->state() != QForkRpc::State::Running
            || workerData(worker.rpc)->callsInWorker() > 0 || worker.idleSince < 0)
            continue;
        const qint64 due = worker.idleSince + qMax(0, m_options.stopDelayMs);
        if (due <= now) {
            worker.leaving = true;
            worker.rpc->finish();
            --idle;
        } else if (nextDue < 0 || due < nextDue) {
            nextDue = due;
        }
    }
    if (nextDue >= 0)
        m_stopTimer->start(int(nextDue - now));
    else
        m_stopTimer->stop();
}

PendingCall QForkRpcPoolPrivate::takeFromQueue(std::deque<PendingCall>::iterator it)
{
    PendingCall call = std::move(*it);
    m_queue.erase(it);
    if (call.promise && --m_queuedFutures == 0)
        m_cancelPollTimer->stop();
    return call;
}

void QForkRpcPoolPrivate::addToQueue(std::deque<PendingCall>::iterator at, PendingCall &&call)
{
    if (call.promise && m_queuedFutures++ == 0)
        m_cancelPollTimer->start(
            QForkRpcPrivate::cancelPollMs); // QFuture says nothing when it is cancelled
    m_queue.insert(at, std::move(call));
}

void QForkRpcPoolPrivate::lookForCancelledFutures()
{
    Q_Q(QForkRpcPool);
    std::vector<std::unique_ptr<QPromise<QVariantList>>> cancelled;
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        if (it->futureCancelled()) {
            const auto index = it - m_queue.begin();
            cancelled.push_back(std::move(takeFromQueue(it).promise));
            it = m_queue.begin() + index;
        } else {
            ++it;
        }
    }
    QPointer<QForkRpcPool> alive(q);
    for (auto &promise : cancelled) {
        promise->finish(); // a continuation may delete us
        if (!alive)
            return;
    }
}

// ---- workers --------------------------------------------------------------------------------

void QForkRpcPoolPrivate::callLeft(QForkRpc *rpc)
{
    Worker *worker = workerOf(rpc);
    if (!worker)
        return;
    if (workerData(rpc)->callsInWorker() == 0)
        worker->idleSince = m_clock.elapsed();
    dispatch();
}

bool QForkRpcPoolPrivate::takeBack(QForkRpc *rpc, PendingCall &call, QForkRpcError::Kind kind)
{
    Q_UNUSED(rpc);
    // A call that never ran is always safe to run elsewhere; one that ran when its worker died
    // only as often as `retries` says; with commands (other machines), so is one whose worker
    // could not start, as another host may.
    const bool retried = kind == QForkRpcError::Kind::WorkerDied
        || (kind == QForkRpcError::Kind::StartFailed && !m_options.commands.isEmpty());
    if (retried && call.retriesLeft > 0)
        --call.retriesLeft;
    else if (kind != QForkRpcError::Kind::NotRun)
        return false;
    call.startedAt = -1;
    call.cancelledAt = -1;
    m_takenBack.push_back(std::move(call));
    return true;
}

void QForkRpcPoolPrivate::workerStateChanged(QForkRpc *rpc, QForkRpc::State state)
{
    if (state == QForkRpc::State::Ended)
        return workerEnded(rpc);
    Worker *worker = workerOf(rpc);
    if (!worker)
        return;
    if (state == QForkRpc::State::Running)
        m_startFailed = false;
    if (state == QForkRpc::State::Finishing)
        worker->leaving = true; // QForkRpcChild::retire(), or our own finish()
    dispatch();
}

void QForkRpcPoolPrivate::workerEnded(QForkRpc *rpc)
{
    Q_Q(QForkRpcPool);
    const Worker *ended = workerOf(rpc);
    if (!ended)
        return;
    const QString lastError = ended->lastError;
    const bool started = workerData(rpc)->hasStarted();
    m_workers.erase(m_workers.begin() + (ended - m_workers.data()));
    workerData(rpc)->setOwner(nullptr, -1);
    rpc->disconnect(q);
    rpc->deleteLater(); // it is emitting this signal

    // What it never ran goes first, in its order.
    for (auto back = m_takenBack.rbegin(); back != m_takenBack.rend(); ++back)
        addToQueue(m_queue.begin(), std::move(*back));
    m_takenBack.clear();

    if (!started) {
        m_startFailed = true;
        const bool anotherTakesCalls = std::any_of(m_workers.begin(), m_workers.end(),
            [](const Worker &worker) { return takesCalls(worker); });
        if (!anotherTakesCalls && !failWaitingCalls(lastError))
            return;
    }
    dispatch();
}

bool QForkRpcPoolPrivate::failWaitingCalls(const QString &message)
{
    // The worker's error() told it already: the calls fail with it, without another word.
    Q_Q(QForkRpcPool);
    std::deque<PendingCall> failing;
    failing.swap(m_queue);
    m_queuedFutures = 0;
    m_cancelPollTimer->stop();
    const QString text
        = message.isEmpty() ? errorText(ErrorCode::WorkerNotRunning, { m_function }) : message;
    QPointer<QForkRpcPool> alive(q);
    for (PendingCall &call : failing) {
        if (!call.promise)
            continue;
        if (call.promise->isCanceled())
            call.promise->finish();
        else
            QForkRpcPrivate::failPromise(*call.promise, QForkRpcError::Kind::StartFailed, text);
        if (!alive)
            return false;
    }
    return true;
}

bool QForkRpcPoolPrivate::emitError(const QString &message)
{
    Q_Q(QForkRpcPool);
    return routeError(q, q->isSignalConnected(QMetaMethod::fromSignal(&QForkRpcPool::error)),
        q->isSignalConnected(QMetaMethod::fromSignal(&QForkRpcPool::event)), message);
}

bool QForkRpcPoolPrivate::endIfFinished()
{
    Q_Q(QForkRpcPool);
    if (!m_finishing || m_destroyedEmitted || !m_workers.empty() || !m_queue.empty())
        return true;
    m_destroyedEmitted = true;
    QPointer<QForkRpcPool> alive(q);
    Q_EMIT q->destroyed();
    return !alive.isNull();
}

void QForkRpcPoolPrivate::teardown()
{
    Q_Q(QForkRpcPool);
    m_startTimer->stop();
    m_stopTimer->stop();
    m_cancelPollTimer->stop();
    std::vector<Worker> workers;
    workers.swap(m_workers);
    for (Worker &worker : workers) {
        workerData(worker.rpc)->setOwner(nullptr, -1);
        worker.rpc->disconnect(q);
        delete worker.rpc; // kills and reaps it, drops its callbacks, cancels its futures
    }
    // Promises that are dropped unfinished cancel their futures.
    m_takenBack.clear();
    m_queue.clear();
    m_queuedFutures = 0;
}

// ---- QForkRpcPool ---------------------------------------------------------------------------

QForkRpcPool::QForkRpcPool(QObject *parent)
    : QForkRpcDetail::EventBase(parent)
    , d_ptr(new QForkRpcPoolPrivate(this))
{ }

QForkRpcPool::~QForkRpcPool()
{
    Q_D(QForkRpcPool);
    d->teardown();
}

QForkRpcPool *QForkRpcPool::run(const QString &function, const Options &options, QObject *parent)
{
    auto *pool = new QForkRpcPool(parent);
    pool->d_func()->start(function, options);
    return pool;
}

QForkRpcPool *QForkRpcPool::run(const QString &function, QObject *parent)
{
    return run(function, Options(), parent);
}

void QForkRpcPool::call(
    const QVariantList &args, std::function<void(const QVariantList &results)> callback)
{
    Q_D(QForkRpcPool);
    inThreadOf(this, [d, args, callback = std::move(callback)]() mutable {
        PendingCall call;
        call.callback = std::move(callback);
        d->call(args, std::move(call));
    });
}

void QForkRpcPool::callInContext(const QVariantList &args, const QObject *context,
    std::function<void(const QVariantList &)> callback)
{
    call(args, inContext(context, std::move(callback)));
}

QFuture<QVariantList> QForkRpcPool::call(const QVariantList &args)
{
    Q_D(QForkRpcPool);
    return futureCall(this, [d, args](std::unique_ptr<QPromise<QVariantList>> promise) {
        PendingCall call;
        call.promise = std::move(promise);
        d->call(args, std::move(call));
    });
}

void QForkRpcPool::finish()
{
    Q_D(QForkRpcPool);
    inThreadOf(this, [d] { d->finish(); });
}

int QForkRpcPool::workerCount() const
{
    Q_D(const QForkRpcPool);
    return d->workerCount();
}

int QForkRpcPool::pendingCalls() const
{
    Q_D(const QForkRpcPool);
    return d->pendingCalls();
}

QString QForkRpcPool::function() const
{
    Q_D(const QForkRpcPool);
    return d->m_function;
}
