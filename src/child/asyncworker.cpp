// SPDX-License-Identifier: MIT
// The async backend: the worker runs its own QCoreApplication (as AnyEvent::Fork::RPC::Async runs
// AnyEvent). Requests are read by the event loop as they come, every call runs at once and ends
// when its done() is called, and what the calls produce is written in batches: frames collect
// while the event loop is busy and leave together, in order, before it waits again.
#include "crashwrite_p.h"
#include "worker_p.h"

#include "serialisers/serialisers_p.h"
#include "spawn/forkutil_p.h"
#include "wire/channel_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace QForkRpcDetail {

namespace {

// The worker's frames go out through the wire layer's Channel, which batches them.
class AsyncChannel final : public WorkerChannel
{
public:
    AsyncChannel(const Serialiser &serialiser, const QString &function, Channel &channel)
        : WorkerChannel(serialiser, function)
        , m_channel(channel)
    {
        m_progressTimer.setSingleShot(true);
        QObject::connect(&m_progressTimer, &QTimer::timeout, [this] { flushDueProgress(); });
    }

protected:
    void sendFrame(FrameType type, quint32 id, const FramePayload &payload) override
    {
        m_channel.send(type, id, payload);
    }

    void progressWaits(std::chrono::milliseconds delay) override
    {
        // Progress from another thread of the worker: the timer is started in ours.
        QMetaObject::invokeMethod(
            &m_progressTimer, [this, delay] { m_progressTimer.start(delay); },
            QThread::currentThread() == m_progressTimer.thread() ? Qt::DirectConnection
                                                                 : Qt::QueuedConnection);
    }

private:
    Channel &m_channel;
    QTimer m_progressTimer;
};

class AsyncWorker;

// One call, as its QForkRpcDone handles see it. Handles can outlive the worker (a copy kept by
// an object that the QCoreApplication deletes after it): they reach it through a pointer that the
// worker clears when it goes, and then do nothing.
class AsyncCall final : public DoneTarget, public std::enable_shared_from_this<AsyncCall>
{
public:
    AsyncCall(std::shared_ptr<AsyncWorker *> worker, quint32 id)
        : m_worker(std::move(worker))
        , m_id(id)
    { }

    void done(const QVariantList &results) override;
    bool isCancelled() const override { return m_cancelled.load(std::memory_order_relaxed); }
    void setProgress(int value, int maximum) override;

    quint32 id() const { return m_id; }
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    // Marks the call finished; false if it was already.
    bool finish() { return !m_finished.exchange(true); }
    bool isFinished() const { return m_finished.load(); }

private:
    // Runs `what` with the worker in the worker's main thread, if the worker is still there.
    template <typename What> void withWorker(What what);

    std::shared_ptr<AsyncWorker *> m_worker;
    quint32 m_id;
    std::atomic<bool> m_cancelled { false };
    std::atomic<bool> m_finished { false };
};

class AsyncWorker final : public Channel::Receiver
{
public:
    AsyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
        const QString &name, FrameReader &reader)
        : m_function(function)
        , m_serialiser(serialiser)
        , m_name(name)
        , m_reader(reader)
        ,
        // Reads are bounded per wake-up, so that a flood of requests cannot starve timers.
        m_socket(workerReadFd, workerWriteFd, this, 16, nullptr)
        , m_channel(serialiser, name, m_socket)
        , m_self(std::make_shared<AsyncWorker *>(this))
    {
        m_socket.setSharedMemoryThreshold(workerSharedMemoryThreshold);
    }
    ~AsyncWorker() override
    {
        forgetOnCrash(&m_socket.queuedFrames());
        *m_self = nullptr;
    }

    int run()
    {
        // Answers collect until the event loop comes round: a call after them that crashes the
        // worker writes them out first.
        writeOutOnCrash(&m_socket.queuedFrames(), m_socket.writeFd());
        // Requests that arrived with the setup are already buffered: the channel reads on from
        // there.
        m_socket.continueFrom(std::move(m_reader));
        if (m_outstanding > 0 || !m_endOfInput)
            QCoreApplication::exec();
        m_socket.flushBlocking(); // false: the parent is gone, nobody is left to answer
        return 0;
    }

    // Requests wait until the batch they came in has been read, so that a Cancel read with them
    // skips them before they start.
    bool frameReceived(Frame &frame) override
    {
        if (frame.type == FrameType::Request)
            m_arrived.push_back(std::move(frame));
        else if (frame.type == FrameType::Cancel)
            cancel(frame.id);
        else
            protocolError(QStringLiteral("unexpected frame type %1").arg(quint32(frame.type)));
        return true;
    }

    void framesDelivered() override
    {
        m_lastRead = CoarseClock::now();
        startArrivedCalls();
    }

    void streamEnded(const QString &error) override
    {
        if (!error.isEmpty())
            protocolError(error);
        startArrivedCalls();
        m_endOfInput = true;
        maybeExit();
    }

