// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QTimer>
#include <QtCore/QVariantList>
#include <QtQml/QJSValue>
#include <QtQml/qqmlregistration.h>

class QForkRpcQmlBase;

// The QML type ForkRpcCall: one call of a ForkRpc or a ForkRpcPool, as their call() returns it. It
// wraps the call's QFuture (QForkRpc::call(args)), so that JavaScript gets what C++ gets from the
// future: cancel(), progress, and the kind of a failure. README.md, "Using QForkRpc from QML",
// documents it; the short version:
//
//   const job = rpc.call([path], (results) => ...)   // the callback runs when it answers
//   job.cancel()                                      // never answers, no error()
//   ProgressBar { from: 0; to: job.maximum; value: job.progress }
//   job.failed.connect((message, error) => { if (error === ForkRpcCall.TimedOut) ... })
//
// Nothing of it happens inside ForkRpc.call(): a call that fails at once (refused) reports it
// after call() returned, so connecting to the returned object is never too late.
//
// Ownership: JavaScript owns it (QJSEngine::JavaScriptOwnership), but while the call waits the
// ForkRpc is its parent, which the garbage collector respects: a call whose object nobody keeps
// still answers (`rpc.call(args, callback)` alone is the common case). Once it has ended it
// leaves its parent, and the garbage collector deletes it when JavaScript holds it no more.
// Deleting the ForkRpc deletes the objects of the calls still waiting, as it drops their
// callbacks. All of this holds for a ForkRpcPool in place of the ForkRpc.
class QForkRpcCallQml : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(ForkRpcCall)
    QML_UNCREATABLE("ForkRpcCall objects are made by ForkRpc.call() and ForkRpcPool.call()")

    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(bool pending READ isPending NOTIFY statusChanged)
    Q_PROPERTY(QJSValue results READ results NOTIFY statusChanged)
    Q_PROPERTY(int progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(int maximum READ maximum NOTIFY progressChanged)
    Q_PROPERTY(Error error READ error NOTIFY statusChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY statusChanged)

public:
    enum Status {
        Pending, // queued or running
        Answered, // the results arrived; the callback ran with them
        Failed, // error and errorString say why; ForkRpc's error() reported it too
        Cancelled // cancel(), or the ForkRpc dropped it; no callback, no error
    };
    Q_ENUM(Status)

    // QForkRpcError::Kind, for QML (ForkRpcCall.TimedOut), and NoError.
    enum Error {
        NoError,
        StartFailed,
        Threw,
        WorkerDied,
        NotRun,
        TimedOut,
        Refused,
        Protocol,
        UnknownError // a failure that came without a QForkRpcError (not expected)
    };
    Q_ENUM(Error)

    // Starts following `future`; `owner` is the ForkRpc or ForkRpcPool that made the call and the
    // parent while it waits. `callback` (callable, or undefined) gets the results.
    QForkRpcCallQml(
        const QFuture<QVariantList> &future, const QJSValue &callback, QForkRpcQmlBase *owner);
    ~QForkRpcCallQml() override;

    Status status() const { return m_status; }
    bool isPending() const { return m_status == Pending; }
    QJSValue results() const { return m_results; }
    int progress() const { return m_progress; }
    int maximum() const { return m_maximum; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    // Cancels the call if it is still pending (QFuture::cancel()): a call the worker has not
    // started never runs, a running one sees QForkRpcChild::isCancelled() / done.isCancelled().
    // The status is Cancelled at once; returns whether it was pending.
    Q_INVOKABLE bool cancel();

Q_SIGNALS:
    void statusChanged();
    // progress and maximum changed (both are updated before it is emitted).
    void progressChanged();
    // The call's end, one of the three, after statusChanged():
    void answered(const QJSValue &results); // before the callback
    void failed(const QString &message, QForkRpcCallQml::Error error);
    void cancelled();

private:
    void settle();
    void updateProgress();
    void end(Status status);

    QFuture<QVariantList> m_future;
    QFutureWatcher<QVariantList> m_watcher;
    QTimer m_progressSettle;
    QJSValue m_callback;
    QPointer<QForkRpcQmlBase> m_owner;

    Status m_status = Pending;
    QJSValue m_results;
    int m_progress = 0;
    int m_maximum = 0;
    Error m_error = NoError;
    QString m_errorString;
};
