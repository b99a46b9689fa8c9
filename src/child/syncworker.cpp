// SPDX-License-Identifier: MIT
// The sync backend: plain blocking reads, one call at a time, each result and event written at
// once (as in AnyEvent::Fork::RPC::Sync), except that the results of calls queued together go out
// together, none held back longer than a millisecond (syncchannel_p.h). Requests are read in
// 64 KiB chunks, so a burst of queued calls costs one read, not one per call.
//
// Cancelling: the parent sends a Cancel frame after the request. A request is started only with
// what the parent has said since it was read taken into account: one that waited in our buffer
// while other calls ran is preceded by a look at the socket without waiting, and a Cancel found
// there skips it (it never runs). The call that runs learns of its Cancel through isCancelled(),
// which looks at the socket at most once a tick of the coarse clock (worker_p.h) and otherwise
// only reads that clock.
#include "syncchannel_p.h"
#include "worker_p.h"

#include "serialisers/serialisers_p.h"
#include "spawn/forkutil_p.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <deque>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {

using Clock = CoarseClock; // see worker_p.h

// isCancelled() looks at the socket at most this often (in Clock ticks; staleAfter, for requests
// that waited, is in worker_p.h).
constexpr qint64 lookInterval
    = std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(1000)).count();
// One look reads at most this many chunks, so that a parent with a long queue of requests does
// not move all of it into the worker at once.
constexpr int readsPerLook = 16;

class SyncWorker
{
public:
    SyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
        const QString &name, FrameReader &reader)
        : m_function(function)
        , m_serialiser(serialiser)
        , m_name(name)
        , m_reader(reader)
        , m_channel(serialiser, name)
    {
        s_current = this;
    }
    ~SyncWorker() { s_current = nullptr; }

    static SyncWorker *current() { return s_current; }

    int run()
    {
        // Whatever start-up read beyond the setup is taken first.
        takeFrames();
        Frame request;
        while (nextRequest(&request))
            runCall(request);
        m_channel.writeHeld();
        if (!m_streamError.isEmpty())
            fail(m_streamError);
        return 0;
    }

    bool isCancelled()
    {
        if (m_running.load(std::memory_order_relaxed) == 0)
            return false;
        if (m_runningCancelled.load(std::memory_order_relaxed))
            return true;
        const qint64 now = Clock::now().time_since_epoch().count();
        if (now - m_lastLook.load(std::memory_order_relaxed) < lookInterval)
            return false;
        // Any thread of the call may look (worker code that runs QtConcurrent, say); one at a
        // time, and never waiting: a thread that finds another looking sees what it finds.
        std::unique_lock<std::mutex> lock(m_readMutex, std::try_to_lock);
        if (!lock.owns_lock())
            return m_runningCancelled.load(std::memory_order_relaxed);
        m_lastLook.store(now, std::memory_order_relaxed);
        m_channel.flushDueProgress();
        readAvailable(false);
        return m_runningCancelled.load(std::memory_order_relaxed);
    }

    void setProgress(int value, int maximum)
    {
        const quint32 id = m_running.load(std::memory_order_relaxed);
        if (id != 0)
            m_channel.setProgress(id, value, maximum);
    }

