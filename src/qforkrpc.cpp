// SPDX-License-Identifier: MIT
// The parent side: one QForkRpc per worker, talking to it over a QLocalSocket that wraps our end
// of the socketpair, and reaping it through a ChildWatcher.
#include "qforkrpc_p.h"

#include "errors_p.h"
#include "logging_p.h"
#include "serialisers/serialisers_p.h"
#include "spawn/childwatcher_p.h"
#include "spawn/spawn_p.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCoreApplication>
#include <QtCore/QMetaMethod>
#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>
#include <QtNetwork/QLocalSocket>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

using namespace QForkRpcDetail;

namespace {
// How long a worker may take to say hello before it counts as failed to start.
constexpr int helloTimeoutMs = 30000;
// After the worker has exited, how long its socket may stay open (held by a grandchild that
// inherited it) before we stop waiting for the end of the stream.
constexpr int endOfStreamGraceMs = 200;
// Queued requests are written at once past this size, else when the event loop comes round.
constexpr qsizetype flushThreshold = 256 * 1024;
constexpr int maxReadsPerWakeUp = 256;
} // namespace

QForkRpcPrivate::QForkRpcPrivate(QForkRpc *q) : q_ptr(q)
{
    m_timer.setSingleShot(true);
}

QForkRpcPrivate::~QForkRpcPrivate() = default;

void QForkRpcPrivate::start(const QString &function, const QForkRpc::Options &options)
{
    Q_Q(QForkRpc);
    m_function = function;
    m_options = options;

    m_serialiser = Registry::instance().serialiser(options.serialiser);
    if (!m_serialiser)
        return failStart(errorText(ErrorCode::UnknownSerialiser, { options.serialiser }));

    QForkRpc::Spawn spawn = options.spawn;
    if (spawn == QForkRpc::Spawn::Auto) {
        if (TemplateProcess::isRunning())
            spawn = QForkRpc::Spawn::Template;
        else if (!options.program.isEmpty())
            spawn = QForkRpc::Spawn::Exec;
        else if (!options.async)
            spawn = QForkRpc::Spawn::Fork;
        else
            return failStart(errorText(ErrorCode::AsyncNeedsProcess, {}));
    }

    SpawnedWorker worker;
    switch (spawn) {
    case QForkRpc::Spawn::Template:
        if (!TemplateProcess::isRunning())
            return failStart(errorText(ErrorCode::NoTemplate, {}));
        worker = TemplateProcess::spawnWorker();
        break;
    case QForkRpc::Spawn::Exec:
        worker = spawnByExec(options.program);
        break;
    case QForkRpc::Spawn::Fork:
        if (options.async)
            return failStart(errorText(ErrorCode::ForkNotForAsync, {}));
        worker = spawnByFork();
        break;
    case QForkRpc::Spawn::Auto:
        break;
    }
    if (worker.socket < 0)
        return failStart(worker.error);
    qCDebug(lcQForkRpcSpawn) << "started worker for" << function << "pid" << worker.pid;

    m_socket = new QLocalSocket(q);
    m_socket->setSocketDescriptor(worker.socket, QLocalSocket::ConnectedState,
                                  QIODevice::ReadWrite | QIODevice::Unbuffered);
    QObject::connect(m_socket, &QLocalSocket::readyRead, q, [this] { readAvailable(); });
    // Queued: a write in call() can find the socket broken, and the user's error() slot must not
    // run (and perhaps delete us) inside call().
    QObject::connect(m_socket, &QLocalSocket::disconnected, q, [this] { onSocketEnded(); }, Qt::QueuedConnection);
    QObject::connect(m_socket, &QLocalSocket::errorOccurred, q, [this] {
        if (m_socket && m_socket->state() != QLocalSocket::ConnectedState)
            onSocketEnded();
    }, Qt::QueuedConnection);
    m_writeFd = fcntl(worker.socket, F_DUPFD_CLOEXEC, 0);
    if (m_writeFd < 0) {
        m_socket->abort();
        return failStart(errorText(ErrorCode::SpawnFailed, { QString::fromLocal8Bit(strerror(errno)) }));
    }
    m_writable = new QSocketNotifier(m_writeFd, QSocketNotifier::Write, q);
    m_writable->setEnabled(false);
    QObject::connect(m_writable, &QSocketNotifier::activated, q, [this] { flushWrites(); });
    if (auto *dispatcher = QAbstractEventDispatcher::instance(q->thread())) {
        QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, q, [this] { flushWrites(); });
        QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, q, [this] { flushWrites(); });
    }
    if (worker.pid > 0)
        watchChild(worker.pid);
    m_secondHelloExpected = worker.helloTwice;

    QObject::connect(&m_timer, &QTimer::timeout, q, [this] {
        if (!m_helloSeen)
            protocolFailure(notAWorkerText());
        else
            finalize();
    });
    m_timer.start(helloTimeoutMs);

    WorkerSetup setup;
    setup.function = function;
    setup.async = options.async;
    setup.serialiser = options.serialiser;
    setup.init = options.init;
    setup.initArgs = options.initArgs;
    setup.require = options.require;
    writeFrame(FrameType::Setup, 0, encodeSetup(setup));
}

