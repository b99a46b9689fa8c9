// SPDX-License-Identifier: MIT
#pragma once

#include "framereader_p.h"
#include "framewriter_p.h"
#include "registry_p.h"

#include <qforkrpc/qforkrpc.h>

#include <QtCore/QPromise>
#include <QtCore/QTimer>

#include <map>
#include <memory>

class QLocalSocket;
class QSocketNotifier;

namespace QForkRpcDetail {
class ChildWatcher;
}

class QForkRpcPrivate
{
    Q_DECLARE_PUBLIC(QForkRpc)

public:
    using Callback = std::function<void(const QVariantList &)>;

    explicit QForkRpcPrivate(QForkRpc *q);
    ~QForkRpcPrivate();

    void start(const QString &function, const QForkRpc::Options &options);
    void call(const QVariantList &args, Callback callback,
              std::unique_ptr<QPromise<QVariantList>> promise);
    void finish();
    void teardown();

private:
    struct PendingCall
    {
        Callback callback;
        std::unique_ptr<QPromise<QVariantList>> promise;
    };

    void failStart(const QString &message);
    void watchChild(qint64 pid);
    void writeFrame(QForkRpcDetail::FrameType type, quint32 id, const QForkRpcDetail::FramePayload &payload);
    void flushWrites();
    void shutdownWriteWhenFlushed();
    void closeWriter();

    // Reading; each returns false when the object was deleted by a slot or callback it ran.
    bool readAvailable();
    bool handleFrame(QForkRpcDetail::Frame &frame);
    bool handleHello(const QByteArray &payload);
    bool deliverResult(quint32 id, QByteArray &&payload);
    bool failCall(quint32 id, const QString &message);
    bool emitError(const QString &message);
    bool protocolFailure(const QString &message);

    bool isExecSpawn() const;
    QString notAWorkerText() const;
    void onSocketEnded();
    void onChildExited();
    void finalize();
    static void failPromise(QPromise<QVariantList> &promise, const QString &message);

    QForkRpc *q_ptr;
    QString m_function;
    QForkRpc::Options m_options;
    const QForkRpcDetail::Serialiser *m_serialiser = nullptr;
    QLocalSocket *m_socket = nullptr;
    QForkRpcDetail::FrameReader m_reader;
    // Requests go out through our own queue on a duplicate of the socket's descriptor, not through
    // QLocalSocket's write buffer: no copy of large arguments, and a batch of calls leaves in one
    // system call when the event loop comes round.
    QForkRpcDetail::FrameWriter m_writer;
    int m_writeFd = -1;
    QSocketNotifier *m_writable = nullptr;
    QForkRpcDetail::ChildWatcher *m_watcher = nullptr;
    QTimer m_timer; // hello timeout, then the wait for end of stream after the child exited
    std::map<quint32, PendingCall> m_pending;
    quint32 m_nextId = 1;

    bool m_helloSeen = false;
    bool m_secondHelloExpected = false; // a template worker is announced twice (spawn_p.h)
    bool m_finishing = false; // finish() was called
    bool m_writeShutDown = false;
    bool m_socketEnded = false;
    bool m_ended = false; // the worker is gone and everything has been reported
    bool m_destroyedQueued = false;
    QString m_fatalMessage; // the one error that explains the end, once reported
};
