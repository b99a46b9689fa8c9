// SPDX-License-Identifier: MIT
// ForkRpc for QML: a QForkRpc owned by a QObject that QML can create, with JavaScript values on
// the QML side (jsvalues.cpp converts them).
#include "qforkrpcqml_p.h"

#include "jsvalues_p.h"

#include <QForkRpc>

#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaMethod>
#include <QtQml/QJSEngine>
#include <QtQml/QQmlInfo>

using QForkRpcDetail::JsValues;

namespace {
Q_LOGGING_CATEGORY(lcQForkRpcQml, "qforkrpc.qml", QtInfoMsg)
} // namespace

QForkRpcQml::QForkRpcQml(QObject *parent)
    : QObject(parent)
{ }

QForkRpcQml::~QForkRpcQml()
{
    // The calls that still wait first: they use this object while they report, and the end of
    // the worker below would report to them.
    qDeleteAll(findChildren<QForkRpcCallQml *>(Qt::FindDirectChildrenOnly));
    // Kill the worker now, while this object is whole: its callbacks capture `this`.
    if (m_rpc) {
        m_rpc->disconnect(this);
        delete m_rpc;
    }
}

bool QForkRpcQml::canChange(const char *property)
{
    if (!m_started)
        return true;
    qmlWarning(this) << "ForkRpc: " << property << " cannot change once the worker has started";
    return false;
}

void QForkRpcQml::setFunction(const QString &function)
{
    if (function == m_function || !canChange("function"))
        return;
    m_function = function;
    Q_EMIT functionChanged();
}

void QForkRpcQml::setAsync(bool async)
{
    if (async == m_async || !canChange("async"))
        return;
    m_async = async;
    Q_EMIT asyncChanged();
}

void QForkRpcQml::setSerialiser(const QString &serialiser)
{
    if (serialiser == m_serialiser || !canChange("serialiser"))
        return;
    m_serialiser = serialiser;
    Q_EMIT serialiserChanged();
}

void QForkRpcQml::setInit(const QString &init)
{
    if (init == m_init || !canChange("init"))
        return;
    m_init = init;
    Q_EMIT initChanged();
}

void QForkRpcQml::setInitArgs(const QJSValue &initArgs)
{
    if (!canChange("initArgs"))
        return;
    // Refuse what cannot reach the worker now, where QML can say which line set it.
    if (const JsValues *js = values()) {
        QVariantList converted;
        QString problem;
        if (!js->toArguments(initArgs, &converted, &problem)) {
            qmlWarning(this) << "ForkRpc: initArgs: " << problem;
            return;
        }
    }
    m_initArgs = initArgs;
    Q_EMIT initArgsChanged();
}

void QForkRpcQml::setProgram(const QString &program)
{
    if (program == m_program || !canChange("program"))
        return;
    m_program = program;
    Q_EMIT programChanged();
}

void QForkRpcQml::setCallTimeoutMs(int callTimeoutMs)
{
    if (callTimeoutMs == m_callTimeoutMs || !canChange("callTimeoutMs"))
        return;
    if (callTimeoutMs < 0) {
        qmlWarning(this) << "ForkRpc: callTimeoutMs must be 0 (no limit) or more, not "
                         << callTimeoutMs;
        return;
    }
    m_callTimeoutMs = callTimeoutMs;
    Q_EMIT callTimeoutMsChanged();
}

void QForkRpcQml::classBegin() { }

void QForkRpcQml::componentComplete()
{
    if (!m_function.isEmpty())
        ensureStarted();
}

