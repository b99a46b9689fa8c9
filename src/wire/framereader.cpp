// SPDX-License-Identifier: MIT
#include "wire/framereader_p.h"

#include "wire/sharedmemory_p.h"

#include <QtCore/QtGlobal>

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {
// A large payload's buffer is allocated at its full length up to this size, and beyond it doubles
// as data arrives. Growing from small steps cost a copy and fresh pages per step (glibc cannot
// move heap blocks as it moves mapped ones). A lying length costs address space only: malloc maps
// a block this large lazily, and pages are backed as bytes are read into them.
constexpr qsizetype firstLargeAllocation = 32 * 1024 * 1024;
} // namespace

FrameReader::FrameReader()
{
    m_buffer.resize(2 * chunkSize);
}

void FrameReader::discard()
{
    m_buffer = QByteArray();
    m_start = m_end = 0;
    m_inLarge = false;
    m_largePayload = QByteArray();
    m_largeFilled = 0;
    m_largeDescriptors.clear();
    m_descriptors.clear();
}

ssize_t FrameReader::readFrom(int fd, qsizetype *capacity, bool wait)
{
    char *space = reserve(capacity);
    ssize_t n = -1;
    if (!m_fromPipe) {
        iovec io { space, size_t(*capacity) };
        // Room for one frame's descriptors and its memfd: our writer attaches one frame's to one
        // sendmsg(), and the kernel never merges two such sends into one read.
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * (QForkRpcFd::maxPerMessage + 1))];
        msghdr message {};
        message.msg_iov = &io;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        n = recvmsg(fd, &message, MSG_CMSG_CLOEXEC | (wait ? 0 : MSG_DONTWAIT));
        if (n >= 0) {
            for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                    continue;
                // As many as the kernel put in (CMSG_SPACE's padding may hold one more than we
                // asked room for), one by one: each is ours to close from here on.
                const int count = int((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < count; ++i) {
                    int received;
                    std::memcpy(&received, CMSG_DATA(c) + sizeof(int) * size_t(i), sizeof received);
                    addDescriptors(&received, 1);
                }
            }
            // The kernel closed the descriptors that did not fit. The frames before theirs in
            // this read are still delivered: the stream fails at the frame that claims them.
            if ((message.msg_flags & MSG_CTRUNC) != 0)
                m_descriptorsTruncated = true;
        } else if (errno == ENOTSOCK) {
            m_fromPipe = true;
        }
    }
    if (m_fromPipe) {
        pollfd readable { fd, POLLIN, 0 };
        if (!wait && poll(&readable, 1, 0) == 0) { // a pipe has no MSG_DONTWAIT: ask first
            errno = EAGAIN;
            return -1;
        }
        n = ::read(fd, space, size_t(*capacity));
    }
    if (n > 0)
        commit(qsizetype(n));
    return n;
}

void FrameReader::addDescriptors(const int *fds, int count)
{
    for (int i = 0; i < count; ++i)
        m_descriptors.append(adoptDescriptor(fds[i]));
    // Whatever a peer sends, it cannot make us hold more than two frames' worth.
    if (m_descriptors.size() > 2 * (QForkRpcFd::maxPerMessage + 1))
        fail(QStringLiteral("more descriptors came than the frames claim"));
}

bool FrameReader::fail(const QString &error)
{
    if (m_error.isEmpty())
        m_error = error;
    m_descriptors.clear();
    m_largeDescriptors.clear();
    return false;
}

bool FrameReader::failIfTruncated()
{
    return !m_descriptorsTruncated
        || fail(QStringLiteral("more descriptors came at once than one frame may carry"));
}

bool FrameReader::noneLeftOver()
{
    // Descriptors come with the first byte of their frame: once every byte read is taken, any
    // left over belong to no frame, and the frame just taken is not delivered.
    if (m_end != m_start)
        return true;
    if (!failIfTruncated())
        return false;
    return m_descriptors.isEmpty()
        || fail(QStringLiteral("descriptors came that no frame carries"));
}

