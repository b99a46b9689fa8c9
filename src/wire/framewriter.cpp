// SPDX-License-Identifier: MIT
#include "wire/framewriter_p.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <utility>

namespace QForkRpcDetail {

namespace {
// A write to a pipe whose reader is gone raises SIGPIPE, which kills a program that does not
// ignore it, and pipes have no MSG_NOSIGNAL. So the signal is blocked in this thread for the write
// and, if the write raised it, taken back before it is unblocked: the caller sees EPIPE only.
ssize_t writeToPipe(int fd, const iovec *parts, int count)
{
    sigset_t pipeSignal;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    const bool pendingBefore = sigismember(&pending, SIGPIPE) == 1; // someone else's: left alone
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous);
    const ssize_t n = writev(fd, parts, count);
    const int error = errno;
    if (n < 0 && error == EPIPE && !pendingBefore) {
        const timespec noWait {};
        while (sigtimedwait(&pipeSignal, nullptr, &noWait) < 0 && errno == EINTR) { }
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    errno = error;
    return n;
}
} // namespace

// Holds the writer for a change, against writeOutWhileDying() in a crash handler: the two never
// touch it at once. Only that handler contends (everything else is serialised by the writer's
// owner), and it keeps the writer for good, as the process dies right after: a change that comes
// then waits for that end.
class ChangingWriter
{
public:
    explicit ChangingWriter(FrameWriter &writer)
        : m_changing(writer.m_changing)
    {
        while (m_changing.exchange(true, std::memory_order_acquire))
            sched_yield();
    }
    ~ChangingWriter() { m_changing.store(false, std::memory_order_release); }
    ChangingWriter(const ChangingWriter &) = delete;
    ChangingWriter &operator=(const ChangingWriter &) = delete;

private:
    std::atomic<bool> &m_changing;
};

void FrameWriter::append(FrameType type, quint32 id, const FramePayload &payload)
{
    ChangingWriter changing(*this);
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
    // Without MSG_DONTWAIT a blocking socket or pipe (the sync worker's) waits inside the write; a
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
    ChangingWriter changing(*this);
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
        const ssize_t n = m_isPipe ? writeToPipe(fd, parts, count)
                                   : sendmsg(fd, &message, MSG_NOSIGNAL | flags);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOTSOCK && !m_isPipe) {
                m_isPipe = true;
                continue;
            }
            return false;
        }
        consume(n);
    }
    return true;
}

void FrameWriter::writeOutWhileDying(int fd) const
{
    // Another thread may be changing the writer (writing what is held, or adding an event): wait
    // a little for it, then keep the writer, so that nothing is written twice. If the change is
    // ours (the crash came from inside it) it never ends, and nothing is written.
    int waitedMs = 0;
    while (m_changing.exchange(true, std::memory_order_acquire)) {
        if (++waitedMs > 200)
            return;
        const timespec millisecond { 0, 1000000 };
        nanosleep(&millisecond, nullptr);
    }
    auto next = m_pieces.begin();
    qsizetype offset = m_firstOffset; // into *next
    while (next != m_pieces.end()) {
        iovec parts[64];
        int count = 0;
        qsizetype skip = offset;
        for (auto it = next; it != m_pieces.end() && count < 64; ++it, ++count, skip = 0)
            parts[count]
                = { const_cast<char *>(it->constData()) + skip, size_t(it->size() - skip) };
        ssize_t n = writev(fd, parts, count);
        if (n < 0) {
            pollfd p { fd, POLLOUT, 0 };
            if (errno == EINTR
                || ((errno == EAGAIN || errno == EWOULDBLOCK) && poll(&p, 1, 1000) > 0))
                continue;
            return;
        }
        while (n > 0) {
            const qsizetype left = next->size() - offset;
            if (n < left) {
                offset += n;
                break;
            }
            n -= left;
            ++next;
            offset = 0;
        }
    }
}

void FrameWriter::clear()
{
    ChangingWriter changing(*this);
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
