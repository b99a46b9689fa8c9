// SPDX-License-Identifier: MIT
// The parent side: one QForkRpc per worker, talking to it through a Channel and reaping it through
// a ChildWatcher.
#include "qforkrpc_p.h"

#include "anythread_p.h"
#include "contextrelay_p.h"
#include "errorrouting_p.h"
#include "errors_p.h"
#include "logging_p.h"
#include "serialisers/serialisers_p.h"
#include "spawn/childwatcher_p.h"
#include "spawn/spawn_p.h"
#include "spawn/stderrrelay_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QMetaMethod>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <stdexcept>
#include <sys/wait.h>

using namespace QForkRpcDetail;

namespace {
// How long a worker may take to say hello before it counts as failed to start.
constexpr int helloTimeoutMs = 30000;
// After the worker has exited, how long its socket may stay open (held by a grandchild that
// inherited it) before we stop waiting for the end of the stream.
constexpr int endOfStreamGraceMs = 200;
// After the end of the stream, how long the worker may take to exit before it counts as a worker
// that closed its connection but kept running (and is killed).
constexpr int exitGraceMs = 1000;
// How long deleting waits for the template's answer about a worker that has said hello.
constexpr int helloedAnswerWaitMs = 200;
// Reads per wake-up: a flooding worker cannot starve the rest of the event loop.
constexpr int readsPerWakeUp = 256;
} // namespace

QForkRpcPrivate::QForkRpcPrivate(QForkRpc *q)
    : q_ptr(q)
{
    // Children of the object, so that they follow it to another thread.
    m_helloTimer = new QTimer(q);
    m_helloTimer->setSingleShot(true);
    m_endTimer = new QTimer(q);
    m_endTimer->setSingleShot(true);
    QObject::connect(m_endTimer, &QTimer::timeout, q, [this] { endTimerFired(); });
    m_callTimer = new QTimer(q);
    m_callTimer->setSingleShot(true);
    QObject::connect(m_callTimer, &QTimer::timeout, q, [this] { callTimerFired(); });
    m_cancelPollTimer = new QTimer(q);
    m_cancelPollTimer->setTimerType(Qt::CoarseTimer);
    QObject::connect(m_cancelPollTimer, &QTimer::timeout, q, [this] { lookForCancelledFutures(); });
    m_cancelKillTimer = new QTimer(q);
    m_cancelKillTimer->setSingleShot(true);
    QObject::connect(m_cancelKillTimer, &QTimer::timeout, q, [this] { cancelKillTimerFired(); });
    m_clock.start();
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

    // Everything the worker needs to start goes out with the first frame, so that calls made
    // right after run() follow it without waiting for an answer.
    WorkerSetup setup = currentSetup();
    setup.function = function;
    setup.async = options.async;
    setup.serialiser = options.serialiser;
    setup.init = options.init;
    setup.initArgs = options.initArgs;
    setup.require = options.require;
    if (isCommandSpawn()) {
        // Perhaps another machine: it keeps its own environment and working directory.
        setup.environment.clear();
        setup.workingDirectory.clear();
    }
    setup.sharedMemoryThreshold = quint32(sharedMemoryThreshold());
    FramePayload setupPayload;
    QString reason;
    if (!encodeSetup(setup, &setupPayload, &reason, !isCommandSpawn()))
        return failStart(errorText(ErrorCode::InitArgsRefused, { reason }));

    SpawnedWorker worker = spawnWorker(options);
    if (worker.socket < 0)
        return failStart(worker.error);
    qCDebug(lcQForkRpcSpawn) << "started worker for" << function << "pid" << worker.pid;

    m_channel = new Channel(worker.socket, worker.writeFd >= 0 ? worker.writeFd : worker.socket,
        this, readsPerWakeUp, q);
    m_channel->setSharedMemoryThreshold(sharedMemoryThreshold());
    if (worker.stderrFd >= 0)
        m_stderr = new StderrRelay(worker.stderrFd, q);
    if (worker.pid > 0) {
        watchWorker(worker.pid);
    } else {
        m_ticket = std::move(worker.ticket);
        m_ticket->whenAnswered(
            q, [this](pid_t pid, const QString &error) { templateAnswered(pid, error); });
    }
    QObject::connect(m_helloTimer, &QTimer::timeout, q, [this] { helloTimerFired(); });
    m_helloTimer->start(helloTimeoutMs);
    m_channel->send(FrameType::Setup, 0, setupPayload);
}

void QForkRpcPrivate::failStart(const QString &message)
{
    // run() has not returned yet: report once control is back in the event loop, together with
    // every call queued in the meantime.
    Q_Q(QForkRpc);
    m_failure = message;
    m_failureKind = QForkRpcError::Kind::StartFailed;
    QMetaObject::invokeMethod(
        q, [this] { end(); }, Qt::QueuedConnection);
}

