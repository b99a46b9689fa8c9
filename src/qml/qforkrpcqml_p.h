// SPDX-License-Identifier: MIT
#pragma once

#include "qforkrpccallqml_p.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QForkRpc;

namespace QForkRpcDetail {
class JsValues;
}

// The QML type ForkRpc (import QForkRpc 1.0): one worker, owned by the object. README.md, "Using
// QForkRpc from QML", is its documentation; the short version:
//
//   ForkRpc {
//       functionName: "MyWorker::run"   // or, from JavaScript, rpc.function = "..."
//       async: false; serialiser: "datastream"; init: ""; initArgs: []; program: ""
//       callTimeoutMs: 0
//       onEvent: (args) => ...
//       onError: (message) => ...
//       onDestroyed: ...                 // after finish(): every call handled, worker gone
//   }
//   const job = rpc.call([1, "two"], (results) => ...); rpc.finish()
//   job.cancel(); job.progress; job.maximum; job.status; job.error   (qforkrpccallqml_p.h)
//
// The worker starts when the component is complete (QQmlParserStatus::componentComplete), or at
// the first call() or finish() if that comes first or the function was not set by then. The
// settings are read once, at that start; changing them later only warns.
//
// Two names differ from the C++ API, because QML cannot use them:
// - `function` is a reserved word of JavaScript, and QML's grammar rejects it as the name of a
//   binding (`function: "x"` is a syntax error). The property exists and works from JavaScript
//   (rpc.function = "x"); `functionName` is the same property under a name bindings accept.
// - nothing else: `event`, `error` and `destroyed` work as signal names in Qt 6.4 (QML hides
//   QObject::destroyed(QObject *), so onDestroyed reaches ours only; tests/qml checks all three).
class QForkRpcQml : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_NAMED_ELEMENT(ForkRpc)

    Q_PROPERTY(QString function READ function WRITE setFunction NOTIFY functionChanged)
    Q_PROPERTY(QString functionName READ function WRITE setFunction NOTIFY functionChanged)
    Q_PROPERTY(bool async READ isAsync WRITE setAsync NOTIFY asyncChanged)
    Q_PROPERTY(QString serialiser READ serialiser WRITE setSerialiser NOTIFY serialiserChanged)
    Q_PROPERTY(QString init READ init WRITE setInit NOTIFY initChanged)
    Q_PROPERTY(QJSValue initArgs READ initArgs WRITE setInitArgs NOTIFY initArgsChanged)
    Q_PROPERTY(QString program READ program WRITE setProgram NOTIFY programChanged)
    Q_PROPERTY(
        int callTimeoutMs READ callTimeoutMs WRITE setCallTimeoutMs NOTIFY callTimeoutMsChanged)
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    Q_PROPERTY(int pending READ pending NOTIFY pendingChanged)

public:
    explicit QForkRpcQml(QObject *parent = nullptr);
    ~QForkRpcQml() override;

    QString function() const { return m_function; }
    void setFunction(const QString &function);
    bool isAsync() const { return m_async; }
    void setAsync(bool async);
    QString serialiser() const { return m_serialiser; }
    void setSerialiser(const QString &serialiser);
    QString init() const { return m_init; }
    void setInit(const QString &init);
    QJSValue initArgs() const { return m_initArgs; }
    void setInitArgs(const QJSValue &initArgs);
    QString program() const { return m_program; }
    void setProgram(const QString &program);
    int callTimeoutMs() const { return m_callTimeoutMs; }
    void setCallTimeoutMs(int callTimeoutMs);

    // True from the start of the worker until it is gone: after finish() (with destroyed()), or
    // when it died or failed to start (with error()).
    bool isRunning() const { return m_running; }
    // Calls whose results have not arrived yet.
    int pending() const { return m_pending; }

    // args: an Array of arguments (undefined or null: none; anything else: one argument).
    // callback: a function called with the results as an Array; optional.
    // Returns the call (ForkRpcCall: cancel(), progress, status, error), or null when it throws.
    Q_INVOKABLE QForkRpcCallQml *call(
        const QJSValue &args = QJSValue(), const QJSValue &callback = QJSValue());
    Q_INVOKABLE void finish();

    void classBegin() override;
    void componentComplete() override;

Q_SIGNALS:
    void functionChanged();
    void asyncChanged();
    void serialiserChanged();
    void initChanged();
    void initArgsChanged();
    void programChanged();
    void callTimeoutMsChanged();
    void runningChanged();
    void pendingChanged();

// The contract's names, as in QForkRpc: event() hides QObject::event(QEvent *) on purpose.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#endif
    // Every QForkRpcChild::event() in the worker; args is an Array.
    void event(const QJSValue &args);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    // Failed calls and the end of the worker, as text. With no handler here but one on event(),
    // an error arrives as event(["error", message]); with neither, it is logged ("qforkrpc.qml").
    void error(const QString &message);
    // After finish(): every call handled, the worker gone.
    void destroyed();

private:
    friend class QForkRpcCallQml; // values(), updatePending()

    bool canChange(const char *property);
    void ensureStarted();
    void onError(const QString &message);
    void onDestroyed();
    void followState();
    void setRunning(bool running);
    void updatePending();
    const QForkRpcDetail::JsValues *values();

    QString m_function;
    bool m_async = false;
    QString m_serialiser = QStringLiteral("datastream");
    QString m_init;
    QJSValue m_initArgs;
    QString m_program;
    int m_callTimeoutMs = 0;

    bool m_started = false;
    bool m_finishing = false;
    bool m_running = false;
    int m_pending = 0;
    QPointer<QForkRpc> m_rpc;
    std::unique_ptr<QForkRpcDetail::JsValues> m_values; // made once the engine is known
};
