// SPDX-License-Identifier: MIT
// The async backend: the worker runs its own QCoreApplication (as AnyEvent::Fork::RPC::Async runs
// AnyEvent). Requests are read by the event loop as they come, every call runs at once and ends
// when its done() is called, and what the calls produce is written in batches: frames collect
// while the event loop is busy and leave together, in order, before it waits again.
#include "worker_p.h"

#include "serialisers/serialisers_p.h"
#include "spawn/forkutil_p.h"
#include "wire/channel_p.h"

#include <QtCore/QCoreApplication>

#include <memory>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {

// The worker's frames go out through the wire layer's Channel, which batches them.
class AsyncChannel final : public WorkerChannel
{
public:
    AsyncChannel(const Serialiser &serialiser, const QString &function, Channel &channel)
        : WorkerChannel(serialiser, function)
        , m_channel(channel)
    { }

protected:
    void sendFrame(FrameType type, quint32 id, const FramePayload &payload) override
    {
        m_channel.send(type, id, payload);
    }

private:
    Channel &m_channel;
};

struct CallState
{
    quint32 id = 0;
    bool finished = false;
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
        m_socket(workerSocketFd, workerSocketFd, this, 16, nullptr)
        , m_channel(serialiser, name, m_socket)
    { }

    int run()
    {
        // Requests that arrived with the setup are already buffered: the channel reads on from
        // there.
        m_socket.continueFrom(std::move(m_reader));
        if (m_outstanding > 0 || !m_endOfInput)
            QCoreApplication::exec();
        m_socket.flushBlocking(); // false: the parent is gone, nobody is left to answer
        return 0;
    }

    bool frameReceived(Frame &frame) override
    {
        if (frame.type != FrameType::Request)
            protocolError(QStringLiteral("unexpected frame type %1").arg(quint32(frame.type)));
        startCall(frame);
        return true;
    }

    void streamEnded(const QString &error) override
    {
        if (!error.isEmpty())
            protocolError(error);
        m_endOfInput = true;
        maybeExit();
    }

private:
    void startCall(Frame &frame)
    {
        QVariantList args;
        QString reason;
        if (!thawValues(m_serialiser, std::move(frame.payload), &args, &reason)) {
            m_channel.sendReport(FrameType::CallFailed, frame.id,
                { ErrorCode::ThawFailed, { m_serialiser.customName, reason } });
            return;
        }
        auto state = std::make_shared<CallState>();
        state->id = frame.id;
        ++m_outstanding;
        QForkRpcDone done = [this, state](const QVariantList &results) {
            if (state->finished) {
                m_channel.sendReport(
                    FrameType::Error, 0, { ErrorCode::DoneCalledTwice, { m_name } });
                return;
            }
            state->finished = true;
            m_channel.sendResult(state->id, results);
            callFinished();
        };
        try {
            m_function.async(std::move(done), args);
        } catch (const std::exception &e) {
            failCall(*state, QString::fromUtf8(e.what()));
        } catch (...) {
            failCall(*state, QStringLiteral("unknown exception"));
        }
    }

    void failCall(CallState &state, const QString &what)
    {
        if (state.finished)
            return; // done() ran before the exception: the call has its answer
        state.finished = true;
        m_channel.sendReport(
            FrameType::CallFailed, state.id, { ErrorCode::CallThrew, { m_name, what } });
        callFinished();
    }

    void callFinished()
    {
        --m_outstanding;
        maybeExit();
    }

    void maybeExit()
    {
        if (m_endOfInput && m_outstanding == 0)
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
    int m_outstanding = 0;
    bool m_endOfInput = false;
};

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