void QForkRpcPrivate::watchWorker(pid_t pid)
{
    Q_Q(QForkRpc);
    m_watcher = new ChildWatcher(pid, q);
    QObject::connect(m_watcher, &ChildWatcher::exited, q, [this] { workerExited(); });
}

void QForkRpcPrivate::templateAnswered(pid_t pid, const QString &error)
{
    if (!m_ticket)
        return; // let go of, or taken by waitFor() already
    m_ticket.reset();
    if (m_state == QForkRpc::State::Ended)
        return;
    if (pid <= 0) {
        m_failure = error;
        m_failureKind = QForkRpcError::Kind::StartFailed;
        end();
        return;
    }
    watchWorker(pid);
    if (m_streamEnded)
        endWhenBothAreOver(); // it died before we knew it
}

qint64 QForkRpcPrivate::processId() const
{
    if (m_watcher)
        return m_watcher->pid();
    const qint64 fromTemplate = m_ticket ? m_ticket->pid() : 0;
    // The worker's own hello can come before the thread that reads the template's answer has run
    // (valgrind runs one thread at a time): it names the same process, for reporting only, as
    // only the template's answer may be used to reap it.
    return fromTemplate > 0 ? fromTemplate : m_helloPid;
}

void QForkRpcPrivate::setOwner(WorkerOwner *owner, int cancelKillAfterMs)
{
    m_owner = owner;
    m_cancelKillAfterMs = cancelKillAfterMs;
}

void QForkRpcPrivate::call(
    const QVariantList &args, Callback callback, std::unique_ptr<QPromise<QVariantList>> promise)
{
    PendingCall call;
    call.callback = std::move(callback);
    call.promise = std::move(promise);
    this->call(args, std::move(call));
}

void QForkRpcPrivate::call(const QVariantList &args, PendingCall &&made)
{
    Q_Q(QForkRpc);
    std::unique_ptr<QPromise<QVariantList>> &promise = made.promise;
    if (promise) {
        promise->start();
        // Cancelled before it was made (queued from another thread, say): it never is.
        if (promise->isCanceled()) {
            promise->finish();
            return;
        }
    }

    // Calls that cannot go to the worker fail at once; the error is emitted after call() returns.
    auto refuse = [&](const QString &message) {
        QPointer<QForkRpc> alive(q);
        // A pool hands calls over while a worker answers another, where no user code may run:
        // its future fails later, with the error.
        std::shared_ptr<QPromise<QVariantList>> later;
        if (promise && m_owner)
            later = std::move(promise);
        else if (promise)
            failPromise(*promise, QForkRpcError::Kind::Refused, message); // may delete us
        if (alive)
            QMetaObject::invokeMethod(
                q,
                [this, message, later] {
                    QPointer<QForkRpc> stillAlive(q_ptr);
                    if (later)
                        failPromise(*later, QForkRpcError::Kind::Refused, message);
                    if (stillAlive)
                        emitError(message);
                },
                Qt::QueuedConnection);
    };
    if (m_state == QForkRpc::State::Finishing)
        return refuse(errorText(ErrorCode::CallAfterFinish, { m_function }));
    if (m_state == QForkRpc::State::Ended)
        return refuse(errorText(ErrorCode::WorkerNotRunning, { m_function }));
    if (m_options.maxPendingCalls > 0 && pendingCalls() >= m_options.maxPendingCalls)
        return refuse(errorText(
            ErrorCode::TooManyPendingCalls, { m_function, QString::number(pendingCalls()) }));
    const qint64 queued = m_channel ? m_channel->unreadBytes() : 0;
    if (m_options.maxQueuedBytes > 0 && queued >= m_options.maxQueuedBytes)
        return refuse(errorText(ErrorCode::QueueFull,
            { m_function, QString::number(queued), QString::number(m_options.maxQueuedBytes) }));

    FramePayload payload;
    if (m_serialiser) {
        QString reason;
        if (!freezeValues(*m_serialiser, args, &payload, &reason, !isCommandSpawn()))
            return refuse(errorText(ErrorCode::CallFailed,
                { m_function,
                    errorText(ErrorCode::FreezeFailed, { m_serialiser->customName, reason }) }));
        if (quint64(payload.size()) > maxPayloadSize)
            return refuse(errorText(ErrorCode::CallFailed,
                { m_function,
                    errorText(ErrorCode::PayloadTooLarge, { QString::number(payload.size()) }) }));
    }

    quint32 id = m_nextId++;
    if (id == 0) // 0 is the id of events
        id = m_nextId++;
    PendingCall &call = m_pending[id];
    call = std::move(made);
    if (call.promise) {
        ++m_futureCalls;
        m_unsentFutureCalls.push_back(id);
        if (!m_cancelPollTimer->isActive())
            m_cancelPollTimer->start(cancelPollMs);
    }
    if (m_channel) // else run() failed and the call fails with it
        m_channel->send(FrameType::Request, id, payload);
    if (m_ready && (m_options.async || m_pending.size() == 1))
        callsStarted();
}

