// SPDX-License-Identifier: MIT
#pragma once

#include "wire/frame_p.h"

#include <QtCore/QByteArray>

#include <atomic>
#include <deque>

namespace QForkRpcDetail {

// Collects outgoing frames and writes them with as few system calls as possible, without copying
// large payloads: small frames are packed into one buffer, a large payload is queued as the
// (implicitly shared) QByteArray it is, and flush() hands up to 64 pieces at a time to one
// sendmsg() (a writev() where the descriptor is a pipe: a Command worker's stdio). Frames leave
// in the order they were appended. Used by the parent and by both
// workers (the sync one flushes after every frame, so the packed buffer it has written is kept
// for the next frame instead of being freed and allocated again).
class FrameWriter
{
public:
    void append(FrameType type, quint32 id, const FramePayload &payload);

    // Writes without blocking until everything is written (true) or the socket is full (false,
    // errno EAGAIN) or broken (false, another errno). A pipe must be O_NONBLOCK for this.
    bool flush(int fd);
    // Writes everything, waiting for the socket as needed; false if it broke.
    bool flushBlocking(int fd);

    // Writes what is queued with nothing but system calls: for a signal handler while the process
    // dies of a crash (crashwrite_p.h). Takes the writer for good, so that no other thread writes
    // the same frames again; waits up to 200 ms for one that is changing it, and writes nothing
    // if the change does not end (the crash came from inside it). Gives up when the socket stays
    // full for a second.
    void writeOutWhileDying(int fd) const;

    bool isEmpty() const { return m_pieces.empty(); }
    qsizetype queuedBytes() const { return m_queuedBytes; }
    void clear();

private:
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

    std::deque<QByteArray> m_pieces;
    qsizetype m_firstOffset = 0; // how much of the first piece was written already
    qsizetype m_queuedBytes = 0;
    bool m_isPipe = false; // sendmsg() said ENOTSOCK: writev() from now on
    bool m_lastIsPayload = false; // the last piece is a shared payload: do not pack into it
    QByteArray m_spare; // a written packed buffer, emptied, for the next packed piece
    mutable std::atomic<bool> m_changing {
        false
    }; // against writeOutWhileDying(), see ChangingWriter

    friend class ChangingWriter;
};

} // namespace QForkRpcDetail
