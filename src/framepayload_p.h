// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QVarLengthArray>

#include <cstring>

namespace QForkRpcDetail {

// One frame's payload as the pieces it is made of, in order. A serialiser that can (octets) hands
// large byte strings over as the caller's own implicitly shared QByteArrays, so that they reach
// the socket without being copied into one buffer first; most payloads are a single piece.
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

private:
    QVarLengthArray<QByteArray, 1> m_pieces;
    qsizetype m_size = 0;
};

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
