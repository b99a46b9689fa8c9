// SPDX-License-Identifier: MIT
#pragma once

#include "wire/frame_p.h"

#include <QtCore/QByteArray>

namespace QForkRpcDetail {

struct Frame
{
    FrameType type = FrameType::Hello;
    quint32 id = 0;
    QByteArray payload;
};

// Cuts an incoming byte stream into frames without trusting the lengths it reads: memory is
// backed only as bytes actually arrive, so a garbage header costs at most 32 MiB of untouched
// address space, not 4 GiB.
// Small frames are parsed out of one reusable buffer; a large payload is read straight into its
// own QByteArray, which is handed over without a further copy.
//
// Use: read at most *capacity bytes into reserve(&capacity), commit(n), then takeFrame() until it
// returns false.
class FrameReader
{
public:
    FrameReader();

    char *reserve(qsizetype *capacity);
    void commit(qsizetype bytes);
    bool takeFrame(Frame *frame);

    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    // True when a frame has been started but not finished (matters at end of stream).
    bool inMiddleOfFrame() const { return m_inLarge || m_end > m_start; }
    // Frees the buffers of a reader whose channel is closed (it reads no more) at once: the
    // channel object may outlive its close by a while (left to the event loop).
    void discard();

    static constexpr qsizetype chunkSize = 64 * 1024;
    static constexpr qsizetype largeFrameThreshold = 64 * 1024;

private:
    bool takeLargeFrame(Frame *frame);

    QByteArray m_buffer;
    qsizetype m_start = 0;
    qsizetype m_end = 0;

    bool m_inLarge = false;
    FrameHeader m_largeHeader {};
    QByteArray m_largePayload;
    qsizetype m_largeFilled = 0;

    QString m_error;
};

} // namespace QForkRpcDetail
