// SPDX-License-Identifier: MIT
#pragma once

#include "wire/descriptors_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QVarLengthArray>

#include <cstring>
#include <utility>

namespace QForkRpcDetail {

// One frame's payload as the pieces it is made of, in order, and the descriptors it carries. A
// serialiser that can (octets, datastream) hands large byte strings over as the caller's own
// implicitly shared QByteArrays, so that they reach the socket without being copied into one buffer
// first; most payloads are a single piece.
class FramePayload
{
public:
    FramePayload() = default;
    FramePayload(QByteArray bytes) { append(std::move(bytes)); } // NOLINT: a buffer is a payload

    void append(QByteArray piece)
    {
        m_size += piece.size();
        m_pieces.append(std::move(piece));
    }

    qsizetype size() const { return m_size; }
    const QVarLengthArray<QByteArray, 1> &pieces() const { return m_pieces; }

    // The descriptors the values hold (QForkRpcFd), in the order the serialiser numbered them.
    Descriptors descriptors;

    // The payload as one buffer (shared, not copied, when it is one piece).
    QByteArray joined() const
    {
        if (m_pieces.size() == 1)
            return m_pieces.first();
        QByteArray bytes;
        bytes.reserve(m_size);
        for (const QByteArray &piece : m_pieces)
            bytes.append(piece);
        return bytes;
    }

private:
    QVarLengthArray<QByteArray, 1> m_pieces;
    qsizetype m_size = 0;
};

// A byte string at least this large is not copied by a serialiser that can help it: it goes out
// as a frame piece of its own, and as the last value of a frame that is mostly it, it keeps the
// frame's buffer when read.
constexpr qsizetype sharedPayloadSize = 64 * 1024;

inline bool travelsShared(const QByteArray &bytes)
{
    return bytes.size() >= sharedPayloadSize;
}

// How a serialiser writes a payload without copying its large byte strings: everything else is
// written through a char pointer into packed buffers, each allocated for all that is left to
// pack, and the large strings go between them as they are (travelsShared). `packedBytes` may be
// an upper bound.
class PackedPayloadWriter
{
public:
    PackedPayloadWriter(qsizetype packedBytes, FramePayload *payload)
        : m_payload(payload)
        , m_left(packedBytes)
    { }

    char *start() { return open(); }
    // Ends the current buffer at `end`, queues `bytes` after it, and returns the next buffer.
    char *share(char *end, const QByteArray &bytes)
    {
        close(end);
        m_payload->append(bytes);
        return open();
    }
    void finish(char *end) { close(end); }

private:
    char *open()
    {
        m_buffer = QByteArray(m_left, Qt::Uninitialized);
        return m_buffer.data();
    }
    void close(char *end)
    {
        const qsizetype written = end - m_buffer.constData();
        Q_ASSERT(written <= m_left);
        m_left -= written;
        if (written == 0 && !m_payload->pieces().isEmpty())
            return;
        m_buffer.resize(written);
        if (m_buffer.capacity() - written > 4096)
            m_buffer.squeeze(); // the rest of the values fill buffers of their own
        m_payload->append(std::move(m_buffer));
    }

    FramePayload *m_payload;
    qsizetype m_left;
    QByteArray m_buffer;
};

// Whether the last `tailSize` bytes of `buffer` are worth a value of their own that takes the
// buffer over: large, most of the buffer, and nobody else holds it.
inline bool worthTakingTail(const QByteArray &buffer, qsizetype tailSize)
{
    return tailSize >= sharedPayloadSize && 2 * tailSize >= buffer.size() && buffer.isDetached();
}

// The last `tailSize` bytes of `buffer`, in the buffer itself: dropping the front of a QByteArray
// nobody else holds only moves its start.
inline QByteArray takeTail(QByteArray &&buffer, qsizetype tailSize)
{
    QByteArray tail = std::move(buffer);
    tail.remove(0, tail.size() - tailSize);
    return tail;
}

// Appends raw bytes. QByteArray::append() takes Qt's general insert() path, which costs several
// times more than the copy for the few bytes of a header or a small value; growth stays geometric.
inline void appendBytes(QByteArray &out, const void *data, qsizetype size)
{
    if (size <= 0)
        return;
    const qsizetype at = out.size();
    out.resize(at + size);
    std::memcpy(out.data() + at, data, size_t(size));
}

} // namespace QForkRpcDetail
