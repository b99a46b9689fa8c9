// SPDX-License-Identifier: MIT
#include "worker_p.h"

#include "logging_p.h"
#include "serialisers/serialisers_p.h"
#include "spawn/forkutil_p.h"
#include "wire/framewriter_p.h"

#include <qforkrpc/qforkrpcchild.h>

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {
WorkerChannel *currentChannel = nullptr;
} // namespace

WorkerChannel::WorkerChannel(const Serialiser &serialiser, const QString &function)
    : m_serialiser(serialiser)
    , m_function(function)
{
    currentChannel = this;
}

WorkerChannel::~WorkerChannel()
{
    if (currentChannel == this)
        currentChannel = nullptr;
}

WorkerChannel *WorkerChannel::current()
{
    return currentChannel;
}

bool WorkerChannel::freeze(
    const QVariantList &values, FramePayload *payload, FrameType failureType, quint32 id)
{
    QString reason;
    if (!freezeValues(m_serialiser, values, payload, &reason, workerCarriesDescriptors())) {
        sendReport(
            failureType, id, { ErrorCode::FreezeFailed, { m_serialiser.customName, reason } });
        return false;
    }
    if (quint64(payload->size()) > maxPayloadSize) {
        sendReport(
            failureType, id, { ErrorCode::PayloadTooLarge, { QString::number(payload->size()) } });
        return false;
    }
    return true;
}

void WorkerChannel::sendResult(quint32 id, const QVariantList &results)
{
    FramePayload payload;
    if (freeze(results, &payload, FrameType::CallFailed, id))
        send(FrameType::Result, id, payload);
}

void WorkerChannel::sendEvent(const QVariantList &args)
{
    FramePayload payload;
    if (freeze(args, &payload, FrameType::Error, 0))
        send(FrameType::Event, 0, payload);
}

void WorkerChannel::sendReport(FrameType type, quint32 id, const ErrorReport &report)
{
    send(type, id, encodeErrorReport(report));
}

void WorkerChannel::sendSkipped(quint32 id)
{
    send(FrameType::Skipped, id, FramePayload());
}

void WorkerChannel::sendRetire()
{
    if (!m_retireSent.exchange(true))
        send(FrameType::Retire, 0, FramePayload());
}

void WorkerChannel::send(FrameType type, quint32 id, const FramePayload &payload)
{
    QMutexLocker locker(&m_sendMutex);
    sendWaitingProgressLocked();
    sendFrame(type, id, payload);
}

void WorkerChannel::setProgress(quint32 id, int value, int maximum)
{
    QMutexLocker locker(&m_sendMutex);
    auto waiting = std::find_if(m_waitingProgress.begin(), m_waitingProgress.end(),
        [id](const auto &entry) { return entry.first == id; });
    if (waiting != m_waitingProgress.end())
        waiting->second = { value, maximum };
    else
        m_waitingProgress.push_back({ id, { value, maximum } });
    const auto now = CoarseClock::now();
    if (now - m_lastProgressSent >= progressInterval)
        sendWaitingProgressLocked();
    else if (m_waitingProgress.size() == 1 && waiting == m_waitingProgress.end())
        progressWaits(std::chrono::duration_cast<std::chrono::milliseconds>(
                          m_lastProgressSent + progressInterval - now)
            + std::chrono::milliseconds(1));
}

void WorkerChannel::flushDueProgress()
{
    QMutexLocker locker(&m_sendMutex);
    if (!m_waitingProgress.empty() && CoarseClock::now() - m_lastProgressSent >= progressInterval)
        sendWaitingProgressLocked();
}

void WorkerChannel::sendWaitingProgressLocked()
{
    if (m_waitingProgress.empty())
        return;
    for (const auto &[id, progress] : m_waitingProgress)
        sendFrame(FrameType::Progress, id, encodeProgress(progress.value, progress.maximum));
    m_waitingProgress.clear();
    m_lastProgressSent = CoarseClock::now();
}

bool writeFrameBlocking(FrameType type, quint32 id, const FramePayload &payload)
{
    FrameWriter writer;
    writer.append(type, id, payload);
    return writer.flushBlocking(workerWriteFd);
}

bool readFrameBlocking(FrameReader &reader, Frame *frame, QString *error)
{
    for (;;) {
        if (reader.takeFrame(frame))
            return true;
        if (reader.failed()) {
            *error = reader.error();
            return false;
        }
        qsizetype capacity = 0;
        const ssize_t n = reader.readFrom(workerReadFd, &capacity);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (reader.failed())
                *error = reader.error();
            else if (reader.inMiddleOfFrame())
                *error = QStringLiteral("the stream ended in the middle of a frame");
            return false;
        }
    }
}

void failWorker(const ErrorReport &report)
{
    writeFrameBlocking(FrameType::Fatal, 0, encodeErrorReport(report));
    fflush(stdout);
    fflush(stderr);
    _exit(1);
}

} // namespace QForkRpcDetail

void QForkRpcChild::event(const QVariantList &args)
{
    if (auto *channel = QForkRpcDetail::WorkerChannel::current())
        channel->sendEvent(args);
    else
        qCWarning(lcQForkRpc) << "QForkRpcChild::event() outside a worker is ignored";
}

void QForkRpcChild::retire()
{
    if (auto *channel = QForkRpcDetail::WorkerChannel::current())
        channel->sendRetire();
    else
        qCWarning(lcQForkRpc) << "QForkRpcChild::retire() outside a worker is ignored";
}

bool QForkRpcChild::isCancelled()
{
    return QForkRpcDetail::syncCallIsCancelled();
}

void QForkRpcChild::setProgress(int value, int maximum)
{
    QForkRpcDetail::setSyncCallProgress(value, maximum);
}