void QForkRpcPrivate::failStart(const QString &message)
{
    // run() has not returned yet: report once control is back in the event loop, together with
    // every call queued in the meantime.
    Q_Q(QForkRpc);
    m_fatalMessage = message;
    QMetaObject::invokeMethod(q, [this] {
        if (emitError(m_fatalMessage))
            finalize();
    }, Qt::QueuedConnection);
}

void QForkRpcPrivate::watchChild(qint64 pid)
{
    Q_Q(QForkRpc);
    m_watcher = new ChildWatcher(pid_t(pid), q);
    QObject::connect(m_watcher, &ChildWatcher::exited, q, [this] { onChildExited(); });
}

void QForkRpcPrivate::writeFrame(FrameType type, quint32 id, const FramePayload &payload)
{
    m_writer.append(type, id, payload);
    // Without an event dispatcher (no QCoreApplication yet) nobody would flush later. While the
    // socket is full, the notifier says when to go on; trying before that only costs EAGAINs.
    const bool full = m_writable && m_writable->isEnabled();
    if (!full && (m_writer.queuedBytes() >= flushThreshold || !QAbstractEventDispatcher::instance(q_ptr->thread())))
        flushWrites();
}

void QForkRpcPrivate::flushWrites()
{
    if (m_writeFd < 0 || m_writer.isEmpty())
        return;
    if (m_writer.flush(m_writeFd)) {
        m_writable->setEnabled(false);
        if (m_finishing)
            shutdownWriteWhenFlushed();
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        m_writable->setEnabled(true);
    } else {
        // The worker is gone; reading to the end of its stream tells the rest.
        m_writer.clear();
        m_writable->setEnabled(false);
    }
}

void QForkRpcPrivate::closeWriter()
{
    delete m_writable;
    m_writable = nullptr;
    if (m_writeFd >= 0)
        ::close(m_writeFd);
    m_writeFd = -1;
    m_writer.clear();
}

