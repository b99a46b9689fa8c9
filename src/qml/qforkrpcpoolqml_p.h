// SPDX-License-Identifier: MIT
#pragma once

#include "qforkrpcqmlbase_p.h"

#include <qforkrpc/qforkrpcpool.h>

#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtQml/qqmlregistration.h>

// The QML type ForkRpcPool (import QForkRpc 1.0): a QForkRpcPool owned by the object, workers
// that all run the same function, with calls going to the least loaded one. README.md, "A pool
// of workers in QML (ForkRpcPool)", is its documentation; the short version:
//
//   ForkRpcPool {
//       functionName: "MyWorker::run"   // the settings of ForkRpc, for every worker, and
//       max: 4; idle: 0; load: 2; startDelayMs: 100; stopDelayMs: 10000
//       maxCallsPerWorker: 0; retries: 0; cancelKillAfterMs: 1000; maxQueuedCalls: 0
//       onEvent: (args) => ...; onError: (message) => ...; onDestroyed: ...
//   }
//   pool.call(args, callback) returns a ForkRpcCall, as ForkRpc's does; pool.finish()
//   pool.workerCount, pool.pendingCalls (== pool.pending), pool.running
//
// Everything ForkRpc has comes from QForkRpcQmlBase, and starts the same way: at
// componentComplete(), or at the first call() or finish(). `running` is true from then until
// destroyed() after finish(): a pool outlives its workers' crashes.
//
// QForkRpcPool says nothing when a worker starts or goes, so workerCount is read again after
// everything the pool reports (a call made or ended, an event, an error) and, while the pool has
// workers or calls (or keeps idle ones), every workerPollMs: the stop of an idle worker after
// stopDelayMs, or the start of one after startDelayMs, shows within that time.
class QForkRpcPoolQml : public QForkRpcQmlBase
{
    Q_OBJECT
    QML_NAMED_ELEMENT(ForkRpcPool)

    Q_PROPERTY(int max READ max WRITE setMax NOTIFY maxChanged)
    Q_PROPERTY(int idle READ idle WRITE setIdle NOTIFY idleChanged)
    Q_PROPERTY(int load READ load WRITE setLoad NOTIFY loadChanged)
    Q_PROPERTY(int startDelayMs READ startDelayMs WRITE setStartDelayMs NOTIFY startDelayMsChanged)
    Q_PROPERTY(int stopDelayMs READ stopDelayMs WRITE setStopDelayMs NOTIFY stopDelayMsChanged)
    Q_PROPERTY(int maxCallsPerWorker READ maxCallsPerWorker WRITE setMaxCallsPerWorker NOTIFY
            maxCallsPerWorkerChanged)
    Q_PROPERTY(int retries READ retries WRITE setRetries NOTIFY retriesChanged)
    Q_PROPERTY(int cancelKillAfterMs READ cancelKillAfterMs WRITE setCancelKillAfterMs NOTIFY
            cancelKillAfterMsChanged)
    Q_PROPERTY(
        int maxQueuedCalls READ maxQueuedCalls WRITE setMaxQueuedCalls NOTIFY maxQueuedCallsChanged)
    Q_PROPERTY(int workerCount READ workerCount NOTIFY workerCountChanged)
    Q_PROPERTY(int pendingCalls READ pending NOTIFY pendingChanged)

public:
    // How often workerCount is read again while the pool has workers or calls.
    static constexpr int workerPollMs = 200;

    explicit QForkRpcPoolQml(QObject *parent = nullptr);
    ~QForkRpcPoolQml() override;

    int max() const { return m_options.max; }
    void setMax(int max);
    int idle() const { return m_options.idle; }
    void setIdle(int idle);
    int load() const { return m_options.load; }
    void setLoad(int load);
    int startDelayMs() const { return m_options.startDelayMs; }
    void setStartDelayMs(int startDelayMs);
    int stopDelayMs() const { return m_options.stopDelayMs; }
    void setStopDelayMs(int stopDelayMs);
    int maxCallsPerWorker() const { return m_options.maxCallsPerWorker; }
    void setMaxCallsPerWorker(int maxCallsPerWorker);
    int retries() const { return m_options.retries; }
    void setRetries(int retries);
    int cancelKillAfterMs() const { return m_options.cancelKillAfterMs; }
    void setCancelKillAfterMs(int cancelKillAfterMs);
    int maxQueuedCalls() const { return m_options.maxQueuedCalls; }
    void setMaxQueuedCalls(int maxQueuedCalls);

    // The workers started and not yet gone (QForkRpcPool::workerCount()).
    int workerCount() const { return m_workerCount; }

Q_SIGNALS:
    void maxChanged();
    void idleChanged();
    void loadChanged();
    void startDelayMsChanged();
    void stopDelayMsChanged();
    void maxCallsPerWorkerChanged();
    void retriesChanged();
    void cancelKillAfterMsChanged();
    void maxQueuedCallsChanged();
    void workerCountChanged();

protected:
    const char *typeName() const override { return "ForkRpcPool"; }
    const char *startedThing() const override { return "pool"; }
    void start(const QForkRpc::Options &worker) override;
    QFuture<QVariantList> startCall(const QVariantList &args) override;
    void finishStarted() override;
    int pendingOfStarted() const override;

private:
    // Sets one of the pool's options: `value` must be at least `minimum` (`meaning` says what
    // the minimum means).
    void setOption(int QForkRpcPool::Options::*option, int value, const char *property, int minimum,
        const char *meaning, void (QForkRpcPoolQml::*changed)());
    // Reads workerCount and pending again, and polls while there is something to follow.
    void refresh();

    QForkRpcPool::Options m_options;
    QPointer<QForkRpcPool> m_pool;
    QTimer m_workerPoll;
    int m_workerCount = 0;
    bool m_ended = false; // destroyed() came
};
