// SPDX-License-Identifier: MIT
#pragma once

#include "wire/frame_p.h"

#include <QtCore/QByteArray>

#include <atomic>
#include <deque>
#include <sys/socket.h>
#include <sys/uio.h>

namespace QForkRpcDetail {

// Collects outgoing frames and writes them with as few system calls as possible, without copying
// large payloads: small frames are packed into one buffer, a large payload is queued as the
// (implicitly shared) QByteArray it is, and flush() hands up to 64 pieces at a time to one
// sendmsg() (a writev() where the descriptor is a pipe: a Command worker's stdio). Frames leave
// in the order they were appended. Used by the parent and by both
// workers (the sync one flushes after every frame, so the packed buffer it has written is kept
// for the next frame instead of being freed and allocated again).
//
// Descriptors go with the first byte of the frame that carries them: a sendmsg() that reaches
// such a frame starts there with its descriptors attached, one frame's at a time. A payload of at
// least sharedMemoryThreshold() bytes goes into a sealed memfd (sharedmemory_p.h), which travels
// as the frame's last descriptor.
class FrameWriter
{
public:
    void append(FrameType type, quint32 id, const FramePayload &payload);

    // 0 (the default) sends every payload through the stream: a pipe carries no descriptors.
    void setSharedMemoryThreshold(qsizetype bytes) { m_sharedMemoryThreshold = bytes; }
    qsizetype sharedMemoryThreshold() const { return m_sharedMemoryThreshold; }

    // Writes without blocking until everything is written (true) or the socket is full (false,
    // errno EAGAIN) or broken (false, another errno). A pipe must be O_NONBLOCK for this.
    bool flush(int fd);
    // Writes everything, waiting for the socket as needed; false if it broke.
    bool flushBlocking(int fd);

    // Writes what is queued, descriptors included, with nothing but system calls: for a signal
    // handler while the process dies of a crash (crashwrite_p.h). Takes the writer for good, so
    // that no other thread writes the same frames again; waits up to 200 ms for one that is
    // changing it, and writes nothing if the change does not end (the crash came from inside it).
    // Gives up when the socket stays full for a second.
    void writeOutWhileDying(int fd) const;

    bool isEmpty() const { return m_pieces.empty(); }
    // The bytes queued for the stream.
    qsizetype queuedBytes() const { return m_queuedBytes; }
    // What the peer has yet to read: queuedBytes(), and the payloads in shared memory that are
    // queued, or sent while the socket `fd` still holds something the peer has not read (their
    // memfds live in the socket until then, so that a worker that stops reading cannot make us
    // hold more than a limit on this lets through).
    qsizetype unreadBytes(int fd);
    void clear();

private:
    // Where a write starts: a piece, how far into it, how many bytes were ever written before
    // it, and the first batch of descriptors not yet sent.
    struct Cursor
    {
        std::deque<QByteArray>::const_iterator piece;
        qsizetype offset;
        qint64 written;
        size_t batch;
    };
    // One sendmsg()'s worth from a cursor: the pieces up to the next frame with descriptors, or
    // that frame with them. Only reads the writer (and allocates nothing): the crash handler uses
    // it too.
    struct WriteStep
    {
        iovec parts[64];
        int count = 0;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * (QForkRpcFd::maxPerMessage + 1))];
        bool sendsBatch = false;
    };
    void prepareWrite(const Cursor &at, WriteStep &step, msghdr *message) const;
    // sendmsg() until everything is written or it fails (errno says why).
    bool send(int fd, int flags);
    // Makes sure the last piece is an own buffer with room for `bytes` more packed bytes.
    void startPackedPiece(qsizetype bytes);
    void consume(qsizetype n);
    // Keeps a fully written buffer for the next packed piece, if it is worth keeping.
    void keepAsSpare(QByteArray &written);

    static constexpr qsizetype smallPayload = 4096;
    static constexpr qsizetype packedBufferLimit = 64 * 1024;
    static constexpr qsizetype firstPackedCapacity = 4096;
    static constexpr qsizetype spareCapacityLimit = 16 * 1024;

    // The descriptors of the frame that starts `at` bytes into everything ever appended.
    struct DescriptorBatch
    {
        qint64 at;
        Descriptors descriptors;
        qsizetype sharedBytes; // the payload in the last descriptor, or 0
    };

    std::deque<QByteArray> m_pieces;
    qsizetype m_firstOffset = 0; // how much of the first piece was written already
    qsizetype m_queuedBytes = 0;
    qint64 m_appendedBytes = 0; // ever; m_appendedBytes - m_queuedBytes were written
    std::deque<DescriptorBatch> m_batches;
    qsizetype m_sharedMemoryThreshold = 0;
    qsizetype m_sharedQueued = 0; // payloads in shared memory of frames not yet sent
    qsizetype m_sharedSent = 0; // and of those sent since the socket was last seen empty
    bool m_isPipe = false; // sendmsg() said ENOTSOCK: writev() from now on
    bool m_lastIsPayload = false; // the last piece is a shared payload: do not pack into it
    QByteArray m_spare; // a written packed buffer, emptied, for the next packed piece
    mutable std::atomic<bool> m_changing {
        false
    }; // against writeOutWhileDying(), see ChangingWriter

    friend class ChangingWriter;
};

} // namespace QForkRpcDetail
