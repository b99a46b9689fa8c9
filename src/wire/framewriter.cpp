// SPDX-License-Identifier: MIT
#include "wire/framewriter_p.h"

#include "wire/sharedmemory_p.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <linux/sockios.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
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
    Descriptors descriptors = payload.descriptors;
    // Written before the writer is held: the copy into shared memory may take a while.
    if (m_sharedMemoryThreshold > 0 && payload.size() >= m_sharedMemoryThreshold) {
        const int memfd = sealedMemfdWith(payload);
        if (memfd >= 0) {
            descriptors.append(adoptDescriptor(memfd));
            ChangingWriter changing(*this);
            m_batches.push_back({ m_appendedBytes, std::move(descriptors), payload.size() });
            m_sharedQueued += payload.size();
            startPackedPiece(qsizetype(sizeof(FrameHeader)));
            appendFrameHeader(m_pieces.back(), type, id, quint32(payload.size()),
                int(m_batches.back().descriptors.size()), true);
            m_queuedBytes += qsizetype(sizeof(FrameHeader));
            m_appendedBytes += qsizetype(sizeof(FrameHeader));
            return;
        }
    }
    ChangingWriter changing(*this);
    if (!descriptors.isEmpty())
        m_batches.push_back({ m_appendedBytes, std::move(descriptors), 0 });
    qsizetype packedBytes = qsizetype(sizeof(FrameHeader));
    for (const QByteArray &piece : payload.pieces())
        packedBytes += piece.size() <= smallPayload ? piece.size() : 0;
    startPackedPiece(packedBytes);
    appendFrameHeader(
        m_pieces.back(), type, id, quint32(payload.size()), int(payload.descriptors.size()));
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
    m_appendedBytes += qsizetype(sizeof(FrameHeader)) + payload.size();
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

void FrameWriter::prepareWrite(const Cursor &at, WriteStep &step, msghdr *message) const
{
    // A frame with descriptors starts a write of its own (they attach to its first byte), and
    // the write before it ends where it starts.
    const bool withDescriptors
        = at.batch < m_batches.size() && m_batches[at.batch].at == at.written;
    const size_t nextBatch = at.batch + (withDescriptors ? 1 : 0);
    qint64 limit
        = (nextBatch < m_batches.size() ? m_batches[nextBatch].at : m_appendedBytes) - at.written;
    qsizetype skip = at.offset;
    for (auto it = at.piece; it != m_pieces.end() && step.count < 64 && limit > 0;
         ++it, ++step.count, skip = 0) {
        const qsizetype length = qsizetype(std::min<qint64>(it->size() - skip, limit));
        step.parts[step.count] = { const_cast<char *>(it->constData()) + skip, size_t(length) };
        limit -= length;
    }
    *message = {};
    message->msg_iov = step.parts;
    message->msg_iovlen = size_t(step.count);
    if (withDescriptors) {
        const Descriptors &descriptors = m_batches[at.batch].descriptors;
        message->msg_control = step.control;
        message->msg_controllen = CMSG_SPACE(sizeof(int) * size_t(descriptors.size()));
        std::memset(step.control, 0, message->msg_controllen); // the padding goes out too
        cmsghdr *c = CMSG_FIRSTHDR(message);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * size_t(descriptors.size()));
        for (qsizetype i = 0; i < descriptors.size(); ++i) {
            const int descriptor = descriptors[i].fd();
            std::memcpy(CMSG_DATA(c) + i * qsizetype(sizeof(int)), &descriptor, sizeof descriptor);
        }
        step.sendsBatch = true;
    }
}

bool FrameWriter::send(int fd, int flags)
{
    ChangingWriter changing(*this);
    while (!m_pieces.empty()) {
        msghdr message;
        WriteStep step;
        prepareWrite({ m_pieces.begin(), m_firstOffset, m_appendedBytes - m_queuedBytes, 0 }, step,
            &message);
        const ssize_t n = m_isPipe ? writeToPipe(fd, step.parts, step.count)
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
        if (n > 0 && step.sendsBatch) {
            m_sharedQueued -= m_batches.front().sharedBytes;
            m_sharedSent += m_batches.front().sharedBytes;
            m_batches.pop_front(); // in the kernel's hands now: ours are closed
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
    // The same writes as send(), descriptors included, with nothing but system calls: the
    // writer is only read, through a cursor of our own.
    Cursor at { m_pieces.begin(), m_firstOffset, m_appendedBytes - m_queuedBytes, 0 };
    bool isPipe = m_isPipe;
    while (at.piece != m_pieces.end()) {
        msghdr message;
        WriteStep step;
        prepareWrite(at, step, &message);
        ssize_t n = isPipe ? writev(fd, step.parts, step.count)
                           : sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            pollfd p { fd, POLLOUT, 0 };
            if (errno == ENOTSOCK && !isPipe)
                isPipe = true;
            else if (!(errno == EINTR
                         || ((errno == EAGAIN || errno == EWOULDBLOCK) && poll(&p, 1, 1000) > 0)))
                return;
            continue;
        }
        if (n > 0 && step.sendsBatch)
            ++at.batch;
        at.written += n;
        while (n > 0) {
            const qsizetype inPiece = at.piece->size() - at.offset;
            if (n < inPiece) {
                at.offset += n;
                break;
            }
            n -= inPiece;
            ++at.piece;
            at.offset = 0;
        }
    }
}

qsizetype FrameWriter::unreadBytes(int fd)
{
    int unread = 0;
    if (m_sharedSent > 0 && (ioctl(fd, SIOCOUTQ, &unread) < 0 || unread == 0))
        m_sharedSent = 0;
    return m_queuedBytes + m_sharedQueued + m_sharedSent;
}

void FrameWriter::clear()
{
    ChangingWriter changing(*this);
    m_pieces.clear();
    m_firstOffset = 0;
    m_appendedBytes -= m_queuedBytes;
    m_queuedBytes = 0;
    m_batches.clear();
    m_sharedQueued = 0;
    m_sharedSent = 0;
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
