// SPDX-License-Identifier: MIT
#pragma once

#include "wire/framereader_p.h"
#include "wire/framewriter_p.h"

#include <QtCore/QMutex>
#include <QtCore/QObject>

class QSocketNotifier;

namespace QForkRpcDetail {

// One end of the connection between a parent and a worker, driven by the event loop of the thread
// it lives in: the parent has one per worker, the async worker one to its parent (the sync worker
// blocks and uses the reader and writer directly). Frames come in through a FrameReader, a bounded
// number of reads per wake-up; frames go out through a FrameWriter, written when the thread's
// event loop comes round or is about to wait (one system call for a whole batch, and only
// channels with something queued are visited), at once past a threshold, and through a write
// notifier while the other side reads slowly. A channel follows its thread when moved.
class Channel : public QObject
{
    Q_OBJECT

public:
    class Receiver
    {
    public:
        virtual ~Receiver() = default;
        // One frame. Returns false to stop reading: the receiver closed the channel, or its owner
        // (and with it the channel) is gone.
        virtual bool frameReceived(Frame &frame) = 0;
        // The other side closed its end or the stream broke; called once. `error` is empty for a
        // clean end, else what was wrong (the stream ended inside a frame, or it was garbage).
        virtual void streamEnded(const QString &error) = 0;
        // Every frame read so far has been delivered and the channel waits for more: the end of
        // a batch of frames that arrived together.
        virtual void framesDelivered() { }
        // The event loop is about to write what is queued: last chance to add to the batch.
        virtual void aboutToFlush() { }
    };

    // Owns the descriptors: `readFd` and `writeFd` may be the same socket, or two pipes.
    Channel(int readFd, int writeFd, Receiver *receiver, int readsPerWakeUp, QObject *parent);
    ~Channel() override;

    // Queues a frame. May be called from any thread: from another thread than the channel's, the
    // frame (and everything queued before it) is written at once, as that thread's event loop
    // does not flush for us.
    void send(FrameType type, quint32 id, const FramePayload &payload);
    // Writes everything queued, waiting for the other side as needed; false once it is gone.
    bool flushBlocking();
    // Ends the writing direction once everything queued is out, so that the other side reads to
    // the end of the stream (shutdown for a socket, close for a pipe).
    void finishWriting();
    qsizetype queuedBytes() const;
    // What the other side has yet to read, payloads in shared memory included (FrameWriter).
    qsizetype unreadBytes();
    // Frames whose payload reaches this many bytes go through shared memory; 0, the default, for
    // never (a pipe carries no descriptors).
    void setSharedMemoryThreshold(qsizetype bytes);
    // What is queued and where it goes, for a worker's crash handler (child/crashwrite_p.h).
    const FrameWriter &queuedFrames() const { return m_writer; }
    int writeFd() const { return m_writeFd; }

    // Reads whatever has arrived, as the read notifier would.
    void readNow();
    // Takes over a reader that has read the first frames already (the worker's start-up) and
    // delivers the frames it holds.
    void continueFrom(FrameReader &&reader);
    bool hasEnded() const { return m_ended; }
    // The other side closed its end in the middle of a frame (as a dying peer may), rather than
    // sending garbage.
    bool endedMidFrame() const { return m_endedMidFrame; }
    // For waiting without the event loop: the descriptors to poll, -1 when there is nothing to
    // wait for (closed, ended, or nothing queued to write).
    int readFdToWaitFor() const { return m_closed || m_ended ? -1 : m_readFd; }
    int writeFdToWaitFor() const;
    // Stops reading and writing and closes the descriptors; reports nothing more.
    void close();

    // Per-thread flushing; only for the FlushScheduler in channel.cpp.
    void flush();
    bool m_flushScheduled = false;

protected:
    bool event(QEvent *event) override;

private:
    void scheduleFlush();
    void flushLocked();
    void shutDownWriteIfDone();
    void endOfStream(const QString &error);
    // Hands every whole frame in the reader to the receiver; false when reading must stop.
    bool deliverBuffered();

    Receiver *m_receiver;
    int m_readFd;
    int m_writeFd;
    int m_readsPerWakeUp;
    FrameReader m_reader;
    QSocketNotifier *m_readable = nullptr;
    QSocketNotifier *m_writable = nullptr;

    mutable QMutex m_writeMutex; // the writer and the write side's state
    FrameWriter m_writer;
    bool m_finishWriting = false;
    bool m_writeShutDown = false;
    bool m_writeBroken = false; // the other side is gone; queued frames are dropped
    bool m_writableWanted = false; // set under the mutex, applied to m_writable in our thread

    bool m_ended = false;
    bool m_endedMidFrame = false;
    bool m_closed = false;
};

} // namespace QForkRpcDetail
