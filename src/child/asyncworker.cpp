// SPDX-License-Identifier: MIT
// The async backend: the worker runs its own QCoreApplication (as AnyEvent::Fork::RPC::Async runs
// AnyEvent). Requests are read by the event loop as they come, every call runs at once and ends
// when its done() is called, and what the calls produce is written in batches: frames collect
// while the event loop is busy and leave together, in order, before it waits again.
#include "worker_p.h"

#include "framewriter_p.h"
#include "serialisers/serialisers_p.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {

class AsyncChannel final : public WorkerChannel
{
public:
    AsyncChannel(const Serialiser &serialiser, const QString &function)
        : WorkerChannel(serialiser, function),
          m_writable(workerSocketFd, QSocketNotifier::Write)
    {
        m_writable.setEnabled(false);
        QObject::connect(&m_writable, &QSocketNotifier::activated, [this] { flush(); });
        // Whatever the calls produced while the event loop was busy leaves together when the
        // loop comes round again or is about to wait: one system call for a whole batch, and no
        // wake-up event of our own.
        QAbstractEventDispatcher *dispatcher = QCoreApplication::eventDispatcher();
        QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, [this] { flush(); });
        QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, [this] { flush(); });
    }

    void flush()
    {
        if (m_writer.isEmpty())
            return;
        if (m_writer.flush(workerSocketFd)) {
            m_writable.setEnabled(false);
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            m_writable.setEnabled(true);
        } else {
            _exit(0); // the parent is gone; nobody is left to answer
        }
    }

    void flushBlocking()
    {
        m_writer.flushBlocking(workerSocketFd);
        m_writer.clear();
    }

protected:
    void sendFrame(FrameType type, quint32 id, const FramePayload &payload) override
    {
        m_writer.append(type, id, payload);
        if (m_writer.queuedBytes() >= flushThreshold && !m_writable.isEnabled())
            flush();
    }

private:
    static constexpr qsizetype flushThreshold = 256 * 1024;

    QSocketNotifier m_writable;
    FrameWriter m_writer;
};

struct CallState
{
    quint32 id = 0;
    bool finished = false;
};

class AsyncWorker
{
public:
    AsyncWorker(const RegisteredFunction &function, const Serialiser &serialiser,
                const QString &name, FrameReader &reader)
        : m_function(function), m_serialiser(serialiser), m_name(name), m_reader(reader),
          m_channel(serialiser, name), m_readable(workerSocketFd, QSocketNotifier::Read)
    {
        QObject::connect(&m_readable, &QSocketNotifier::activated, [this] { readRequests(); });
    }

    int run()
    {
        // Requests that arrived with the setup are already buffered.
        dispatchBuffered();
        if (!m_endOfInput || m_outstanding > 0)
            QCoreApplication::exec();
        m_channel.flushBlocking();
        return 0;
    }

private:
    void readRequests()
    {
        // Read what is there, up to a bound, so that a flood of requests cannot starve timers.
        for (int round = 0; round < 16 && !m_endOfInput; ++round) {
            qsizetype capacity = 0;
            char *space = m_reader.reserve(&capacity);
            const ssize_t n = read(workerSocketFd, space, size_t(capacity));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                endOfInput();
                break;
            }
            if (n == 0) {
                if (m_reader.inMiddleOfFrame())
                    protocolError(QStringLiteral("the stream ended in the middle of a frame"));
                endOfInput();
                break;
            }
            m_reader.commit(n);
            dispatchBuffered();
        }
        maybeExit();
    }

    void dispatchBuffered()
    {
        Frame frame;
        while (m_reader.takeFrame(&frame)) {
            if (frame.type != FrameType::Request)
                protocolError(QStringLiteral("unexpected frame type %1").arg(quint32(frame.type)));
            startCall(frame);
        }
        if (m_reader.failed())
            protocolError(m_reader.error());
    }

    void startCall(Frame &frame)
    {
        QVariantList args;
        QString reason;
        if (!thawValues(m_serialiser, std::move(frame.payload), &args, &reason)) {
            m_channel.sendReport(FrameType::CallFailed, frame.id, { ErrorCode::ThawFailed, { m_serialiser.customName, reason } });
            return;
        }
        auto state = std::make_shared<CallState>();
        state->id = frame.id;
        ++m_outstanding;
        QForkRpcDone done = [this, state](const QVariantList &results) {
            if (state->finished) {
                m_channel.sendReport(FrameType::Error, 0, { ErrorCode::DoneCalledTwice, { m_name } });
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
        m_channel.sendReport(FrameType::CallFailed, state.id, { ErrorCode::CallThrew, { m_name, what } });
        callFinished();
    }

    void callFinished()
    {
        --m_outstanding;
        maybeExit();
    }

    void endOfInput()
    {
        m_endOfInput = true;
        m_readable.setEnabled(false);
    }

    void maybeExit()
    {
        if (m_endOfInput && m_outstanding == 0)
            QCoreApplication::exit(0);
    }

    [[noreturn]] void protocolError(const QString &what)
    {
        m_channel.flushBlocking();
        failWorker({ ErrorCode::ProtocolError, { what } });
    }

    const RegisteredFunction &m_function;
    const Serialiser &m_serialiser;
    QString m_name;
    FrameReader &m_reader;
    AsyncChannel m_channel;
    QSocketNotifier m_readable;
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
    fcntl(workerSocketFd, F_SETFL, fcntl(workerSocketFd, F_GETFL) | O_NONBLOCK);

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
