// SPDX-License-Identifier: MIT
#pragma once

#include "registry_p.h"
#include "wire/channel_p.h"

#include <qforkrpc/qforkrpc.h>

#include <QtCore/QPromise>

#include <map>
#include <memory>

class QTimer;

namespace QForkRpcDetail {
class ChildWatcher;
class TemplateTicket;
} // namespace QForkRpcDetail

// A call sent (or to be sent) and not answered yet.
struct PendingCall
{
    std::function<void(const QVariantList &)> callback;
    std::unique_ptr<QPromise<QVariantList>> promise;
};

// The parent side of one worker: its lifecycle (QForkRpc::State), its calls, and the one channel
// and one process watcher it owns. Every end (the worker exited or was killed, broke the protocol,
// never started) goes through end(), which reports once and fails what is left.
class QForkRpcPrivate : public QForkRpcDetail::Channel::Receiver
{
    Q_DECLARE_PUBLIC(QForkRpc)

public:
    using Callback = std::function<void(const QVariantList &)>;

    explicit QForkRpcPrivate(QForkRpc *q);
    ~QForkRpcPrivate() override;

    void start(const QString &function, const QForkRpc::Options &options);
    void call(const QVariantList &args, Callback callback,
        std::unique_ptr<QPromise<QVariantList>> promise);
    void finish();
    // For the destructor: kills and reaps the worker (or leaves a template worker that does not
    // exist yet to the library), drops callbacks uncalled, cancels futures. Never waits for the
    // template.
    void teardown();

    qint64 processId() const;

    QForkRpc::State m_state = QForkRpc::State::Starting;
    QString m_function;
    std::map<quint32, PendingCall> m_pending;

private:
    // Channel::Receiver
    bool frameReceived(QForkRpcDetail::Frame &frame) override;
    void streamEnded(const QString &error) override;

    void failStart(const QString &message);
    void watchWorker(pid_t pid);
    void templateAnswered(pid_t pid, const QString &error);
    void workerExited();
    void endOfStreamOverdue();
    void exitOverdue();
    // Ends everything once both the stream and the process are over (or either is enough).
    void endWhenBothAreOver();

    // Each returns false when the object was deleted by a slot or callback it ran.
    bool handleHello(const QByteArray &payload);
    bool deliverResult(quint32 id, QByteArray &&payload);
    bool failCall(quint32 id, const QString &message);
    bool emitError(const QString &message);
    bool protocolFailure(const QString &message);
    // The one way to State::Ended: kills the worker if it still runs, closes the channel, fails
    // the calls that are left, reports the end once (m_failure, or how the worker ended), and says
    // destroyed() after finish(). False when a handler deleted the object.
    bool end();
    // Gives up the template's answer still to come; a pid already known is killed and reaped.
    void releaseTicket();
    bool setState(QForkRpc::State state); // false when a handler deleted the object

    bool isExecSpawn() const;
    QString notAWorkerText() const;
    static void failPromise(QPromise<QVariantList> &promise, const QString &message);

    QForkRpc *q_ptr;
    QForkRpc::Options m_options;
    const QForkRpcDetail::Serialiser *m_serialiser = nullptr;
    QForkRpcDetail::Channel *m_channel = nullptr; // null until spawned; closed at the end
    QForkRpcDetail::ChildWatcher *m_watcher = nullptr; // null until the pid is known
    std::shared_ptr<QForkRpcDetail::TemplateTicket> m_ticket; // a template worker's pid, to come
    QTimer *m_helloTimer = nullptr; // the worker must say hello in time
    QTimer *m_endTimer = nullptr; // waits for the other half of the end: exit, or end of stream
    quint32 m_nextId = 1;

    bool m_helloSeen = false;
    qint64 m_helloPid = 0; // the pid the worker said, before its template's answer is read
    bool m_streamEnded = false;
    QString m_streamError; // what was wrong with the end of the stream, if anything
    bool m_killedAfterEndOfStream = false; // it closed its connection and stayed: we killed it
    QString m_failure; // the error that explains the end, once known
    bool m_failureReported = false;
    bool m_destroyedEmitted = false;
};