void QForkRpcPrivate::call(const QVariantList &args, Callback callback,
                           std::unique_ptr<QPromise<QVariantList>> promise)
{
    Q_Q(QForkRpc);
    if (promise)
        promise->start();

    // Calls that cannot go to the worker fail at once; the error is emitted after call() returns.
    auto refuse = [&](const QString &message) {
        QPointer<QForkRpc> alive(q);
        if (promise)
            failPromise(*promise, message); // its continuation may delete us
        if (alive)
            QMetaObject::invokeMethod(q, [this, message] { emitError(message); }, Qt::QueuedConnection);
    };
    if (m_finishing)
        return refuse(errorText(ErrorCode::CallAfterFinish, { m_function }));
    if (m_ended)
        return refuse(errorText(ErrorCode::WorkerNotRunning, { m_function }));
    if (m_options.maxPendingCalls > 0 && m_pending.size() >= size_t(m_options.maxPendingCalls))
        return refuse(errorText(ErrorCode::TooManyPendingCalls, { m_function, QString::number(m_pending.size()) }));
    if (m_options.maxQueuedBytes > 0 && m_writer.queuedBytes() >= m_options.maxQueuedBytes)
        return refuse(errorText(ErrorCode::QueueFull, { m_function, QString::number(m_writer.queuedBytes()), QString::number(m_options.maxQueuedBytes) }));

    FramePayload payload;
    if (m_serialiser) {
        QString reason;
        if (!freezeValues(*m_serialiser, args, &payload, &reason))
            return refuse(errorText(ErrorCode::CallFailed, { m_function, errorText(ErrorCode::FreezeFailed, { m_serialiser->customName, reason }) }));
        if (quint64(payload.size()) > maxPayloadSize)
            return refuse(errorText(ErrorCode::CallFailed, { m_function, errorText(ErrorCode::PayloadTooLarge, { QString::number(payload.size()) }) }));
    }

    quint32 id = m_nextId++;
    if (id == 0) // 0 is the id of events
        id = m_nextId++;
    m_pending.emplace(id, PendingCall { std::move(callback), std::move(promise) });
    if (m_socket) // else run() failed and the call fails with it
        writeFrame(FrameType::Request, id, payload);
}

void QForkRpcPrivate::finish()
{
    Q_Q(QForkRpc);
    if (m_finishing)
        return;
    m_finishing = true;
    if (m_ended && !m_destroyedQueued) {
        // The worker is gone already (it failed to start or died); say so as promised.
        m_destroyedQueued = true;
        QMetaObject::invokeMethod(q, [q] { Q_EMIT q->destroyed(); }, Qt::QueuedConnection);
        return;
    }
    flushWrites();
    shutdownWriteWhenFlushed();
}

void QForkRpcPrivate::shutdownWriteWhenFlushed()
{
    // Half-close our end once every request is out: the worker reads to the end of the stream,
    // answers, and exits (the original's "undef $rpc").
    if (m_writeShutDown || m_writeFd < 0 || !m_writer.isEmpty())
        return;
    m_writeShutDown = true;
    ::shutdown(m_writeFd, SHUT_WR);
}

bool QForkRpcPrivate::readAvailable()
{
    Q_Q(QForkRpc);
    if (!m_socket)
        return true;
    QPointer<QForkRpc> alive(q);
    // The socket is unbuffered: each read goes straight from the kernel into the frame reader's
    // buffer (a large payload's final one). Bounded, so that a flooding worker cannot starve the
    // rest of the event loop; the socket notifier brings us back for the rest.
    for (int round = 0; m_socket && round < maxReadsPerWakeUp; ++round) {
        qsizetype capacity = 0;
        char *space = m_reader.reserve(&capacity);
        const qint64 n = m_socket->read(space, capacity);
        if (n <= 0)
            break;
        m_reader.commit(qsizetype(n));
        Frame frame;
        while (m_reader.takeFrame(&frame)) {
            if (!handleFrame(frame) || !alive)
                return false;
            if (m_ended || !m_socket)
                return true;
        }
        if (m_reader.failed())
            return protocolFailure(errorText(ErrorCode::ProtocolError, { m_reader.error() }));
    }
    return true;
}

