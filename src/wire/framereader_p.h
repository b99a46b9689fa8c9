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
    Descriptors descriptors; // closed with the frame unless a value takes them over
};

// Cuts an incoming byte stream into frames without trusting the lengths it reads: memory is
// backed only as bytes actually arrive, so a garbage header costs at most 32 MiB of untouched
// address space, not 4 GiB.
// Small frames are parsed out of one reusable buffer; a large payload is read straight into its
// own QByteArray, which is handed over without a further copy.
//
// Descriptors arrive with the first byte of the frame that carries them (SCM_RIGHTS) and wait
// in order until their frame is taken; a frame that says it carries more than came with it, or
// descriptors that no frame claims, are a corrupt stream. A payload in shared memory is read out
// of its sealed memfd here, so that the frame taken holds it as any other.
//
// Use: readFrom(fd) once per readable wake-up, then takeFrame() until it returns false.
class FrameReader
{
public:
    FrameReader();

    // Reads once from `fd` (a socket, or a pipe: then without descriptors) as read() would, and
    // says how many bytes there was room for, so that a short read tells the socket is empty.
    // Without `wait`, a descriptor that has nothing says EAGAIN, even a blocking one.
    ssize_t readFrom(int fd, qsizetype *capacity, bool wait = true);
    bool takeFrame(Frame *frame);

    // The parts of readFrom(), for tests and the fuzzers: read at most *capacity bytes into
    // reserve(&capacity), commit(n), and hand over what came with them with addDescriptors().
    char *reserve(qsizetype *capacity);
    void commit(qsizetype bytes);
    void addDescriptors(const int *fds, int count);

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
    // Hands the frame the descriptors its header claims, and its payload if that is in a memfd.
    bool takeDescriptors(const FrameHeader &header, Frame *frame);
    bool noneLeftOver();
    bool failIfTruncated();
    bool fail(const QString &error);

    QByteArray m_buffer;
    qsizetype m_start = 0;
    qsizetype m_end = 0;

    bool m_inLarge = false;
    FrameHeader m_largeHeader {};
    QByteArray m_largePayload;
    qsizetype m_largeFilled = 0;
    Descriptors m_largeDescriptors;

    Descriptors m_descriptors; // arrived, not yet claimed by a frame
    bool m_fromPipe = false; // recvmsg() said ENOTSOCK: read() from now on
    bool m_descriptorsTruncated = false; // more came at once than fit: fails at their frame
    QString m_error;
};

} // namespace QForkRpcDetail