void QForkRpcQml::ensureStarted()
{
    if (m_started)
        return;
    m_started = true;

    QForkRpc::Options options;
    options.async = m_async;
    options.serialiser = m_serialiser;
    options.init = m_init;
    options.callTimeoutMs = m_callTimeoutMs;
    if (const JsValues *js = values()) {
        QString problem; // setInitArgs() let nothing through that fails here
        js->toArguments(m_initArgs, &options.initArgs, &problem);
    }
    // A QML program is multi-threaded (the QML type loader, the render thread), so a worker is
    // never forked from it directly (Spawn::Fork): it comes from the template process that
    // QForkRpc::initialize() started in main(), or from the program named here. Without either,
    // QForkRpc reports through error() that initialize() is missing.
    options.program = m_program;
    options.spawn = m_program.isEmpty() ? QForkRpc::Spawn::Template : QForkRpc::Spawn::Exec;

    m_rpc = QForkRpc::run(m_function, options, this);
    connect(m_rpc, &QForkRpc::event, this, [this](const QVariantList &args) {
        if (const JsValues *js = values())
            Q_EMIT event(js->toArray(args));
    });
    connect(m_rpc, &QForkRpc::error, this, &QForkRpcQml::onError);
    connect(m_rpc, &QForkRpc::destroyed, this, &QForkRpcQml::onDestroyed);
    connect(m_rpc, &QForkRpc::stateChanged, this, &QForkRpcQml::followState);
    followState();
}

QForkRpcCallQml *QForkRpcQml::call(const QJSValue &args, const QJSValue &callback)
{
    QJSEngine *engine = qjsEngine(this);
    const JsValues *js = values();
    if (!engine || !js) {
        qmlWarning(this) << "ForkRpc: call() needs an object created by a QML engine";
        return nullptr;
    }
    QVariantList list;
    QString problem;
    if (!js->toArguments(args, &list, &problem)) {
        engine->throwError(QJSValue::TypeError, QStringLiteral("ForkRpc.call(): ") + problem);
        return nullptr;
    }
    if (!callback.isUndefined() && !callback.isNull() && !callback.isCallable()) {
        engine->throwError(
            QJSValue::TypeError, QStringLiteral("ForkRpc.call(): the callback is not a function"));
        return nullptr;
    }
    ensureStarted();

    // Always the future: it is what cancels, and what carries progress and the kind of a failure.
    // The call object reports its results at the moment the callback overload would.
    auto *job = new QForkRpcCallQml(m_rpc->call(list), callback, this);
    updatePending();
    return job;
}

void QForkRpcQml::finish()
{
    ensureStarted();
    if (m_finishing)
        return;
    m_finishing = true;
    m_rpc->finish();
}

void QForkRpcQml::onError(const QString &message)
{
    // State first, so that an onError handler reads `running` and `pending` as they now are.
    updatePending();
    followState();

    // The original's routing, as QForkRpc does for C++ receivers: error(), else
    // event(["error", message]), else the log. QML handlers count as receivers.
    if (isSignalConnected(QMetaMethod::fromSignal(&QForkRpcQml::error))) {
        Q_EMIT error(message);
    } else if (isSignalConnected(QMetaMethod::fromSignal(&QForkRpcQml::event))) {
        if (const JsValues *js = values())
            Q_EMIT event(js->toArray({ QStringLiteral("error"), message }));
    } else {
        qCWarning(lcQForkRpcQml).noquote() << message;
    }
}

void QForkRpcQml::onDestroyed()
{
    updatePending();
    setRunning(false);
    Q_EMIT destroyed();
}

void QForkRpcQml::followState()
{
    // Running until the worker is gone; after finish(), until destroyed() says so.
    const QForkRpc::State state = m_rpc ? m_rpc->state() : QForkRpc::State::Ended;
    if (state != QForkRpc::State::Ended)
        setRunning(true);
    else if (!m_finishing)
        setRunning(false);
}

void QForkRpcQml::setRunning(bool running)
{
    if (running == m_running)
        return;
    m_running = running;
    Q_EMIT runningChanged();
}

void QForkRpcQml::updatePending()
{
    const int pending = m_rpc ? m_rpc->pendingCalls() : 0;
    if (pending == m_pending)
        return;
    m_pending = pending;
    Q_EMIT pendingChanged();
}

const JsValues *QForkRpcQml::values()
{
    if (!m_values) {
        if (QJSEngine *engine = qjsEngine(this))
            m_values = std::make_unique<JsValues>(engine);
    }
    return m_values.get();
}