private:
    // The next request to run, skipping those cancelled before they started; false at the end.
    bool nextRequest(Frame *request)
    {
        // A thread the last call started may still look at the socket.
        std::lock_guard<std::mutex> lock(m_readMutex);
        for (;;) {
            if (!m_queue.empty()) {
                Clock::time_point now = Clock::now();
                if (now - m_lastRead >= staleAfter) {
                    readAvailable(false);
                    if (m_queue.empty())
                        continue; // it was cancelled
                    now = m_lastRead;
                }
                // The call's isCancelled() counts its millisecond from here: one clock read a
                // call, not two.
                m_lastLook.store(now.time_since_epoch().count(), std::memory_order_relaxed);
                *request = std::move(m_queue.front());
                m_queue.pop_front();
                return true;
            }
            if (m_ended)
                return false;
            m_channel.writeHeld(); // nothing more to run: what waits goes now
            readAvailable(true);
        }
    }

    void runCall(Frame &request)
    {
        QVariantList args;
        QString reason;
        if (!thawValues(
                m_serialiser, std::move(request.payload), &args, &reason, request.descriptors)) {
            sayWhetherMoreWait();
            m_channel.sendReport(FrameType::CallFailed, request.id,
                { ErrorCode::ThawFailed, { m_serialiser.customName, reason } });
            return;
        }
        m_runningCancelled.store(false, std::memory_order_relaxed);
        m_running.store(request.id, std::memory_order_relaxed);
        QVariantList results;
        bool threw = true;
        QString what;
        try {
            results = m_function.sync(args);
            threw = false;
        } catch (const std::exception &e) {
            what = QString::fromUtf8(e.what());
        } catch (...) {
            what = QStringLiteral("unknown exception");
        }
        m_running.store(0, std::memory_order_relaxed);
        sayWhetherMoreWait();
        if (threw)
            m_channel.sendReport(
                FrameType::CallFailed, request.id, { ErrorCode::CallThrew, { m_name, what } });
        else
            m_channel.sendResult(request.id, results);
    }

    // The answer about to be sent may wait for the next ones if more requests wait to run.
    void sayWhetherMoreWait()
    {
        std::lock_guard<std::mutex> lock(m_readMutex); // threads of the call may still look
        m_channel.setMoreRequestsWaiting(!m_queue.empty());
    }

    // Reads what the parent has sent: blocking, until something comes; else only what is there.
    void readAvailable(bool block)
    {
        if (m_ended)
            return;
        for (int round = 0; round < readsPerLook; ++round) {
            qsizetype capacity = 0;
            const ssize_t n = m_reader.readFrom(workerReadFd, &capacity, block);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            if (n <= 0) {
                m_ended = true;
                takeFrames(); // whole frames read before the end are not a broken stream
                if (m_reader.inMiddleOfFrame())
                    m_streamError = QStringLiteral("the stream ended in the middle of a frame");
                break;
            }
            if (block)
                break; // one chunk is enough to go on with
        }
        m_lastRead = Clock::now();
        takeFrames();
    }

    // Requests join the queue; a Cancel skips its request or tells the running call.
    void takeFrames() // m_readMutex held, or no call running
    {
        Frame frame;
        while (m_reader.takeFrame(&frame)) {
            if (frame.type == FrameType::Request)
                m_queue.push_back(std::move(frame));
            else if (frame.type == FrameType::Cancel)
                cancel(frame.id);
            else
                fail(QStringLiteral("unexpected frame type %1").arg(quint32(frame.type)));
        }
        if (m_reader.failed())
            fail(m_reader.error());
    }

    // The answers that wait go before the Fatal frame.
    [[noreturn]] void fail(const QString &protocolError)
    {
        m_channel.writeHeld();
        failWorker({ ErrorCode::ProtocolError, { protocolError } });
    }

    void cancel(quint32 id)
    {
        if (id != 0 && id == m_running.load(std::memory_order_relaxed)) {
            m_runningCancelled.store(true, std::memory_order_relaxed);
            return;
        }
        for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
            if (it->id == id) {
                m_queue.erase(it);
                m_channel.sendSkipped(id);
                return;
            }
        }
        // Else it has answered already: the parent drops what comes.
    }

    static SyncWorker *s_current;

    const RegisteredFunction &m_function;
    const Serialiser &m_serialiser;
    QString m_name;
    FrameReader &m_reader;
    SyncChannel m_channel;

    std::deque<Frame> m_queue; // requests read and not started
    bool m_ended = false;
    QString m_streamError;
    Clock::time_point m_lastRead;
    std::mutex m_readMutex; // the reader and the queue, for threads of the call that look
    std::atomic<qint64> m_lastLook { 0 }; // Clock ticks
    std::atomic<quint32> m_running { 0 }; // the call that runs, else 0
    std::atomic<bool> m_runningCancelled { false };
};

SyncWorker *SyncWorker::s_current = nullptr;

} // namespace

int runSyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
    const QString &name, FrameReader &reader)
{
    SyncWorker worker(function, serialiser, name, reader);
    return worker.run();
}

bool syncCallIsCancelled()
{
    SyncWorker *worker = SyncWorker::current();
    return worker && worker->isCancelled();
}

void setSyncCallProgress(int value, int maximum)
{
    if (SyncWorker *worker = SyncWorker::current())
        worker->setProgress(value, maximum);
}

} // namespace QForkRpcDetail
