// SPDX-License-Identifier: MIT
// ForkRpc for QML: a QForkRpc owned by a QObject that QML can create; what it shares with
// ForkRpcPool is in qforkrpcqmlbase.cpp.
#include "qforkrpcqml_p.h"

#include <QForkRpc>

QForkRpcQml::QForkRpcQml(QObject *parent)
    : QForkRpcQmlBase(parent)
{ }

QForkRpcQml::~QForkRpcQml()
{
    deletePendingCalls();
    // Kill the worker now, while this object is whole: its callbacks capture `this`.
    if (m_rpc) {
        m_rpc->disconnect(this);
        delete m_rpc;
    }
}

void QForkRpcQml::start(const QForkRpc::Options &worker)
{
    m_rpc = QForkRpc::run(function(), worker, this);
    connect(m_rpc, &QForkRpc::event, this, &QForkRpcQml::onEvent);
    connect(m_rpc, &QForkRpc::error, this, [this](const QString &message) {
        // State first, so that an onError handler reads `running` and `pending` as they now are.
        updatePending();
        followState();
        onError(message);
    });
    connect(m_rpc, &QForkRpc::destroyed, this, &QForkRpcQml::onDestroyed);
    connect(m_rpc, &QForkRpc::stateChanged, this, &QForkRpcQml::followState);
    followState();
}

QFuture<QVariantList> QForkRpcQml::startCall(const QVariantList &args)
{
    return m_rpc->call(args);
}

void QForkRpcQml::finishStarted()
{
    m_rpc->finish();
}

int QForkRpcQml::pendingOfStarted() const
{
    return m_rpc ? m_rpc->pendingCalls() : 0;
}

void QForkRpcQml::followState()
{
    // Running until the worker is gone; after finish(), until destroyed() says so.
    const QForkRpc::State state = m_rpc ? m_rpc->state() : QForkRpc::State::Ended;
    if (state != QForkRpc::State::Ended)
        setRunning(true);
    else if (!isFinishing())
        setRunning(false);
}
