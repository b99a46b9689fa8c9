// SPDX-License-Identifier: MIT
#include "wire/framereader_p.h"

#include <QtCore/QtGlobal>

#include <algorithm>

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
    frame->type = FrameType(m_largeHeader.type);
    frame->id = m_largeHeader.id;
    frame->payload = std::move(m_largePayload);
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
    if (!isKnownFrameType(header.type)) {
        m_error = QStringLiteral("unknown frame type %1 (the stream is corrupt)").arg(header.type);
        return false;
    }
    const qsizetype length = qsizetype(header.length);
    const qsizetype body = available - qsizetype(sizeof header);

    if (length <= largeFrameThreshold) {
        if (body < length)
            return false;
        frame->type = FrameType(header.type);
        frame->id = header.id;
        frame->payload = QByteArray(m_buffer.constData() + m_start + sizeof header, length);
        m_start += sizeof header + length;
        if (m_start == m_end)
            m_start = m_end = 0;
        return true;
    }

    // A large frame: what is already buffered moves into the payload's own buffer, the rest is
    // read straight into it.
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