void QForkRpcPrivate::finish()
{
    Q_Q(QForkRpc);
    if (m_state == QForkRpc::State::Ended) {
        // The worker is gone already (it failed to start or died): destroyed() still comes, as
        // promised to code that waits for it.
        if (!m_destroyedEmitted) {
            m_destroyedEmitted = true;
            QMetaObject::invokeMethod(
                q, [q] { Q_EMIT q->destroyed(); }, Qt::QueuedConnection);
        }
        return;
    }
    if (m_state == QForkRpc::State::Finishing)
        return;
    if (!setState(QForkRpc::State::Finishing))
        return;
    finishWritingOnceAnswered();
}

void QForkRpcPrivate::finishWritingOnceAnswered()
{
    // Our end is half-closed once every call has answered: the worker reads to the end of the
    // stream and exits (the original's "undef $rpc"). Not sooner, so that a Cancel can still
    // reach a call the worker has not started.
    if (m_state == QForkRpc::State::Finishing && m_pending.empty() && m_channel)
        m_channel->finishWriting();
}

// ---- what the worker sends ------------------------------------------------------------------

bool QForkRpcPrivate::frameReceived(Frame &frame)
{
    Q_Q(QForkRpc);
    if (!m_helloSeen && frame.type != FrameType::Hello && frame.type != FrameType::Fatal)
        return protocolFailure(notAWorkerText());

    switch (frame.type) {
    case FrameType::Hello:
        return handleHello(frame.payload);
    case FrameType::Ready:
        return handleReady();
    case FrameType::Result:
        return deliverResult(frame.id, std::move(frame.payload), frame.descriptors);
    case FrameType::Progress:
        return deliverProgress(frame.id, frame.payload);
    case FrameType::Retire: {
        // QForkRpcChild::retire(): the worker runs what it has and exits, as after finish().
        QPointer<QForkRpc> alive(q);
        finish();
        return !alive.isNull();
    }
    case FrameType::Skipped: {
        const auto it = m_pending.find(frame.id);
        if (it == m_pending.end() || !it->second.cancelled)
            return protocolFailure(errorText(ErrorCode::UnexpectedFrame,
                { QStringLiteral("skipped call %1, which was not cancelled").arg(frame.id) }));
        return dropCancelled(it);
    }
    case FrameType::Event: {
        QVariantList args;
        QString reason;
        if (!thawValues(*m_serialiser, std::move(frame.payload), &args, &reason, frame.descriptors))
            return emitError(
                errorText(ErrorCode::ThawFailed, { m_serialiser->customName, reason }));
        QPointer<QForkRpc> alive(q);
        Q_EMIT q->event(args);
        return !alive.isNull();
    }
    case FrameType::CallFailed:
    case FrameType::Error:
    case FrameType::Fatal: {
        ErrorReport report;
        if (!decodeErrorReport(frame.payload, &report))
            return protocolFailure(errorText(
                ErrorCode::ProtocolError, { QStringLiteral("undecodable error report") }));
        if (frame.type == FrameType::CallFailed)
            return failCall(frame.id, QForkRpcError::Kind::Threw,
                errorText(ErrorCode::CallFailed, { m_function, errorText(report) }));
        if (frame.type == FrameType::Error)
            return emitError(errorText(report));
        // Fatal: the worker exits after this; this is the error that explains its end. Before
        // Ready it failed to start, after it the worker found the protocol broken.
        m_failure = errorText(report);
        m_failureKind = m_ready ? QForkRpcError::Kind::Protocol : QForkRpcError::Kind::StartFailed;
        // Reported by end(), with the calls it took along, when the worker is gone (at once).
        return true;
    }
    case FrameType::Setup:
    case FrameType::Request:
    case FrameType::Cancel:
        break;
    }
    return protocolFailure(errorText(ErrorCode::UnexpectedFrame,
        { QStringLiteral("the worker sent a frame of type %1").arg(quint32(frame.type)) }));
}

bool QForkRpcPrivate::handleHello(const QByteArray &payload)
{
    Hello hello {};
    if (!decodeHello(payload, &hello) || hello.pid <= 0 || m_helloSeen)
        return protocolFailure(notAWorkerText());
    if (hello.version != protocolVersion)
        return protocolFailure(errorText(ErrorCode::ProtocolVersion,
            { QString::number(hello.version), QString::number(protocolVersion) }));
    // A Command worker's pid is that of a process behind the command, perhaps on another machine.
    const qint64 known = processId();
    if (known > 0 && known != hello.pid && !isCommandSpawn())
        return protocolFailure(notAWorkerText());
    m_helloSeen = true;
    m_helloPid = hello.pid;
    m_helloTimer->stop();
    return true;
}