    void callDone(AsyncCall &call, const QVariantList &results)
    {
        if (!call.finish()) {
            m_channel.sendReport(FrameType::Error, 0, { ErrorCode::DoneCalledTwice, { m_name } });
            return;
        }
        m_channel.sendResult(call.id(), results);
        callFinished(call.id());
    }

    void callProgress(AsyncCall &call, int value, int maximum)
    {
        if (!call.isFinished()) // none after the result
            m_channel.setProgress(call.id(), value, maximum);
    }

private:
    void cancel(quint32 id)
    {
        for (auto it = m_arrived.begin(); it != m_arrived.end(); ++it) {
            if (it->id == id) {
                m_arrived.erase(it);
                m_channel.sendSkipped(id);
                return;
            }
        }
        const auto running = m_running.find(id);
        if (running != m_running.end())
            running->second->cancel();
        // Else it has answered already: the parent drops what comes.
    }

    void startArrivedCalls()
    {
        if (m_looking)
            return; // our own look at the socket, below: the loop goes on
        while (!m_arrived.empty()) {
            // A call that blocked the event loop may have let Cancels arrive for those after it.
            if (CoarseClock::now() - m_lastRead >= staleAfter) {
                m_looking = true;
                m_socket.readNow();
                m_looking = false;
                m_lastRead = CoarseClock::now();
                if (m_arrived.empty())
                    break;
            }
            Frame frame = std::move(m_arrived.front());
            m_arrived.pop_front();
            // A nested event loop in the function starts the calls that arrive meanwhile.
            startCall(frame);
        }
        maybeExit(); // the end of the stream may have come while we started calls
    }

    void startCall(Frame &frame)
    {
        QVariantList args;
        QString reason;
        if (!thawValues(
                m_serialiser, std::move(frame.payload), &args, &reason, frame.descriptors)) {
            m_channel.sendReport(FrameType::CallFailed, frame.id,
                { ErrorCode::ThawFailed, { m_serialiser.customName, reason } });
            return;
        }
        auto call = std::make_shared<AsyncCall>(m_self, frame.id);
        m_running.emplace(frame.id, call);
        ++m_outstanding;
        try {
            m_function.async(QForkRpcDone(call), args);
        } catch (const std::exception &e) {
            failCall(*call, QString::fromUtf8(e.what()));
        } catch (...) {
            failCall(*call, QStringLiteral("unknown exception"));
        }
    }

    void failCall(AsyncCall &call, const QString &what)
    {
        if (!call.finish())
            return; // done() ran before the exception: the call has its answer
        m_channel.sendReport(
            FrameType::CallFailed, call.id(), { ErrorCode::CallThrew, { m_name, what } });
        callFinished(call.id());
    }

    void callFinished(quint32 id)
    {
        m_running.erase(id);
        --m_outstanding;
        maybeExit();
    }

    void maybeExit()
    {
        if (m_endOfInput && m_outstanding == 0 && m_arrived.empty())
            QCoreApplication::exit(0);
    }

    [[noreturn]] void protocolError(const QString &what)
    {
        m_socket.flushBlocking();
        failWorker({ ErrorCode::ProtocolError, { what } });
    }

    const RegisteredFunction &m_function;
    const Serialiser &m_serialiser;
    QString m_name;
    FrameReader &m_reader; // what start-up read; the channel has a reader of its own
    Channel m_socket;
    AsyncChannel m_channel;
    std::deque<Frame> m_arrived; // requests read and not started yet
    bool m_looking = false;
    CoarseClock::time_point m_lastRead;
    std::unordered_map<quint32, std::shared_ptr<AsyncCall>> m_running;
    int m_outstanding = 0;
    bool m_endOfInput = false;
    std::shared_ptr<AsyncWorker *> m_self; // what the calls' handles reach us through
};

template <typename What> void AsyncCall::withWorker(What what)
{
    // done() and setProgress() from another thread of the worker go to its main thread, where
    // the calls are kept.
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return; // the worker is gone with its application
    if (QThread::currentThread() != app->thread()) {
        QMetaObject::invokeMethod(
            app, [self = shared_from_this(), what] { self->withWorker(what); },
            Qt::QueuedConnection);
        return;
    }
    if (AsyncWorker *worker = *m_worker)
        what(*worker);
}

void AsyncCall::done(const QVariantList &results)
{
    withWorker([this, results](AsyncWorker &worker) { worker.callDone(*this, results); });
}

void AsyncCall::setProgress(int value, int maximum)
{
    withWorker([this, value, maximum](
                   AsyncWorker &worker) { worker.callProgress(*this, value, maximum); });
}

} // namespace

int runAsyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
    const QString &name, FrameReader &reader)
{
    // Qt's own event dispatcher is smaller and faster than glib's, and a worker needs nothing
    // from glib. A program whose workers do can set QT_NO_GLIB to an empty value.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");

    static int argc = 1;
    static char name0[] = "qforkrpc-worker";
    static char *argv[] = { name0, nullptr };
    QCoreApplication app(argc, argv);
    int code;
    {
        AsyncWorker worker(function, serialiser, name, reader);
        code = worker.run();
    }
    return code;
}

} // namespace QForkRpcDetail
