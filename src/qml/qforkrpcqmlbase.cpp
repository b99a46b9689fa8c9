// SPDX-License-Identifier: MIT
// What ForkRpc and ForkRpcPool share: the workers' settings, call() and its ForkRpcCall, finish(),
// and the signals, with JavaScript values on the QML side (jsvalues.cpp converts them).
#include "qforkrpcqmlbase_p.h"

#include "jsvalues_p.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaMethod>
#include <QtQml/QJSEngine>
#include <QtQml/QQmlInfo>

using QForkRpcDetail::JsValues;

namespace {
Q_LOGGING_CATEGORY(lcQForkRpcQml, "qforkrpc.qml", QtInfoMsg)
} // namespace

QForkRpcQmlBase::QForkRpcQmlBase(QObject *parent)
    : QObject(parent)
{ }

QForkRpcQmlBase::~QForkRpcQmlBase() = default;

void QForkRpcQmlBase::deletePendingCalls()
{
    qDeleteAll(findChildren<QForkRpcCallQml *>(Qt::FindDirectChildrenOnly));
}

bool QForkRpcQmlBase::canChange(const char *property)
{
    if (!m_started)
        return true;
    qmlWarning(this) << typeName() << ": " << property << " cannot change once the "
                     << startedThing() << " has started";
    return false;
}

bool QForkRpcQmlBase::canSet(const char *property, int value, int minimum, const char *meaning)
{
    if (!canChange(property))
        return false;
    if (value >= minimum)
        return true;
    qmlWarning(this) << typeName() << ": " << property << " must be " << meaning << " or more, not "
                     << value;
    return false;
}

void QForkRpcQmlBase::setFunction(const QString &function)
{
    if (function == m_function || !canChange("function"))
        return;
    m_function = function;
    Q_EMIT functionChanged();
}

void QForkRpcQmlBase::setAsync(bool async)
{
    if (async == m_async || !canChange("async"))
        return;
    m_async = async;
    Q_EMIT asyncChanged();
}

void QForkRpcQmlBase::setSerialiser(const QString &serialiser)
{
    if (serialiser == m_serialiser || !canChange("serialiser"))
        return;
    m_serialiser = serialiser;
    Q_EMIT serialiserChanged();
}

void QForkRpcQmlBase::setInit(const QString &init)
{
    if (init == m_init || !canChange("init"))
        return;
    m_init = init;
    Q_EMIT initChanged();
}

void QForkRpcQmlBase::setInitArgs(const QJSValue &initArgs)
{
    if (!canChange("initArgs"))
        return;
    // Refuse what cannot reach the worker now, where QML can say which line set it.
    if (const JsValues *js = values()) {
        QVariantList converted;
        QString problem;
        if (!js->toArguments(initArgs, &converted, &problem)) {
            qmlWarning(this) << typeName() << ": initArgs: " << problem;
            return;
        }
    }
    m_initArgs = initArgs;
    Q_EMIT initArgsChanged();
}

void QForkRpcQmlBase::setProgram(const QString &program)
{
    if (program == m_program || !canChange("program"))
        return;
    m_program = program;
    Q_EMIT programChanged();
}

void QForkRpcQmlBase::setCommand(const QStringList &command)
{
    if (command == m_command || !canChange("command"))
        return;
    m_command = command;
    Q_EMIT commandChanged();
}

void QForkRpcQmlBase::setCallTimeoutMs(int callTimeoutMs)
{
    if (callTimeoutMs == m_callTimeoutMs
        || !canSet("callTimeoutMs", callTimeoutMs, 0, "0 (no limit)"))
        return;
    m_callTimeoutMs = callTimeoutMs;
    Q_EMIT callTimeoutMsChanged();
}

void QForkRpcQmlBase::classBegin() { }

void QForkRpcQmlBase::componentComplete()
{
    if (!m_function.isEmpty())
        ensureStarted();
}

void QForkRpcQmlBase::ensureStarted()
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
    // QForkRpc::initialize() started in main(), or from the program or command named here.
    // Without any, QForkRpc reports through error() that initialize() is missing.
    options.program = m_program;
    options.command = m_command;
    options.spawn = !m_command.isEmpty() ? QForkRpc::Spawn::Command
        : m_program.isEmpty()            ? QForkRpc::Spawn::Template
                                         : QForkRpc::Spawn::Exec;
    start(options);
}

QForkRpcCallQml *QForkRpcQmlBase::call(const QJSValue &args, const QJSValue &callback)
{
    QJSEngine *engine = qjsEngine(this);
    const JsValues *js = values();
    if (!engine || !js) {
        qmlWarning(this) << typeName() << ": call() needs an object created by a QML engine";
        return nullptr;
    }
    QVariantList list;
    QString problem;
    if (!js->toArguments(args, &list, &problem)) {
        engine->throwError(
            QJSValue::TypeError, QLatin1String(typeName()) + QStringLiteral(".call(): ") + problem);
        return nullptr;
    }
    if (!callback.isUndefined() && !callback.isNull() && !callback.isCallable()) {
        engine->throwError(QJSValue::TypeError,
            QLatin1String(typeName()) + QStringLiteral(".call(): the callback is not a function"));
        return nullptr;
    }
    ensureStarted();

    // Always the future: it is what cancels, and what carries progress and the kind of a failure.
    // The call object reports its results at the moment the callback overload would.
    auto *job = new QForkRpcCallQml(startCall(list), callback, this);
    updatePending();
    return job;
}

void QForkRpcQmlBase::finish()
{
    ensureStarted();
    if (m_finishing)
        return;
    m_finishing = true;
    finishStarted();
}

void QForkRpcQmlBase::onEvent(const QVariantList &args)
{
    if (const JsValues *js = values())
        Q_EMIT event(js->toArray(args));
}

void QForkRpcQmlBase::onError(const QString &message)
{
    // The original's routing, as QForkRpc does for C++ receivers: error(), else
    // event(["error", message]), else the log. QML handlers count as receivers.
    if (isSignalConnected(QMetaMethod::fromSignal(&QForkRpcQmlBase::error))) {
        Q_EMIT error(message);
    } else if (isSignalConnected(QMetaMethod::fromSignal(&QForkRpcQmlBase::event))) {
        if (const JsValues *js = values())
            Q_EMIT event(js->toArray({ QStringLiteral("error"), message }));
    } else {
        qCWarning(lcQForkRpcQml).noquote() << message;
    }
}

void QForkRpcQmlBase::onDestroyed()
{
    updatePending();
    setRunning(false);
    Q_EMIT destroyed();
}

void QForkRpcQmlBase::setRunning(bool running)
{
    if (running == m_running)
        return;
    m_running = running;
    Q_EMIT runningChanged();
}

void QForkRpcQmlBase::updatePending()
{
    const int pending = m_started ? pendingOfStarted() : 0;
    if (pending == m_pending)
        return;
    m_pending = pending;
    Q_EMIT pendingChanged();
}

const JsValues *QForkRpcQmlBase::values()
{
    if (!m_values) {
        if (QJSEngine *engine = qjsEngine(this))
            m_values = std::make_unique<JsValues>(engine);
    }
    return m_values.get();
}