bool QForkRpcPrivate::handleReady()
{
    if (m_ready)
        return protocolFailure(
            errorText(ErrorCode::UnexpectedFrame, { QStringLiteral("a second Ready") }));
    m_ready = true;
    callsStarted();
    return m_state != QForkRpc::State::Starting || setState(QForkRpc::State::Running);
}

bool QForkRpcPrivate::deliverResult(
    quint32 id, QByteArray &&payload, const Descriptors &descriptors)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return protocolFailure(errorText(ErrorCode::UnexpectedFrame,
            { QStringLiteral("a result for unknown call %1").arg(id) }));
    if (it->second.cancelled || it->second.futureCancelled())
        return dropCancelled(it);
    QVariantList results;
    QString reason;
    if (!thawValues(*m_serialiser, std::move(payload), &results, &reason, descriptors))
        return failCall(id, QForkRpcError::Kind::Threw,
            errorText(ErrorCode::CallFailed,
                { m_function,
                    errorText(ErrorCode::ThawFailed, { m_serialiser->customName, reason }) }));

    PendingCall call = takeCall(it);
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

bool QForkRpcPrivate::deliverProgress(quint32 id, const QByteArray &payload)
{
    Progress progress {};
    if (!decodeProgress(payload, &progress))
        return protocolFailure(errorText(
            ErrorCode::UnexpectedFrame, { QStringLiteral("an undecodable progress report") }));
    // Progress for a call that has answered is dropped: a thread of the worker can report it
    // just after the call's result.
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return true;
    PendingCall &call = it->second;
    if (call.cancelled || !call.promise)
        return true;
    // QFuture's progress only grows within one range, and says a new range only when it changes.
    if (progress.maximum != call.progressMaximum) {
        call.progressMaximum = progress.maximum;
        call.promise->setProgressRange(0, progress.maximum);
    }
    call.promise->setProgressValue(progress.value);
    return true;
}

bool QForkRpcPrivate::failCall(quint32 id, QForkRpcError::Kind kind, const QString &message)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return protocolFailure(errorText(ErrorCode::UnexpectedFrame,
            { QStringLiteral("a failure for unknown call %1").arg(id) }));
    if (it->second.cancelled || it->second.futureCancelled())
        return dropCancelled(it);
    PendingCall call = takeCall(it);
    Q_Q(QForkRpc);
    QPointer<QForkRpc> alive(q);
    if (call.promise)
        failPromise(*call.promise, kind, message); // its continuation may delete us
    return alive && emitError(message);
}

bool QForkRpcPrivate::dropCancelled(std::map<quint32, PendingCall>::iterator it)
{
    PendingCall call = takeCall(it);
    if (!call.promise)
        return true; // its future was finished when the cancel was noticed
    // Cancelled by its holder, not noticed yet: the answer came first.
    Q_Q(QForkRpc);
    QPointer<QForkRpc> alive(q);
    call.promise->finish(); // its continuation may delete us
    return !alive.isNull();
}

PendingCall QForkRpcPrivate::takeCall(std::map<quint32, PendingCall>::iterator it)
{
    const bool wasRunning = it == m_pending.begin();
    PendingCall call = std::move(it->second);
    m_pending.erase(it);
    if (call.cancelled)
        --m_cancelledCalls;
    else if (call.promise)
        stopWatchingOneFuture();
    // The sync worker runs one call at a time, the oldest: the next one starts now.
    if (wasRunning && !m_options.async && m_ready)
        callsStarted();
    finishWritingOnceAnswered();
    if (m_owner)
        m_owner->callLeft(q_ptr);
    return call;
}

void QForkRpcPrivate::stopWatchingOneFuture()
{
    if (--m_futureCalls == 0)
        m_cancelPollTimer->stop();
}

void QForkRpcPrivate::forgetCalls()
{
    m_pending.clear();
    m_cancelledCalls = 0;
    m_futureCalls = 0;
    m_unsentFutureCalls.clear();
    m_callTimer->stop();
    m_cancelPollTimer->stop();
    m_cancelKillTimer->stop();
}

