// SPDX-License-Identifier: MIT
#include "worker_p.h"

#include "logging_p.h"
#include "serialisers/serialisers_p.h"

#include <qforkrpc/qforkrpcchild.h>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {
WorkerChannel *currentChannel = nullptr;
} // namespace

WorkerChannel::WorkerChannel(const Serialiser &serialiser, const QString &function)
    : m_serialiser(serialiser), m_function(function)
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

bool WorkerChannel::freeze(const QVariantList &values, QByteArray *bytes, FrameType failureType,
                           quint32 id)
{
    QString reason;
    if (!freezeValues(m_serialiser, values, bytes, &reason)) {
        sendReport(failureType, id, { ErrorCode::FreezeFailed, { QString(), reason } });
        return false;
    }
    if (quint64(bytes->size()) > maxPayloadSize) {
        sendReport(failureType, id, { ErrorCode::PayloadTooLarge, { QString::number(bytes->size()) } });
        return false;
    }
    return true;
}

void WorkerChannel::sendResult(quint32 id, const QVariantList &results)
{
    QByteArray bytes;
    if (freeze(results, &bytes, FrameType::CallFailed, id))
        sendFrame(FrameType::Result, id, bytes);
}

void WorkerChannel::sendEvent(const QVariantList &args)
{
    QByteArray bytes;
    if (freeze(args, &bytes, FrameType::Error, 0))
        sendFrame(FrameType::Event, 0, bytes);
}

void WorkerChannel::sendReport(FrameType type, quint32 id, const ErrorReport &report)
{
    sendFrame(type, id, encodeErrorReport(report));
}

bool writeAllBlocking(const char *data, qsizetype size)
{
    while (size > 0) {
        const ssize_t n = send(workerSocketFd, data, size_t(size), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

bool writeFrameBlocking(FrameType type, quint32 id, const QByteArray &payload)
{
    // Header and payload leave in one system call without copying the payload.
    FrameHeader header { quint32(type), id, quint32(payload.size()) };
    iovec parts[2] = { { &header, sizeof header },
                       { const_cast<char *>(payload.constData()), size_t(payload.size()) } };
    msghdr message {};
    message.msg_iov = parts;
    message.msg_iovlen = 2;
    ssize_t n;
    do {
        n = sendmsg(workerSocketFd, &message, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return false;
    const qsizetype total = qsizetype(sizeof header) + payload.size();
    if (n == total)
        return true;
    // A partial write (large payloads): finish the rest plainly.
    if (n < qsizetype(sizeof header)) {
        if (!writeAllBlocking(reinterpret_cast<const char *>(&header) + n, qsizetype(sizeof header) - n))
            return false;
        n = sizeof header;
    }
    const qsizetype done = n - qsizetype(sizeof header);
    return writeAllBlocking(payload.constData() + done, payload.size() - done);
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
        char *space = reader.reserve(&capacity);
        const ssize_t n = read(workerSocketFd, space, size_t(capacity));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (reader.inMiddleOfFrame())
                *error = QStringLiteral("the stream ended in the middle of a frame");
            return false;
        }
        reader.commit(n);
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
