// SPDX-License-Identifier: MIT
#include "syncchannel_p.h"

#include "crashwrite_p.h"
#include "spawn/forkutil_p.h"

#include <unistd.h>

namespace QForkRpcDetail {

namespace {

bool isAnswer(FrameType type)
{
    return type == FrameType::Result || type == FrameType::CallFailed || type == FrameType::Skipped;
}

} // namespace

SyncChannel::SyncChannel(const Serialiser &serialiser, const QString &function)
    : WorkerChannel(serialiser, function)
{
    m_writer.setSharedMemoryThreshold(workerSharedMemoryThreshold);
    writeOutOnCrash(&m_writer, workerWriteFd);
}

SyncChannel::~SyncChannel()
{
    forgetOnCrash(&m_writer);
    if (!m_holdWriter.joinable())
        return;
    {
        QMutexLocker locker(&sendMutex());
        m_stopping = true;
        m_holdChanged.wakeAll();
    }
    m_holdWriter.join();
}

void SyncChannel::sendFrame(FrameType type, quint32 id, const FramePayload &payload)
{
    // The send mutex is held: a frame from another thread waits for ours to be out.
    m_writer.append(type, id, payload);
    if (isAnswer(type) && m_moreRequestsWaiting && m_writer.queuedBytes() < holdBytesLimit) {
        if (!m_holding) {
            m_holding = true;
            m_holdDeadline = QDeadlineTimer(holdLimit, Qt::PreciseTimer);
            if (!m_holdWriter.joinable())
                m_holdWriter = std::thread([this] { writeWhenHeldTooLong(); });
            m_holdChanged.wakeAll();
        }
        return;
    }
    writeLocked();
}

void SyncChannel::writeHeld()
{
    QMutexLocker locker(&sendMutex());
    if (m_holding)
        writeLocked();
}

void SyncChannel::writeLocked()
{
    m_holding = false;
    if (!m_writer.flushBlocking(workerWriteFd))
        _exit(0); // the parent is gone; nobody is left to answer
}

void SyncChannel::writeWhenHeldTooLong()
{
    QMutexLocker locker(&sendMutex());
    while (!m_stopping) {
        if (!m_holding)
            m_holdChanged.wait(&sendMutex());
        else if (m_holdDeadline.hasExpired())
            writeLocked();
        else
            m_holdChanged.wait(&sendMutex(), m_holdDeadline);
    }
}

} // namespace QForkRpcDetail
