// SPDX-License-Identifier: MIT
// The sync backend: plain blocking reads, one call at a time, each result and event written at
// once (as in AnyEvent::Fork::RPC::Sync). Requests are read in 64 KiB chunks, so a burst of queued
// calls costs one read, not one per call.
#include "worker_p.h"

#include "serialisers/serialisers_p.h"
#include "spawn/forkutil_p.h"
#include "wire/framewriter_p.h"

#include <QtCore/QMutex>

#include <unistd.h>

namespace QForkRpcDetail {

namespace {
class SyncChannel final : public WorkerChannel
{
public:
    using WorkerChannel::WorkerChannel;

protected:
    void sendFrame(FrameType type, quint32 id, const FramePayload &payload) override
    {
        QMutexLocker locker(&m_mutex); // a frame from another thread waits for ours to be out
        m_writer.append(type, id, payload);
        if (!m_writer.flushBlocking(workerSocketFd))
            _exit(0); // the parent is gone; nobody is left to answer
    }

private:
    QMutex m_mutex;
    FrameWriter m_writer; // kept, so that its buffers are reused from call to call
};
} // namespace

int runSyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
    const QString &name, FrameReader &reader)
{
    SyncChannel channel(serialiser, name);
    Frame frame;
    QString error;
    while (readFrameBlocking(reader, &frame, &error)) {
        if (frame.type != FrameType::Request)
            failWorker({ ErrorCode::ProtocolError,
                { QStringLiteral("unexpected frame type %1").arg(quint32(frame.type)) } });
        QVariantList args;
        QString reason;
        if (!thawValues(serialiser, std::move(frame.payload), &args, &reason)) {
            channel.sendReport(FrameType::CallFailed, frame.id,
                { ErrorCode::ThawFailed, { serialiser.customName, reason } });
            continue;
        }
        QVariantList results;
        try {
            results = function.sync(args);
        } catch (const std::exception &e) {
            channel.sendReport(FrameType::CallFailed, frame.id,
                { ErrorCode::CallThrew, { name, QString::fromUtf8(e.what()) } });
            continue;
        } catch (...) {
            channel.sendReport(FrameType::CallFailed, frame.id,
                { ErrorCode::CallThrew, { name, QStringLiteral("unknown exception") } });
            continue;
        }
        channel.sendResult(frame.id, results);
    }
    if (!error.isEmpty())
        failWorker({ ErrorCode::ProtocolError, { error } });
    return 0;
}

} // namespace QForkRpcDetail
