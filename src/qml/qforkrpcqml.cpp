// SPDX-License-Identifier: MIT
// ForkRpc for QML: a QForkRpc owned by a QObject that QML can create, with JavaScript values on
// the QML side (jsvalues.cpp converts them).
#include "qforkrpcqml_p.h"

#include "jsvalues_p.h"

#include <QForkRpc>

#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaMethod>
#include <QtCore/QSocketNotifier>
#include <QtQml/QJSEngine>
#include <QtQml/QQmlInfo>

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

using QForkRpcDetail::JsValues;

namespace {
Q_LOGGING_CATEGORY(lcQForkRpcQml, "qforkrpc.qml", QtInfoMsg)

// A pidfd for the worker: readable once it has exited. -1 when the process is gone already (or
// pidfds are missing, in which case the end of a worker that never calls back is noticed at its
// next error()).
int openPidfd(qint64 pid)
{
#ifdef SYS_pidfd_open
    return int(syscall(SYS_pidfd_open, pid_t(pid), 0));
#else
    Q_UNUSED(pid);
    errno = ENOSYS;
    return -1;
#endif
}

bool hasExited(int pidfd)
{
    pollfd p { pidfd, POLLIN, 0 };
    return ::poll(&p, 1, 0) > 0;
}
} // namespace

QForkRpcQml::QForkRpcQml(QObject *parent)
    : QObject(parent)
{ }

QForkRpcQml::~QForkRpcQml()
{
    // Kill the worker now, while this object is whole: its callbacks capture `this`.
    if (m_rpc) {
        m_rpc->disconnect(this);
        delete m_rpc;
    }
    stopWatching();
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
        checkWorker(false);
    });
    connect(m_rpc, &QForkRpc::error, this, &QForkRpcQml::onError);
    connect(m_rpc, &QForkRpc::destroyed, this, &QForkRpcQml::onDestroyed);
    setRunning(true);
}

void QForkRpcQml::call(const QJSValue &args, const QJSValue &callback)
{
    QJSEngine *engine = qjsEngine(this);
    const JsValues *js = values();
    if (!engine || !js) {
        qmlWarning(this) << "ForkRpc: call() needs an object created by a QML engine";
        return;
    }
    QVariantList list;
    QString problem;
    if (!js->toArguments(args, &list, &problem)) {
        engine->throwError(QJSValue::TypeError, QStringLiteral("ForkRpc.call(): ") + problem);
        return;
    }
    if (!callback.isUndefined() && !callback.isNull() && !callback.isCallable()) {
        engine->throwError(
            QJSValue::TypeError, QStringLiteral("ForkRpc.call(): the callback is not a function"));
        return;
    }
    ensureStarted();

    const int before = m_rpc->pendingCalls();
    m_rpc->call(list, [this, callback](const QVariantList &results) {
        updatePending();
        checkWorker(false);
        const JsValues *convert = values();
        if (!callback.isCallable() || !convert)
            return;
        const QJSValue result = callback.call({ convert->toArray(results) });
        if (result.isError()) {
            qmlWarning(this) << "ForkRpc: a call()'s callback threw: " << result.toString() << " ("
                             << result.property(QStringLiteral("fileName")).toString() << ':'
                             << result.property(QStringLiteral("lineNumber")).toInt() << ')';
        }
    });
    // A refused call (after finish(), after the worker ended, values the serialiser cannot
    // carry) never enters the queue; QForkRpc reports it through error() in a moment.
    if (m_rpc->pendingCalls() == before)
        ++m_refusedCalls;
    updatePending();
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
    checkWorker(true);

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
    m_workerGone = true;
    stopWatching();
    setRunning(false);
    Q_EMIT destroyed();
}

// QForkRpc says when a worker ends after finish() (destroyed()), but a worker that dies or fails
// to start without finish() shows only as an error(), which may as well be one failed call. So
// the worker's process is watched here: `running` turns false when it is gone.
void QForkRpcQml::checkWorker(bool afterError)
{
    if (!m_running || !m_rpc || m_workerGone)
        return;
    const bool refusal = afterError && m_refusedCalls > 0;
    if (refusal)
        --m_refusedCalls;
    const qint64 pid = m_rpc->processId();
    if (pid == 0) {
        // The worker never said who it is: after an error that is not a refused call, it failed
        // to start (no template, fork or exec failed) or died before its hello.
        if (afterError && !refusal)
            workerGone();
        return;
    }
    if (m_pidfd < 0) {
        watchWorker(pid);
        // Without pidfds: a worker that QForkRpc has reaped has no process any more.
        if (m_pidfd < 0 && !m_workerGone && afterError && ::kill(pid_t(pid), 0) != 0
            && errno == ESRCH)
            workerGone();
    } else if (afterError && hasExited(m_pidfd)) {
        workerGone();
    }
}

void QForkRpcQml::watchWorker(qint64 pid)
{
    static bool pidfdsMissing = false;
    if (pidfdsMissing)
        return;
    m_pidfd = openPidfd(pid);
    if (m_pidfd < 0) {
        if (errno == ESRCH) // reaped already by QForkRpc
            workerGone();
        else if (errno == ENOSYS)
            pidfdsMissing = true;
        return;
    }
    if (hasExited(m_pidfd)) {
        workerGone();
        return;
    }
    m_pidNotifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
    connect(m_pidNotifier, &QSocketNotifier::activated, this, [this] { workerGone(); });
}

void QForkRpcQml::stopWatching()
{
    if (m_pidNotifier) {
        m_pidNotifier->setEnabled(false);
        m_pidNotifier->deleteLater(); // we may be in its activated()
        m_pidNotifier = nullptr;
    }
    if (m_pidfd >= 0)
        ::close(m_pidfd);
    m_pidfd = -1;
}

void QForkRpcQml::workerGone()
{
    m_workerGone = true;
    stopWatching();
    // After finish(), destroyed() follows in every case, and says it.
    if (!m_finishing)
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