bool FrameReader::takeDescriptors(const FrameHeader &header, Frame *frame)
{
    const int count = descriptorCount(header);
    const bool inMemfd = payloadInMemfd(header);
    if ((count > 0 || inMemfd) && !failIfTruncated())
        return false;
    if (count > QForkRpcFd::maxPerMessage + (inMemfd ? 1 : 0))
        return fail(QStringLiteral("a frame says it carries %1 descriptors, more than the %2 "
                                   "one frame may carry")
                        .arg(count)
                        .arg(QForkRpcFd::maxPerMessage));
    if (inMemfd && count == 0)
        return fail(QStringLiteral("a frame in shared memory came without its memfd"));
    if (m_descriptors.size() < count)
        return fail(QStringLiteral("a frame says it carries %1 descriptors, but %2 came with it")
                        .arg(count)
                        .arg(m_descriptors.size()));
    frame->descriptors = m_descriptors.mid(0, count);
    m_descriptors.remove(0, count);
    if (inMemfd) {
        const QForkRpcFd memfd = frame->descriptors.takeLast();
        QString error;
        if (!readSealedMemfd(memfd.fd(), header.length, &frame->payload, &error))
            return fail(error);
    }
    return true;
}

char *FrameReader::reserve(qsizetype *capacity)
{
    if (m_inLarge) {
        if (m_largeFilled == m_largePayload.size()) {
            const qsizetype grown
                = std::min<qsizetype>(2 * m_largePayload.size(), m_largeHeader.length);
            // reserve() first: resize() alone would round the allocation up to a power of two.
            m_largePayload.reserve(grown);
            m_largePayload.resize(grown);
        }
        *capacity = m_largePayload.size() - m_largeFilled;
        return m_largePayload.data() + m_largeFilled;
    }
    if (m_buffer.size() - m_end < chunkSize) {
        // Move the unparsed tail to the front; what remains is always less than one frame.
        const qsizetype pending = m_end - m_start;
        if (m_start > 0)
            std::memmove(m_buffer.data(), m_buffer.constData() + m_start, size_t(pending));
        m_start = 0;
        m_end = pending;
        if (m_buffer.size() - m_end < chunkSize)
            m_buffer.resize(m_end + chunkSize);
    }
    *capacity = m_buffer.size() - m_end;
    return m_buffer.data() + m_end;
}

void FrameReader::commit(qsizetype bytes)
{
    if (m_inLarge)
        m_largeFilled += bytes;
    else
        m_end += bytes;
}

bool FrameReader::takeLargeFrame(Frame *frame)
{
    if (m_largeFilled < qsizetype(m_largeHeader.length))
        return false;
    if (!noneLeftOver())
        return false;
    frame->type = frameType(m_largeHeader);
    frame->id = m_largeHeader.id;
    frame->payload = std::move(m_largePayload);
    frame->descriptors = std::move(m_largeDescriptors);
    m_largeDescriptors = Descriptors();
    m_largePayload = QByteArray();
    m_largeFilled = 0;
    m_inLarge = false;
    return true;
}

bool FrameReader::takeFrame(Frame *frame)
{
    if (failed())
        return false;
    if (m_inLarge)
        return takeLargeFrame(frame);

    const qsizetype available = m_end - m_start;
    if (available < qsizetype(sizeof(FrameHeader)))
        return false;
    const FrameHeader header = readFrameHeader(m_buffer.constData() + m_start);
    if (!isKnownFrameType(header.type))
        return fail(
            QStringLiteral("unknown frame type %1 (the stream is corrupt)").arg(header.type));
    const qsizetype length = qsizetype(lengthInStream(header));
    const qsizetype body = available - qsizetype(sizeof header);

    if (length <= largeFrameThreshold) {
        if (body < length)
            return false;
        frame->type = frameType(header);
        frame->id = header.id;
        frame->payload = QByteArray(m_buffer.constData() + m_start + sizeof header, length);
        m_start += sizeof header + length;
        if (m_start == m_end)
            m_start = m_end = 0;
        return takeDescriptors(header, frame) && noneLeftOver();
    }

    // A large frame: what is already buffered moves into the payload's own buffer, the rest is
    // read straight into it.
    Frame claimed; // the descriptors come with the header: claimed now, handed over at the end
    if (!takeDescriptors(header, &claimed))
        return false;
    m_largeDescriptors = std::move(claimed.descriptors);
    m_inLarge = true;
    m_largeHeader = header;
    const qsizetype have = std::min(body, length);
    m_largePayload
        = QByteArray(std::min(length, std::max(have, firstLargeAllocation)), Qt::Uninitialized);
    std::memcpy(
        m_largePayload.data(), m_buffer.constData() + m_start + sizeof header, size_t(have));
    m_largeFilled = have;
    m_start += sizeof header + have;
    if (m_start == m_end)
        m_start = m_end = 0;
    return takeLargeFrame(frame);
}

} // namespace QForkRpcDetail