bool QForkRpcPrivate::handleFrame(Frame &frame)
{
    Q_Q(QForkRpc);
    if (!m_helloSeen && frame.type != FrameType::Hello && frame.type != FrameType::Fatal)
        return protocolFailure(notAWorkerText());

    switch (frame.type) {
    case FrameType::Hello:
        return handleHello(frame.payload);
    case FrameType::Result:
        return deliverResult(frame.id, std::move(frame.payload));
    case FrameType::Event: {
        QVariantList args;
        QString reason;
        if (!thawValues(*m_serialiser, std::move(frame.payload), &args, &reason))
            return emitError(errorText(ErrorCode::ThawFailed, { m_serialiser->customName, reason }));
        QPointer<QForkRpc> alive(q);
        Q_EMIT q->event(args);
        return !alive.isNull();
    }
    case FrameType::CallFailed:
    case FrameType::Error:
    case FrameType::Fatal: {
        ErrorReport report;
        if (!decodeErrorReport(frame.payload, &report))
            return protocolFailure(errorText(ErrorCode::ProtocolError, { QStringLiteral("undecodable error report") }));
        if (frame.type == FrameType::CallFailed)
            return failCall(frame.id, errorText(ErrorCode::CallFailed, { m_function, errorText(report) }));
        if (frame.type == FrameType::Error)
            return emitError(errorText(report));
        // Fatal: the worker exits after this; its exit needs no second error.
        m_fatalMessage = errorText(report);
        return emitError(m_fatalMessage);
    }
    case FrameType::Setup:
    case FrameType::Request:
        break;
    }
    return protocolFailure(errorText(ErrorCode::UnexpectedFrame,
                                     { QStringLiteral("the worker sent a frame of type %1").arg(quint32(frame.type)) }));
}

bool QForkRpcPrivate::isExecSpawn() const
{
    return m_options.spawn == QForkRpc::Spawn::Exec
            || (m_options.spawn == QForkRpc::Spawn::Auto && !TemplateProcess::isRunning() && !m_options.program.isEmpty());
}

QString QForkRpcPrivate::notAWorkerText() const
{
    if (isExecSpawn())
        return errorText(ErrorCode::NotAWorkerProgram, { m_options.program.isEmpty() ? QCoreApplication::applicationFilePath() : m_options.program });
    return errorText(ErrorCode::ProtocolError, { QStringLiteral("the worker did not announce itself") });
}

bool QForkRpcPrivate::handleHello(const QByteArray &payload)
{
    Hello hello {};
    if (!decodeHello(payload, &hello))
        return protocolFailure(notAWorkerText());
    if (hello.version != protocolVersion || hello.pid <= 0
        || (m_watcher && m_watcher->pid() != pid_t(hello.pid)))
        return protocolFailure(notAWorkerText());
    if (m_helloSeen) {
        // The template's hello and the worker's own may come in either order, the worker's even
        // after its first results; any other repeated hello is garbage.
        if (!m_secondHelloExpected)
            return protocolFailure(notAWorkerText());
        m_secondHelloExpected = false;
        return true;
    }
    m_helloSeen = true;
    m_timer.stop();
    if (!m_watcher)
        watchChild(hello.pid);
    return true;
}

bool QForkRpcPrivate::deliverResult(quint32 id, QByteArray &&payload)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return protocolFailure(errorText(ErrorCode::UnexpectedFrame,
                                         { QStringLiteral("a result for unknown call %1").arg(id) }));
    QVariantList results;
    QString reason;
    if (!thawValues(*m_serialiser, std::move(payload), &results, &reason))
        return failCall(id, errorText(ErrorCode::CallFailed, { m_function, errorText(ErrorCode::ThawFailed, { m_serialiser->customName, reason }) }));

    PendingCall call = std::move(it->second);
    m_pending.erase(it);
    // A future's continuation runs right here (Qt 6.4 runs them synchronously) and may delete us,
    // just as a callback may.
    Q_Q(QForkRpc);
    QPointer<QForkRpc> alive(q);
    if (call.promise) {
        call.promise->addResult(results);
        call.promise->finish();
    }
    if (call.callback && alive)
        call.callback(results);
    return !alive.isNull();
}

bool QForkRpcPrivate::failCall(quint32 id, const QString &message)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return protocolFailure(errorText(ErrorCode::UnexpectedFrame,
                                         { QStringLiteral("a failure for unknown call %1").arg(id) }));
    PendingCall call = std::move(it->second);
    m_pending.erase(it);
    Q_Q(QForkRpc);
    QPointer<QForkRpc> alive(q);
    if (call.promise)
        failPromise(*call.promise, message); // its continuation may delete us
    return alive && emitError(message);
}

