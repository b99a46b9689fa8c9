// SPDX-License-Identifier: MIT
// The sync worker's way back to the parent. Every frame is written at once, with one exception:
// the answer to a call that returned while more requests already wait in the worker's buffer may
// wait for theirs, so that a burst of queued calls costs one write per batch instead of one per
// call (on a unix socket a write costs more than a tiny call). It waits at most holdLimit: a
// thread of its own writes what is held when that time is up, so a quick result is never held
// back behind a slow call that follows it. Anything else (an event, a report, progress, the
// worker waiting for input or ending) writes the held answers first, in their order, and a call
// that crashes the worker writes them before it dies (crashwrite_p.h).
#pragma once

#include "worker_p.h"

#include "wire/framewriter_p.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QWaitCondition>

#include <thread>

namespace QForkRpcDetail {

class SyncChannel final : public WorkerChannel
{
public:
    // The longest an answer waits for the answers of the calls queued after it.
    static constexpr std::chrono::microseconds holdLimit { 1000 };
    // What may wait at most: as much as the parent reads in one go.
    static constexpr qsizetype holdBytesLimit = 64 * 1024;

    SyncChannel(const Serialiser &serialiser, const QString &function);
    ~SyncChannel() override;

    // Said by the worker's thread before a call's answer is sent: whether more requests wait.
    void setMoreRequestsWaiting(bool waiting) { m_moreRequestsWaiting = waiting; }
    // Writes the answers that wait (before the worker waits for input, or ends).
    void writeHeld();

protected:
    void sendFrame(FrameType type, quint32 id, const FramePayload &payload) override;

private:
    void writeLocked(); // send mutex held
    void writeWhenHeldTooLong();

    FrameWriter m_writer; // kept, so that its buffers are reused from call to call
    bool m_moreRequestsWaiting = false; // the worker's thread only
    bool m_holding = false; // the rest: send mutex held
    bool m_stopping = false;
    QDeadlineTimer m_holdDeadline;
    QWaitCondition m_holdChanged;
    std::thread m_holdWriter; // started with the first answer held
};

} // namespace QForkRpcDetail
