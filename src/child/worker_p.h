// SPDX-License-Identifier: MIT
// The worker side: what runs in the child once its socket is descriptor 3.
#pragma once

#include "registry_p.h"
#include "wire/framereader_p.h"
#include "wire/messages_p.h"

#include <QtCore/QMutex>

#include <atomic>
#include <chrono>
#include <ctime>
#include <utility>
#include <vector>

namespace QForkRpcDetail {

// The clock of the workers' "a millisecond ago" checks, made for every request they start and
// every QForkRpcChild::isCancelled(): CLOCK_MONOTONIC_COARSE, one read of the vDSO's data. The
// precise clock reads the time stamp counter besides, which costs 30-120 ns on a VM's kvm-clock
// (a few per cent of a pipelined tiny call, most of an isCancelled()); this one costs a fraction
// of that, and moves in ticks (1-10 ms, CONFIG_HZ): "a millisecond ago" becomes "a tick ago",
// still soon enough for a Cancel, and still at most once a millisecond.
struct CoarseClock
{
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<CoarseClock>;
    static constexpr bool is_steady = true;

    static time_point now() noexcept
    {
        timespec now {};
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
        return time_point(std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec));
    }
};

// Both workers keep requests they have read but not started. One that has waited longer than
// this (on the coarse clock: a tick) gets a look at the socket before it starts, since a Cancel
// for it may have come while an earlier call ran or blocked the event loop.
constexpr std::chrono::microseconds staleAfter { 1000 };

// Says hello, reads the setup, takes over the parent's environment and working directory (unless
// `overStdio`: a Command worker, perhaps on another machine, keeps its own), loads libraries, runs
// init and then the sync or async loop; exits the process when the parent closes its end and
// every call is done.
[[noreturn]] void runWorkerProcess(bool overStdio = false);
// Sets the environment's locale once in the template, so that its workers, which would each
// spend half a millisecond opening and mapping locale files, set it again only when the parent's
// environment names another.
void setLocaleForWorkers();

// The worker's way back to the parent. The sync backend writes each frame at once; the async one
// collects frames and writes them in batches. Either way frames leave in the order they were made,
// which is what keeps events and results in order. Any thread of the worker may send (worker code
// that runs QtConcurrent, say): a frame from another thread than the worker's main one is written
// at once, in its place among the others.
//
// Progress is coalesced: an update goes out at once when the last one left long enough ago
// (progressInterval), else it waits, replaced by later ones, until the next frame of any kind
// (so that it keeps its place before events and the call's result) or flushDueProgress().
class WorkerChannel
{
public:
    WorkerChannel(const Serialiser &serialiser, const QString &function);
    virtual ~WorkerChannel();

    // The channel of this worker process, or nullptr outside a worker. A channel makes itself the
    // current one for its lifetime.
    static WorkerChannel *current();

    void sendResult(quint32 id, const QVariantList &results);
    void sendEvent(const QVariantList &args);
    void sendReport(FrameType type, quint32 id, const ErrorReport &report);
    // Cancelled call `id` will never run.
    void sendSkipped(quint32 id);
    // QForkRpcChild::retire(): said once.
    void sendRetire();
    void setProgress(quint32 id, int value, int maximum);
    // Sends the progress that waited, if its time has come.
    void flushDueProgress();

    const QString &function() const { return m_function; }

    static constexpr std::chrono::milliseconds progressInterval { 16 }; // about 60 a second

protected:
    // Called with sendMutex() held, one frame at a time.
    virtual void sendFrame(FrameType type, quint32 id, const FramePayload &payload) = 0;
    QMutex &sendMutex() { return m_sendMutex; }
    // Progress waits to be sent; a channel with an event loop comes back in `delay`.
    virtual void progressWaits(std::chrono::milliseconds delay) { Q_UNUSED(delay); }

private:
    // Freezes the values, or sends the reason they cannot be frozen with `failureType`.
    bool freeze(
        const QVariantList &values, FramePayload *payload, FrameType failureType, quint32 id);
    // Every frame goes out through here, after the progress that waited.
    void send(FrameType type, quint32 id, const FramePayload &payload);
    void sendWaitingProgressLocked();

    const Serialiser &m_serialiser;
    QString m_function;

    QMutex m_sendMutex; // frames from any thread, and the progress that waits
    std::vector<std::pair<quint32, Progress>> m_waitingProgress; // one per call, in order
    CoarseClock::time_point m_lastProgressSent;
    std::atomic<bool> m_retireSent { false };
};

// Options::sharedMemoryThreshold as the setup said (0 in a Command worker: its pipes carry no
// descriptors), for the channels the backends make.
extern qsizetype workerSharedMemoryThreshold;
// Whether QForkRpcFd values travel: over a local worker's socket, not over a Command's pipes.
bool workerCarriesDescriptors();

// Blocking I/O on the worker socket, for the sync backend and the moments before and after the
// async event loop runs. Both return false when the parent has gone away.
bool writeFrameBlocking(FrameType type, quint32 id, const FramePayload &payload);
// Reads until a whole frame is there. Returns false at end of stream; *error says whether that
// was in the middle of a frame or the stream was garbage.
bool readFrameBlocking(FrameReader &reader, Frame *frame, QString *error);

// Sends a Fatal frame and exits the worker.
[[noreturn]] void failWorker(const ErrorReport &report);

// What QForkRpcChild::isCancelled() and setProgress() reach in a sync worker; both return or do
// nothing outside a sync worker's call.
bool syncCallIsCancelled();
void setSyncCallProgress(int value, int maximum);

// The two backends; each returns the worker's exit code.
int runSyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
    const QString &name, FrameReader &reader);
int runAsyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
    const QString &name, FrameReader &reader);

} // namespace QForkRpcDetail