void QForkRpcPrivate::cancelCall(quint32 id, bool finishLater)
{
    Q_Q(QForkRpc);
    const auto it = m_pending.find(id);
    if (it == m_pending.end() || !it->second.futureCancelled())
        return;
    PendingCall &call = it->second;
    call.cancelled = true;
    call.callback = nullptr;
    ++m_cancelledCalls;
    stopWatchingOneFuture();
    if (m_cancelKillAfterMs >= 0) {
        call.cancelledAt = m_clock.elapsed();
        armCancelKillTimer();
    }
    // The worker skips it if it has not started it, else tells it through isCancelled(); either
    // way it answers, and that answer is dropped. Our end stays open until then (finish() waits
    // for every answer before it closes it).
    if (m_channel)
        m_channel->send(FrameType::Cancel, id, FramePayload());
    // The entry keeps no promise: a continuation may delete us, and the entry with us.
    std::shared_ptr<QPromise<QVariantList>> promise(std::move(call.promise));
    if (finishLater)
        QMetaObject::invokeMethod(
            q, [promise] { promise->finish(); }, Qt::QueuedConnection);
    else
        promise->finish();
}

void QForkRpcPrivate::lookForCancelledFutures()
{
    Q_Q(QForkRpc);
    std::vector<quint32> cancelled;
    for (const auto &[id, call] : m_pending)
        if (call.futureCancelled())
            cancelled.push_back(id);
    QPointer<QForkRpc> alive(q);
    for (quint32 id : cancelled) {
        cancelCall(id);
        if (!alive)
            return;
    }
}

void QForkRpcPrivate::aboutToFlush()
{
    // Inside the channel's flush: no user code may run here, so futures finish later.
    for (quint32 id : m_unsentFutureCalls)
        cancelCall(id, true);
    m_unsentFutureCalls.clear();
}

void QForkRpcPrivate::callsStarted()
{
    if (!m_ready || m_state == QForkRpc::State::Ended || m_pending.empty())
        return armCallTimer();
    // Only a timeout needs to know when a call started. Without one, 0 still marks it started
    // (kindAtEnd() asks), and no call pays for a clock read: on a VM's kvm-clock one costs
    // 30-120 ns, a few per cent of a pipelined tiny call.
    const qint64 now
        = m_options.callTimeoutMs > 0 || m_cancelKillAfterMs >= 0 ? m_clock.elapsed() : 0;
    if (m_options.async) {
        // Every call sent has started; those made before Ready start now. Start times grow with
        // the ids, so the newest calls are the only ones to look at.
        for (auto it = m_pending.rbegin(); it != m_pending.rend() && it->second.startedAt < 0; ++it)
            it->second.startedAt = now;
    } else if (m_pending.begin()->second.startedAt < 0) {
        m_pending.begin()->second.startedAt = now;
    }
    armCallTimer();
    if (m_cancelledCalls > 0)
        armCancelKillTimer();
}

void QForkRpcPrivate::armCallTimer()
{
    if (m_options.callTimeoutMs <= 0)
        return;
    // The oldest call started has the earliest deadline in both backends.
    if (m_pending.empty() || m_pending.begin()->second.startedAt < 0
        || m_state == QForkRpc::State::Ended) {
        m_callTimer->stop();
        return;
    }
    const qint64 deadline = m_pending.begin()->second.startedAt + m_options.callTimeoutMs;
    m_callTimer->start(int(qMax<qint64>(0, deadline - m_clock.elapsed())));
}

void QForkRpcPrivate::callTimerFired()
{
    if (m_pending.empty() || m_state == QForkRpc::State::Ended)
        return;
    const auto oldest = m_pending.begin();
    if (oldest->second.startedAt < 0
        || m_clock.elapsed() - oldest->second.startedAt < m_options.callTimeoutMs)
        return armCallTimer();
    // A stuck function cannot be interrupted: the worker is killed, and this is the one error.
    const QString pid = processId() > 0 ? QString::number(processId()) : QStringLiteral("?");
    m_failure = errorText(
        ErrorCode::CallTimedOut, { m_function, QString::number(m_options.callTimeoutMs), pid });
    m_failureKind = QForkRpcError::Kind::TimedOut;
    m_timedOutCall = oldest->first;
    end();
}

qint64 QForkRpcPrivate::cancelKillDeadline(quint32 id, const PendingCall &call) const
{
    // Only a call the worker runs counts: the sync worker runs the oldest, and skips the others
    // when it reaches them.
    if (!call.cancelled || call.startedAt < 0
        || (!m_options.async && id != m_pending.begin()->first))
        return -1;
    return qMax(call.cancelledAt, call.startedAt) + m_cancelKillAfterMs;
}

void QForkRpcPrivate::armCancelKillTimer()
{
    if (m_cancelKillAfterMs < 0 || m_state == QForkRpc::State::Ended)
        return;
    qint64 first = -1;
    for (const auto &[id, call] : m_pending) {
        const qint64 deadline = cancelKillDeadline(id, call);
        if (deadline >= 0 && (first < 0 || deadline < first))
            first = deadline;
    }
    if (first < 0)
        m_cancelKillTimer->stop();
    else
        m_cancelKillTimer->start(int(qMax<qint64>(0, first - m_clock.elapsed())));
}