void QForkRpcPrivate::failPromise(QPromise<QVariantList> &promise, const QString &message)
{
    promise.setException(std::make_exception_ptr(std::runtime_error(message.toStdString())));
    promise.finish();
}

bool QForkRpcPrivate::emitError(const QString &message)
{
    // The original's routing: on_error if set, else on_event("error", ...), else stderr.
    Q_Q(QForkRpc);
    QPointer<QForkRpc> alive(q);
    if (q->isSignalConnected(QMetaMethod::fromSignal(&QForkRpc::error)))
        Q_EMIT q->error(message);
    else if (q->isSignalConnected(QMetaMethod::fromSignal(&QForkRpc::event)))
        Q_EMIT q->event({ QStringLiteral("error"), message });
    else
        qCWarning(lcQForkRpc).noquote() << message;
    return !alive.isNull();
}

bool QForkRpcPrivate::protocolFailure(const QString &message)
{
    // The worker said something we cannot trust: report it, end the worker, and let its exit
    // finish the job without a second error.
    if (!m_fatalMessage.isEmpty())
        return true;
    m_fatalMessage = message;
    if (!emitError(message))
        return false;
    if (m_watcher)
        m_watcher->killAndReap();
    finalize(); // closes the socket: nothing after this is to be believed
    return false;
}

void QForkRpcPrivate::onSocketEnded()
{
    if (m_socketEnded || m_ended)
        return;
    if (!readAvailable())
        return;
    if (m_ended)
        return;
    m_socketEnded = true;
    if (m_reader.inMiddleOfFrame() && m_fatalMessage.isEmpty() && m_watcher && !m_watcher->poll()) {
        // The worker is still running but its stream broke off mid-frame: that is garbage.
        protocolFailure(errorText(ErrorCode::ProtocolError, { QStringLiteral("the stream ended in the middle of a frame") }));
        return;
    }
    if (!m_watcher || m_watcher->hasExited())
        finalize();
    // Else the ChildWatcher reports the exit in a moment.
}

void QForkRpcPrivate::onChildExited()
{
    if (m_ended)
        return;
    if (m_socketEnded || !m_socket) {
        finalize();
        return;
    }
    // Everything the worker wrote is in our socket by now; the end of the stream follows at once
    // unless something it started still holds the socket.
    if (!readAvailable() || m_ended)
        return;
    m_timer.start(endOfStreamGraceMs);
}

void QForkRpcPrivate::finalize()
{
    Q_Q(QForkRpc);
    if (m_ended)
        return;
    m_ended = true;
    m_timer.stop();

    const int outstanding = int(m_pending.size());
    const bool exitedCleanly = m_watcher && m_watcher->hasExited() && WIFEXITED(m_watcher->waitStatus())
            && WEXITSTATUS(m_watcher->waitStatus()) == 0;
    QString message = m_fatalMessage;
    bool reported = !message.isEmpty();
    if (message.isEmpty() && !(m_finishing && exitedCleanly && outstanding == 0)) {
        const QString how = m_watcher && m_watcher->hasExited()
                ? exitStatusText(m_watcher->waitStatus())
                : QCoreApplication::translate("QForkRpc", "closed its connection");
        const QString pid = m_watcher ? QString::number(m_watcher->pid()) : QStringLiteral("?");
        message = errorText(ErrorCode::WorkerExited, { m_function, pid, how, QString::number(outstanding) });
        if (!m_helloSeen && isExecSpawn())
            message = notAWorkerText() + QLatin1String(": ") + message;
    }

    closeWriter();
    if (m_socket) {
        // Not abort(): finalize() can run inside the socket's own readyRead.
        m_socket->disconnect(q);
        m_socket->setParent(nullptr);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    // Outstanding calls fail: futures with the message, callbacks are not called. A future's
    // continuation may delete us, so look after each one.
    QPointer<QForkRpc> alive(q);
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto &entry : pending) {
        if (entry.second.promise)
            failPromise(*entry.second.promise, message);
        if (!alive)
            return;
    }

    if (!reported && !message.isEmpty() && !emitError(message))
        return;
    if (m_finishing && !m_destroyedQueued && alive) {
        m_destroyedQueued = true;
        Q_EMIT q->destroyed();
    }
}

