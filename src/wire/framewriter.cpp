// SPDX-License-Identifier: MIT
#include "wire/framewriter_p.h"

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <utility>

namespace QForkRpcDetail {

void FrameWriter::append(FrameType type, quint32 id, const FramePayload &payload)
{
    qsizetype packedBytes = qsizetype(sizeof(FrameHeader));
    for (const QByteArray &piece : payload.pieces())
        packedBytes += piece.size() <= smallPayload ? piece.size() : 0;
    startPackedPiece(packedBytes);
    appendFrameHeader(m_pieces.back(), type, id, quint32(payload.size()));
    for (const QByteArray &piece : payload.pieces()) {
        if (piece.size() <= smallPayload) {
            startPackedPiece(piece.size());
            appendBytes(m_pieces.back(), piece.constData(), piece.size());
        } else {
            m_pieces.push_back(piece);
            m_lastIsPayload = true;
        }
    }
    m_queuedBytes += qsizetype(sizeof(FrameHeader)) + payload.size();
}

void FrameWriter::startPackedPiece(qsizetype bytes)
{
    if (m_pieces.empty() || m_lastIsPayload || m_pieces.back().size() >= packedBufferLimit) {
        m_pieces.push_back(std::exchange(m_spare, QByteArray()));
        m_lastIsPayload = false;
    }
    QByteArray &packed = m_pieces.back();
    if (packed.capacity() == 0) // a new buffer: most frames then fit without growing it
        packed.reserve(std::min(std::max(bytes, firstPackedCapacity), packedBufferLimit));
}

bool FrameWriter::flush(int fd)
{
    return send(fd, MSG_DONTWAIT);
}

bool FrameWriter::flushBlocking(int fd)
{
    // Without MSG_DONTWAIT a blocking socket (the sync worker's) waits inside sendmsg(); a
    // non-blocking one still says EAGAIN, and then we wait for it here.
    while (!send(fd, 0)) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return false;
        pollfd p { fd, POLLOUT, 0 };
        if (poll(&p, 1, -1) < 0 && errno != EINTR)
            return false;
    }
    return true;
}

bool FrameWriter::send(int fd, int flags)
{
    while (!m_pieces.empty()) {
        iovec parts[64];
        int count = 0;
        for (auto it = m_pieces.begin(); it != m_pieces.end() && count < 64; ++it, ++count) {
            const qsizetype skip = count == 0 ? m_firstOffset : 0;
            parts[count]
                = { const_cast<char *>(it->constData()) + skip, size_t(it->size() - skip) };
        }
        msghdr message {};
        message.msg_iov = parts;
        message.msg_iovlen = size_t(count);
        const ssize_t n = sendmsg(fd, &message, MSG_NOSIGNAL | flags);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        consume(n);
    }
    return true;
}

void FrameWriter::clear()
{
    m_pieces.clear();
    m_firstOffset = 0;
    m_queuedBytes = 0;
    m_lastIsPayload = false;
}

void FrameWriter::keepAsSpare(QByteArray &written)
{
    // Only a small buffer nobody else holds: a caller's shared payload stays theirs, and an idle
    // writer keeps no more than a few KiB.
    if (!m_spare.isNull() || !written.isDetached() || written.capacity() > spareCapacityLimit)
        return;
    m_spare = std::move(written);
    m_spare.resize(0); // keeps the capacity
}

void FrameWriter::consume(qsizetype n)
{
    m_queuedBytes -= n;
    while (n > 0) {
        const qsizetype left = m_pieces.front().size() - m_firstOffset;
        if (n < left) {
            m_firstOffset += n;
            return;
        }
        n -= left;
        keepAsSpare(m_pieces.front());
        m_pieces.pop_front();
        m_firstOffset = 0;
    }
    if (m_pieces.empty())
        m_lastIsPayload = false;
}

} // namespace QForkRpcDetail