void QForkRpcPrivate::cancelKillTimerFired()
{
    if (m_state == QForkRpc::State::Ended)
        return;
    const qint64 now = m_clock.elapsed();
    for (const auto &[id, call] : m_pending) {
        const qint64 deadline = cancelKillDeadline(id, call);
        if (deadline < 0 || deadline > now)
            continue;
        // It ignores isCancelled(): the worker is killed (and its owner starts another). That is
        // no failure to report unless it takes a call along that cannot go elsewhere.
        const QString pid = processId() > 0 ? QString::number(processId()) : QStringLiteral("?");
        m_failure = errorText(ErrorCode::CancelledCallKilled,
            { m_function, QString::number(m_cancelKillAfterMs), pid });
        m_failureKind = QForkRpcError::Kind::WorkerDied;
        m_quietUnlessCallsFail = true;
        end();
        return;
    }
    armCancelKillTimer();
}

QForkRpcError::Kind QForkRpcPrivate::kindAtEnd(quint32 id, const PendingCall &call) const
{
    if (id == m_timedOutCall)
        return QForkRpcError::Kind::TimedOut;
    if (!m_ready)
        return QForkRpcError::Kind::StartFailed;
    // The async worker starts every call it reads, and we cannot tell which it had read: every
    // call sent counts as running. The sync worker ran only the oldest.
    const bool ran = m_options.async || (call.startedAt >= 0 && id == m_pending.begin()->first);
    if (!ran)
        return QForkRpcError::Kind::NotRun;
    return m_failureKind == QForkRpcError::Kind::Protocol ? QForkRpcError::Kind::Protocol
                                                          : QForkRpcError::Kind::WorkerDied;
}

void QForkRpcPrivate::failPromise(
    QPromise<QVariantList> &promise, QForkRpcError::Kind kind, const QString &message)
{
    promise.setException(std::make_exception_ptr(QForkRpcError(kind, message)));
    promise.finish();
}

bool QForkRpcPrivate::emitError(const QString &message)
{
    Q_Q(QForkRpc);
    return routeError(q, q->isSignalConnected(QMetaMethod::fromSignal(&QForkRpc::error)),
        q->isSignalConnected(QMetaMethod::fromSignal(&QForkRpc::event)), message);
}

bool QForkRpcPrivate::protocolFailure(const QString &message)
{
    // The worker said something we cannot trust: nothing after it is to be believed.
    if (m_failure.isEmpty()) {
        m_failure = message;
        m_failureKind = QForkRpcError::Kind::Protocol;
    }
    end();
    return false;
}

// ---- the end --------------------------------------------------------------------------------

void QForkRpcPrivate::streamEnded(const QString &error)
{
    m_streamEnded = true;
    m_streamError = error;
    if (!error.isEmpty() && !m_channel->endedMidFrame() && !(m_watcher && m_watcher->poll())) {
        // Still running, yet its stream turned to garbage; before a hello, from a program that
        // is no worker (a command that prints something else).
        const QString garbage = errorText(ErrorCode::ProtocolError, { error });
        protocolFailure(m_helloSeen ? garbage : notAWorkerText() + QLatin1String(": ") + garbage);
        return;
    }
    // A stream that broke off mid-frame is the worker's death seen first (it exits a moment after
    // its descriptors close), or, if it goes on running, a protocol failure: exitOverdue().
    endWhenBothAreOver();
}

void QForkRpcPrivate::workerExited()
{
    Q_Q(QForkRpc);
    if (m_state == QForkRpc::State::Ended)
        return;
    // Everything it wrote is in our socket by now. Reading it delivers results, whose callbacks
    // and continuations may delete us.
    if (m_channel && !m_streamEnded) {
        QPointer<QForkRpc> alive(q);
        m_channel->readNow();
        if (!alive || m_state == QForkRpc::State::Ended)
            return;
    }
    endWhenBothAreOver();
}

void QForkRpcPrivate::endWhenBothAreOver()
{
    if (m_state == QForkRpc::State::Ended)
        return;
    const bool exited = m_watcher && m_watcher->hasExited();
    if (m_streamEnded && exited) {
        end();
    } else if (m_streamEnded && m_watcher) {
        m_endTimer->start(exitGraceMs); // exitOverdue()
    } else if (exited) {
        // The end of the stream follows at once, unless something the worker started still
        // holds its socket.
        m_endTimer->start(endOfStreamGraceMs); // endOfStreamOverdue()
    }
    // Else the end of the stream came before the template said the pid: templateAnswered().
}

void QForkRpcPrivate::helloTimerFired()
{
    if (m_state != QForkRpc::State::Ended)
        protocolFailure(notAWorkerText());
}

void QForkRpcPrivate::endTimerFired()
{
    if (m_streamEnded)
        exitOverdue();
    else
        endOfStreamOverdue();
}