void QForkRpcPrivate::teardown()
{
    Q_Q(QForkRpc);
    m_timer.stop();
    if (m_ended || !m_socket)
        return;
    m_socket->disconnect(q);
    // A template worker names its pid in its hello; wait briefly for it so that it can be reaped.
    if (!m_watcher && !m_helloSeen) {
        QPointer<QForkRpc> alive(q);
        while (!m_helloSeen && m_fatalMessage.isEmpty() && m_socket->state() == QLocalSocket::ConnectedState
               && m_socket->waitForReadyRead(2000)) {
            qsizetype capacity = 0;
            char *space = m_reader.reserve(&capacity);
            const qint64 n = m_socket->read(space, qMin<qint64>(capacity, m_socket->bytesAvailable()));
            if (n <= 0)
                break;
            m_reader.commit(qsizetype(n));
            Frame frame;
            Hello hello;
            if (m_reader.takeFrame(&frame) && frame.type == FrameType::Hello && decodeHello(frame.payload, &hello)) {
                m_helloSeen = true;
                m_watcher = new ChildWatcher(pid_t(hello.pid), q);
            } else if (m_reader.failed() || frame.type != FrameType::Hello) {
                break;
            }
        }
    }
    closeWriter();
    if (m_watcher)
        m_watcher->killAndReap();
    // We may be deleted from a slot that the socket or the watcher is emitting to (a result
    // callback runs inside the socket's readyRead): they must outlive this emission, so they are
    // detached and left to the event loop instead of dying with us.
    m_socket->setParent(nullptr);
    m_socket->deleteLater();
    m_socket = nullptr;
    if (m_watcher) {
        m_watcher->disconnect(q);
        m_watcher->setParent(nullptr);
        m_watcher->deleteLater();
        m_watcher = nullptr;
    }
    // Pending promises are cancelled by their destructors; callbacks are dropped uncalled.
    m_pending.clear();
}

// ---- QForkRpc ------------------------------------------------------------------------------

QForkRpc::QForkRpc(QObject *parent)
    : QForkRpcDetail::EventBase(parent)
    , d_ptr(new QForkRpcPrivate(this))
{ }

QForkRpc::~QForkRpc()
{
    Q_D(QForkRpc);
    d->teardown();
}

QForkRpc *QForkRpc::run(const QString &function, const Options &options, QObject *parent)
{
    auto *rpc = new QForkRpc(parent);
    rpc->d_func()->start(function, options);
    return rpc;
}

QForkRpc *QForkRpc::run(const QString &function, QObject *parent)
{
    return run(function, Options(), parent);
}

void QForkRpc::call(const QVariantList &args, std::function<void(const QVariantList &results)> callback)
{
    Q_D(QForkRpc);
    d->call(args, std::move(callback), nullptr);
}

QFuture<QVariantList> QForkRpc::call(const QVariantList &args)
{
    Q_D(QForkRpc);
    auto promise = std::make_unique<QPromise<QVariantList>>();
    QFuture<QVariantList> future = promise->future();
    d->call(args, nullptr, std::move(promise));
    return future;
}

void QForkRpc::finish()
{
    Q_D(QForkRpc);
    d->finish();
}

qint64 QForkRpc::processId() const
{
    Q_D(const QForkRpc);
    return d->m_watcher ? d->m_watcher->pid() : 0;
}

int QForkRpc::pendingCalls() const
{
    Q_D(const QForkRpc);
    return int(d->m_pending.size());
}

QString QForkRpc::function() const
{
    Q_D(const QForkRpc);
    return d->m_function;
}
