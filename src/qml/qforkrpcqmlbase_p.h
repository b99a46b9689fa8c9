// SPDX-License-Identifier: MIT
#pragma once

#include "qforkrpccallqml_p.h"

#include <QForkRpc>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariantList>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace QForkRpcDetail {
class JsValues;
}

// What the QML types ForkRpc (one worker, qforkrpcqml_p.h) and ForkRpcPool (a pool of workers,
// qforkrpcpoolqml_p.h) share: the settings of the workers, call() with its ForkRpcCall, finish(),
// the signals event(), error() and destroyed(), and `running` and `pending`. A subclass says how
// its C++ object starts, takes a call, finishes and counts its pending calls; the rest is here,
// once, so that both types behave alike (README.md, "Using QForkRpc from QML", is the
// documentation).
//
// The settings are read once, when the C++ object starts: at componentComplete() when the
// function is set by then, else at the first call() or finish(). Changing them later only warns.
class QForkRpcQmlBase : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ANONYMOUS

    Q_PROPERTY(QString function READ function WRITE setFunction NOTIFY functionChanged)
    Q_PROPERTY(QString functionName READ function WRITE setFunction NOTIFY functionChanged)
    Q_PROPERTY(bool async READ isAsync WRITE setAsync NOTIFY asyncChanged)
    Q_PROPERTY(QString serialiser READ serialiser WRITE setSerialiser NOTIFY serialiserChanged)
    Q_PROPERTY(QString init READ init WRITE setInit NOTIFY initChanged)
    Q_PROPERTY(QJSValue initArgs READ initArgs WRITE setInitArgs NOTIFY initArgsChanged)
    Q_PROPERTY(QString program READ program WRITE setProgram NOTIFY programChanged)
    Q_PROPERTY(QStringList command READ command WRITE setCommand NOTIFY commandChanged)
    Q_PROPERTY(
        int callTimeoutMs READ callTimeoutMs WRITE setCallTimeoutMs NOTIFY callTimeoutMsChanged)
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    Q_PROPERTY(int pending READ pending NOTIFY pendingChanged)

public:
    ~QForkRpcQmlBase() override;

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
    QStringList command() const { return m_command; }
    void setCommand(const QStringList &command);
    int callTimeoutMs() const { return m_callTimeoutMs; }
    void setCallTimeoutMs(int callTimeoutMs);

    // True from the start until the C++ object is gone (the subclass says when).
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
    void commandChanged();
    void callTimeoutMsChanged();
    void runningChanged();
    void pendingChanged();

// The contract's names, as in QForkRpc: event() hides QObject::event(QEvent *) on purpose.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#endif
    // Every QForkRpcChild::event() in a worker; args is an Array.
    void event(const QJSValue &args);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    // Failed calls and the ends of workers, as text. With no handler here but one on event(),
    // an error arrives as event(["error", message]); with neither, it is logged ("qforkrpc.qml").
    void error(const QString &message);
    // After finish(): every call handled, every worker gone.
    void destroyed();

protected:
    explicit QForkRpcQmlBase(QObject *parent);

    // The QML type's name, for warnings and errors ("ForkRpc").
    virtual const char *typeName() const = 0;
    // What starts, for warnings ("worker": "cannot change once the worker has started").
    virtual const char *startedThing() const = 0;
    // Starts the C++ object, whose workers are started with `worker`; once.
    virtual void start(const QForkRpc::Options &worker) = 0;
    // A call of the started C++ object, as a future (it cancels, and carries progress and the
    // kind of a failure).
    virtual QFuture<QVariantList> startCall(const QVariantList &args) = 0;
    virtual void finishStarted() = 0;
    // The started C++ object's pending calls; 0 before it started or after it is gone.
    virtual int pendingOfStarted() const = 0;

    // Whether a setting may still change (warns when not).
    bool canChange(const char *property);
    // A setting that must be at least `minimum`: warns otherwise (`meaning` says what the
    // minimum means, e.g. "0 (no limit)"), and returns whether `value` may be set.
    bool canSet(const char *property, int value, int minimum, const char *meaning);
    void ensureStarted();
    bool isStarted() const
    {
        return m_started;
    }
    bool isFinishing() const
    {
        return m_finishing;
    }

    // For the subclasses' connections to their C++ object.
    void onEvent(const QVariantList &args);
    void onError(const QString &message);
    void onDestroyed();
    void setRunning(bool running);
    void updatePending();
    // For the destructor of a subclass, before it deletes its C++ object: the calls still
    // waiting use this object while they report, and the end of the C++ object would report to
    // them.
    void deletePendingCalls();

private:
    friend class QForkRpcCallQml; // values(), updatePending(), typeName()

    const QForkRpcDetail::JsValues *values();

    QString m_function;
    bool m_async = false;
    QString m_serialiser = QStringLiteral("datastream");
    QString m_init;
    QJSValue m_initArgs;
    QString m_program;
    QStringList m_command; // not empty: Spawn::Command
    int m_callTimeoutMs = 0;

    bool m_started = false;
    bool m_finishing = false;
    bool m_running = false;
    int m_pending = 0;
    std::unique_ptr<QForkRpcDetail::JsValues> m_values; // made once the engine is known
};