void QForkRpcPrivate::endOfStreamOverdue()
{
    end();
}

void QForkRpcPrivate::exitOverdue()
{
    if (m_watcher->poll())
        return; // workerExited() ends it
    if (!m_streamError.isEmpty()) {
        // Still running, yet its stream broke off mid-frame or turned to garbage.
        protocolFailure(errorText(ErrorCode::ProtocolError, { m_streamError }));
        return;
    }
    // The worker closed its connection but goes on running: the original's "unexpected eof".
    m_killedAfterEndOfStream = true;
    m_watcher->killAndReap();
    end();
}

bool QForkRpcPrivate::end()
{
    Q_Q(QForkRpc);
    if (m_state == QForkRpc::State::Ended)
        return true;
    m_helloTimer->stop();
    m_endTimer->stop();
    m_cancelKillTimer->stop();

    if (m_watcher)
        m_watcher->killAndReap(); // nothing if it has exited
    if (m_channel)
        m_channel->close(); // inside its own read loop too: it stops reading at once
    releaseTicket();

    // How each call that is left fails, and how many were running or never ran, for the one
    // error that tells it all. Cancelled calls have their (cancelled) futures already.
    std::vector<std::pair<PendingCall, QForkRpcError::Kind>> failing;
    std::vector<std::unique_ptr<QPromise<QVariantList>>> cancelledUnnoticed;
    int running = 0;
    int neverRan = 0;
    int passedOn = 0; // taken back by the pool that owns us, to run on another worker
    for (auto &[id, call] : m_pending) {
        if (call.cancelled)
            continue;
        if (call.futureCancelled()) {
            cancelledUnnoticed.push_back(std::move(call.promise));
            continue;
        }
        const QForkRpcError::Kind kind = kindAtEnd(id, call);
        if (m_owner && m_owner->takeBack(q, call, kind)) {
            ++passedOn;
            continue;
        }
        if (kind == QForkRpcError::Kind::NotRun || kind == QForkRpcError::Kind::StartFailed)
            ++neverRan;
        else if (kind != QForkRpcError::Kind::TimedOut)
            ++running;
        failing.emplace_back(std::move(call), kind);
    }
    const bool answeredEverything = m_pending.empty();
    forgetCalls();

    // The error says what the end took with it: how many calls were running, how many never ran,
    // how many a pool gives to another worker.
    QString message = m_failure;
    if (!message.isEmpty())
        message += lostCallsText(running, neverRan, passedOn);
    if (message.isEmpty()) {
        const int status = m_watcher ? m_watcher->waitStatus() : -1;
        // A finished worker that answered everything and ended its stream cleanly needs no
        // words, even when other code collected its exit status (SIGCHLD ignored: status -1).
        const bool clean = m_state == QForkRpc::State::Finishing && answeredEverything
            && m_helloSeen && m_streamError.isEmpty()
            && (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        if (!clean) {
            const QString how = m_killedAfterEndOfStream
                ? QCoreApplication::translate("QForkRpc",
                    "closed its connection but kept running (unexpected end of stream), so it was "
                    "killed")
                : m_watcher && m_watcher->hasExited()
                ? exitStatusText(status)
                : QCoreApplication::translate("QForkRpc", "closed its connection");
            const QString pid
                = processId() > 0 ? QString::number(processId()) : QStringLiteral("?");
            message = errorText(ErrorCode::WorkerExited,
                { m_function, pid, how, QString::number(running), QString::number(neverRan),
                    QString::number(passedOn) });
            if (!m_helloSeen && (isExecSpawn() || isCommandSpawn()))
                message = notAWorkerText() + QLatin1String(": ") + message;
        }
    }
    if (!message.isEmpty())
        message += commandStderrText();
    const bool finishing = m_state == QForkRpc::State::Finishing;
    setState(QForkRpc::State::Ended);

    // Outstanding calls fail: futures with the message, callbacks are not called. A future's
    // continuation may delete us, so look after each one.
    QPointer<QForkRpc> alive(q);
    for (auto &promise : cancelledUnnoticed) {
        promise->finish();
        if (!alive)
            return false;
    }
    const bool callsFailed = !failing.empty();
    for (auto &[call, kind] : failing) {
        if (call.promise)
            failPromise(*call.promise, kind, message);
        if (!alive)
            return false;
    }
    if (!message.isEmpty() && !m_failureReported && (callsFailed || !m_quietUnlessCallsFail)) {
        m_failureReported = true;
        if (!emitError(message))
            return false;
    }
    if (finishing && !m_destroyedEmitted) {
        m_destroyedEmitted = true;
        Q_EMIT q->destroyed();
        if (!alive)
            return false;
    }
    Q_EMIT q->stateChanged(QForkRpc::State::Ended);
    return !alive.isNull();
}

void QForkRpcPrivate::releaseTicket()
{
    if (!m_ticket)
        return;
    // A template worker whose pid has not come yet is reaped by the library when it does. One that
    // said hello exists, and the template's answer is on its way, only not read yet by the
    // library's thread (a busy machine): it is waited for, briefly, so that the worker dies now.
    if (const pid_t pid = m_ticket->abandon(m_helloPid > 0 ? helloedAnswerWaitMs : 0))
        killAndReap(pid);
    m_ticket.reset();
}

bool QForkRpcPrivate::setState(QForkRpc::State state)
{
    Q_Q(QForkRpc);
    if (m_state == state)
        return true;
    m_state = state;
    // Ended is announced by end() itself, once the calls are failed and the error is out.
    if (state == QForkRpc::State::Ended)
        return true;
    QPointer<QForkRpc> alive(q);
    Q_EMIT q->stateChanged(state);
    return !alive.isNull();
}

bool QForkRpcPrivate::isExecSpawn() const
{
    return effectiveSpawn(m_options) == QForkRpc::Spawn::Exec;
}

qsizetype QForkRpcPrivate::sharedMemoryThreshold() const
{
    // A Command's pipes carry no descriptors; a payload never reaches 4 GiB.
    if (isCommandSpawn() || m_options.sharedMemoryThreshold <= 0)
        return 0;
    return qsizetype(std::min<qint64>(m_options.sharedMemoryThreshold, maxPayloadSize));
}

bool QForkRpcPrivate::isCommandSpawn() const
{
    return effectiveSpawn(m_options) == QForkRpc::Spawn::Command;
}

QString QForkRpcPrivate::commandStderrText() const
{
    if (!m_stderr)
        return QString();
    m_stderr->drain(); // what it wrote just before it ended
    const QStringList lines = m_stderr->lastLines();
    if (lines.isEmpty())
        return QString();
    return QCoreApplication::translate("QForkRpc", "; its last lines on stderr: %1")
        .arg(lines.join(QLatin1String(" / ")));
}

QString QForkRpcPrivate::notAWorkerText() const
{
    if (isCommandSpawn())
        return errorText(
            ErrorCode::NotAWorkerCommand, { m_options.command.join(QLatin1Char(' ')) });
    if (isExecSpawn())
        return errorText(ErrorCode::NotAWorkerProgram,
            { m_options.program.isEmpty() ? QCoreApplication::applicationFilePath()
                                          : m_options.program });
    return errorText(
        ErrorCode::ProtocolError, { QStringLiteral("the worker did not announce itself") });
}

void QForkRpcPrivate::teardown()
{
    Q_Q(QForkRpc);
    m_helloTimer->stop();
    m_endTimer->stop();
    releaseTicket();
    if (m_watcher)
        m_watcher->killAndReap();
    if (m_channel) {
        m_channel->close();
        // We may be deleted from a slot its notifier is emitting to (a result callback runs inside
        // its read): it must outlive this emission, so it is detached and left to the event loop.
        m_channel->setParent(nullptr);
        m_channel->deleteLater();
        m_channel = nullptr;
    }
    if (m_watcher) {
        m_watcher->disconnect(q);
        m_watcher->setParent(nullptr);
        m_watcher->deleteLater();
        m_watcher = nullptr;
    }
    // Pending promises are cancelled by their destructors; callbacks are dropped uncalled.
    forgetCalls();
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

void QForkRpc::call(
    const QVariantList &args, std::function<void(const QVariantList &results)> callback)
{
    Q_D(QForkRpc);
    inThreadOf(this, [d, args, callback = std::move(callback)]() mutable {
        d->call(args, std::move(callback), nullptr);
    });
}

void QForkRpc::callInContext(const QVariantList &args, const QObject *context,
    std::function<void(const QVariantList &)> callback)
{
    call(args, inContext(context, std::move(callback)));
}

QFuture<QVariantList> QForkRpc::call(const QVariantList &args)
{
    Q_D(QForkRpc);
    return futureCall(this, [d, args](std::unique_ptr<QPromise<QVariantList>> promise) {
        d->call(args, nullptr, std::move(promise));
    });
}

void QForkRpc::finish()
{
    Q_D(QForkRpc);
    inThreadOf(this, [d] { d->finish(); });
}

qint64 QForkRpc::processId() const
{
    Q_D(const QForkRpc);
    return d->processId();
}

int QForkRpc::pendingCalls() const
{
    Q_D(const QForkRpc);
    return d->pendingCalls();
}

QString QForkRpc::function() const
{
    Q_D(const QForkRpc);
    return d->m_function;
}

QForkRpc::State QForkRpc::state() const
{
    Q_D(const QForkRpc);
    return d->m_state;
}
