// SPDX-License-Identifier: MIT
// ForkRpcPool for QML: a QForkRpcPool owned by a QObject that QML can create; what it shares with
// ForkRpc is in qforkrpcqmlbase.cpp.
#include "qforkrpcpoolqml_p.h"

QForkRpcPoolQml::QForkRpcPoolQml(QObject *parent)
    : QForkRpcQmlBase(parent)
{
    m_workerPoll.setInterval(workerPollMs);
    m_workerPoll.setTimerType(Qt::CoarseTimer);
    connect(&m_workerPoll, &QTimer::timeout, this, [this] {
        updatePending(); // (the calls report their ends; reading it again costs nothing)
        refresh();
    });
    // A call made or ended: a worker may have started or become idle.
    connect(this, &QForkRpcQmlBase::pendingChanged, this, &QForkRpcPoolQml::refresh);
}

QForkRpcPoolQml::~QForkRpcPoolQml()
{
    deletePendingCalls();
    // Kill the workers now, while this object is whole: the pool's callbacks capture `this`.
    if (m_pool) {
        m_pool->disconnect(this);
        delete m_pool;
    }
}

void QForkRpcPoolQml::setOption(int QForkRpcPool::Options::*option, int value, const char *property,
    int minimum, const char *meaning, void (QForkRpcPoolQml::*changed)())
{
    if (value == m_options.*option || !canSet(property, value, minimum, meaning))
        return;
    m_options.*option = value;
    Q_EMIT(this->*changed)();
}

void QForkRpcPoolQml::setMax(int max)
{
    setOption(&QForkRpcPool::Options::max, max, "max", 0, "0 (one per core)",
        &QForkRpcPoolQml::maxChanged);
}

void QForkRpcPoolQml::setIdle(int idle)
{
    setOption(&QForkRpcPool::Options::idle, idle, "idle", 0, "0", &QForkRpcPoolQml::idleChanged);
}

void QForkRpcPoolQml::setLoad(int load)
{
    setOption(&QForkRpcPool::Options::load, load, "load", 1, "1", &QForkRpcPoolQml::loadChanged);
}

void QForkRpcPoolQml::setStartDelayMs(int startDelayMs)
{
    setOption(&QForkRpcPool::Options::startDelayMs, startDelayMs, "startDelayMs", 0, "0",
        &QForkRpcPoolQml::startDelayMsChanged);
}

void QForkRpcPoolQml::setStopDelayMs(int stopDelayMs)
{
    setOption(&QForkRpcPool::Options::stopDelayMs, stopDelayMs, "stopDelayMs", 0, "0",
        &QForkRpcPoolQml::stopDelayMsChanged);
}

void QForkRpcPoolQml::setMaxCallsPerWorker(int maxCallsPerWorker)
{
    setOption(&QForkRpcPool::Options::maxCallsPerWorker, maxCallsPerWorker, "maxCallsPerWorker", 0,
        "0 (no limit)", &QForkRpcPoolQml::maxCallsPerWorkerChanged);
}

void QForkRpcPoolQml::setRetries(int retries)
{
    setOption(&QForkRpcPool::Options::retries, retries, "retries", 0, "0",
        &QForkRpcPoolQml::retriesChanged);
}

void QForkRpcPoolQml::setCancelKillAfterMs(int cancelKillAfterMs)
{
    setOption(&QForkRpcPool::Options::cancelKillAfterMs, cancelKillAfterMs, "cancelKillAfterMs", -1,
        "-1 (never)", &QForkRpcPoolQml::cancelKillAfterMsChanged);
}

void QForkRpcPoolQml::setMaxQueuedCalls(int maxQueuedCalls)
{
    setOption(&QForkRpcPool::Options::maxQueuedCalls, maxQueuedCalls, "maxQueuedCalls", 0,
        "0 (no limit)", &QForkRpcPoolQml::maxQueuedCallsChanged);
}

void QForkRpcPoolQml::start(const QForkRpc::Options &worker)
{
    QForkRpcPool::Options options = m_options;
    options.worker = worker;
    m_pool = QForkRpcPool::run(function(), options, this);
    connect(m_pool, &QForkRpcPool::event, this, [this](const QVariantList &args) {
        refresh();
        onEvent(args);
    });
    connect(m_pool, &QForkRpcPool::error, this, [this](const QString &message) {
        // State first, so that an onError handler reads `pending` and `workerCount` as they
        // now are.
        updatePending();
        refresh();
        onError(message);
    });
    connect(m_pool, &QForkRpcPool::destroyed, this, [this] {
        m_ended = true;
        refresh();
        onDestroyed();
    });
    setRunning(true);
    refresh(); // the idle workers
}

QFuture<QVariantList> QForkRpcPoolQml::startCall(const QVariantList &args)
{
    QFuture<QVariantList> future = m_pool->call(args);
    refresh();
    return future;
}

void QForkRpcPoolQml::finishStarted()
{
    m_pool->finish();
}

int QForkRpcPoolQml::pendingOfStarted() const
{
    return m_pool ? m_pool->pendingCalls() : 0;
}

void QForkRpcPoolQml::refresh()
{
    const int count = m_pool ? m_pool->workerCount() : 0;
    // Poll while workers may start or stop without a word: while there are workers or calls,
    // and while the pool keeps idle workers (it starts new ones after a crash). Once destroyed()
    // has come, nothing changes any more.
    const bool follow
        = m_pool && !m_ended && (count > 0 || m_pool->pendingCalls() > 0 || m_options.idle > 0);
    if (!follow)
        m_workerPoll.stop();
    else if (!m_workerPoll.isActive())
        m_workerPoll.start();
    if (count == m_workerCount)
        return;
    m_workerCount = count;
    Q_EMIT workerCountChanged();
}
