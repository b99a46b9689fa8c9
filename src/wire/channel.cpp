// SPDX-License-Identifier: MIT
#include "wire/channel_p.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QEvent>
#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace QForkRpcDetail {

namespace {

// Queued frames are written at once past this size, else when the event loop comes round.
constexpr qsizetype flushThreshold = 256 * 1024;

// The channels of one thread that have frames queued, written when the thread's event loop wakes
// up or is about to wait: one connection per thread to its dispatcher, so that an idle channel
// costs nothing per wake-up however many there are.
class FlushScheduler : public QObject
{
public:
    // False when this thread has no event dispatcher: then nobody would flush later.
    static bool schedule(Channel *channel)
    {
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        if (!dispatcher)
            return false;
        std::unique_ptr<FlushScheduler> &scheduler = current();
        if (!scheduler || scheduler->m_dispatcher != dispatcher) // a new QCoreApplication
            scheduler.reset(new FlushScheduler(dispatcher));
        if (!channel->m_flushScheduled) {
            channel->m_flushScheduled = true;
            scheduler->m_channels.push_back(channel);
        }
        return true;
    }

    static void unschedule(Channel *channel)
    {
        if (!channel->m_flushScheduled)
            return;
        channel->m_flushScheduled = false;
        if (FlushScheduler *scheduler = current().get()) {
            auto &channels = scheduler->m_channels;
            channels.erase(std::remove(channels.begin(), channels.end(), channel), channels.end());
        }
    }

private:
    explicit FlushScheduler(QAbstractEventDispatcher *dispatcher)
        : m_dispatcher(dispatcher)
    {
        connect(
            dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &FlushScheduler::flushAll);
        connect(dispatcher, &QAbstractEventDispatcher::awake, this, &FlushScheduler::flushAll);
    }

    static std::unique_ptr<FlushScheduler> &current()
    {
        thread_local std::unique_ptr<FlushScheduler> scheduler;
        return scheduler;
    }

    void flushAll()
    {
        if (m_channels.empty())
            return;
        // flush() never runs user code, so no channel can be deleted while this runs.
        std::vector<Channel *> channels;
        channels.swap(m_channels);
        for (Channel *channel : channels) {
            channel->m_flushScheduled = false;
            channel->flush();
        }
    }

    QPointer<QAbstractEventDispatcher> m_dispatcher;
    std::vector<Channel *> m_channels;
};

} // namespace

Channel::Channel(int readFd, int writeFd, Receiver *receiver, int readsPerWakeUp, QObject *parent)
    : QObject(parent)
    , m_receiver(receiver)
    , m_readFd(readFd)
    , m_writeFd(writeFd)
    , m_readsPerWakeUp(readsPerWakeUp)
{
    // Non-blocking reads, so that one wake-up reads what is there and no more; writes to a socket
    // say MSG_DONTWAIT themselves, a pipe is made non-blocking, and flushBlocking() waits with
    // poll().
    fcntl(m_readFd, F_SETFL, fcntl(m_readFd, F_GETFL) | O_NONBLOCK);
    if (m_writeFd != m_readFd)
        fcntl(m_writeFd, F_SETFL, fcntl(m_writeFd, F_GETFL) | O_NONBLOCK);
    m_readable = new QSocketNotifier(m_readFd, QSocketNotifier::Read, this);
    connect(m_readable, &QSocketNotifier::activated, this, &Channel::readNow);
    m_writable = new QSocketNotifier(m_writeFd, QSocketNotifier::Write, this);
    m_writable->setEnabled(false);
    connect(m_writable, &QSocketNotifier::activated, this, &Channel::flush);
}

Channel::~Channel()
{
    close();
}

void Channel::close()
{
    if (m_closed)
        return;
    m_closed = true;
    FlushScheduler::unschedule(this);
    // The notifiers go before their descriptors do.
    delete m_readable;
    m_readable = nullptr;
    delete m_writable;
    m_writable = nullptr;
    QMutexLocker locker(&m_writeMutex);
    m_writer.clear();
    if (m_writeFd != m_readFd && m_writeFd >= 0)
        ::close(m_writeFd);
    if (m_readFd >= 0)
        ::close(m_readFd);
    m_readFd = m_writeFd = -1;
    // Nothing is read after this: its read loops stop at m_closed. A QForkRpc deleted in its own
    // signal leaves us to the event loop, which a loop of processEvents() never gives a chance to
    // delete us: 128 KiB of buffer each would pile up (a pool that recycles workers).
    m_reader.discard();
}

void Channel::send(FrameType type, quint32 id, const FramePayload &payload)
{
    QMutexLocker locker(&m_writeMutex);
    if (m_closed || m_writeBroken || m_writeShutDown)
        return;
    m_writer.append(type, id, payload);
    if (QThread::currentThread() != thread()) {
        // Another thread of a worker: its frame keeps its place among ours and leaves now.
        if (!m_writer.flushBlocking(m_writeFd)) {
            m_writeBroken = true;
            m_writer.clear();
        }
        return;
    }
    // While the socket is full the write notifier says when to go on; trying before that only
    // costs EAGAINs.
    if (m_writableWanted)
        return;
    if (m_writer.queuedBytes() >= flushThreshold) {
        flushLocked();
        return;
    }
    locker.unlock();
    scheduleFlush();
}

void Channel::scheduleFlush()
{
    if (!FlushScheduler::schedule(this))
        flush(); // no event loop in this thread (yet): nobody would flush later
}

void Channel::flush()
{
    m_receiver->aboutToFlush(); // may send: before the lock
    QMutexLocker locker(&m_writeMutex);
    flushLocked();
}

void Channel::flushLocked()
{
    if (m_closed)
        return;
    if (!m_writer.isEmpty()) {
        if (m_writer.flush(m_writeFd)) {
            m_writableWanted = false;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            m_writableWanted = true;
        } else {
            // The other side is gone; reading to the end of its stream tells the rest.
            m_writeBroken = true;
            m_writer.clear();
            m_writableWanted = false;
        }
    } else {
        m_writableWanted = false;
    }
    if (m_writable && QThread::currentThread() == thread())
        m_writable->setEnabled(m_writableWanted);
    shutDownWriteIfDone();
}

bool Channel::flushBlocking()
{
    QMutexLocker locker(&m_writeMutex);
    if (m_closed || m_writeBroken)
        return false;
    if (!m_writer.flushBlocking(m_writeFd)) {
        m_writeBroken = true;
        m_writer.clear();
        return false;
    }
    shutDownWriteIfDone();
    return true;
}

void Channel::finishWriting()
{
    QMutexLocker locker(&m_writeMutex);
    m_finishWriting = true;
    flushLocked();
}

void Channel::shutDownWriteIfDone()
{
    if (!m_finishWriting || m_writeShutDown || m_closed || !m_writer.isEmpty())
        return;
    m_writeShutDown = true;
    if (m_writeFd == m_readFd) {
        ::shutdown(m_writeFd, SHUT_WR);
    } else {
        // A pipe ends when its last writer closes. The notifier goes first.
        delete m_writable;
        m_writable = nullptr;
        ::close(m_writeFd);
        m_writeFd = -1;
    }
}

int Channel::writeFdToWaitFor() const
{
    QMutexLocker locker(&m_writeMutex);
    return m_closed || m_writeBroken || m_writer.isEmpty() ? -1 : m_writeFd;
}

void Channel::setSharedMemoryThreshold(qsizetype bytes)
{
    QMutexLocker locker(&m_writeMutex);
    m_writer.setSharedMemoryThreshold(bytes);
}

qsizetype Channel::queuedBytes() const
{
    QMutexLocker locker(&m_writeMutex);
    return m_writer.queuedBytes();
}

qsizetype Channel::unreadBytes()
{
    QMutexLocker locker(&m_writeMutex);
    return m_closed ? 0 : m_writer.unreadBytes(m_writeFd);
}

void Channel::readNow()
{
    if (m_closed || m_ended)
        return;
    // Bounded, so that a flooding peer cannot starve the rest of the event loop: the notifier
    // brings us back for the rest. A large payload is read straight into its final buffer.
    for (int round = 0; round < m_readsPerWakeUp; ++round) {
        qsizetype capacity = 0;
        const ssize_t n = m_reader.readFrom(m_readFd, &capacity);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return endOfStream(QString()); // ECONNRESET and the like: the other side is gone
        }
        if (n == 0) {
            m_endedMidFrame = m_reader.inMiddleOfFrame();
            return endOfStream(m_endedMidFrame
                    ? QStringLiteral("the stream ended in the middle of a frame")
                    : QString());
        }
        if (!deliverBuffered())
            return;
        if (n < capacity)
            break; // the socket had no more: asking again would only say EAGAIN
    }
    m_receiver->framesDelivered();
}

void Channel::continueFrom(FrameReader &&reader)
{
    m_reader = std::move(reader);
    if (deliverBuffered())
        m_receiver->framesDelivered();
}

bool Channel::deliverBuffered()
{
    QPointer<Channel> alive(this);
    Frame frame;
    while (m_reader.takeFrame(&frame)) {
        if (!m_receiver->frameReceived(frame) || !alive || m_closed)
            return false;
    }
    if (m_reader.failed()) {
        endOfStream(m_reader.error());
        return false;
    }
    return true;
}

void Channel::endOfStream(const QString &error)
{
    m_ended = true;
    if (m_readable)
        m_readable->setEnabled(false);
    m_receiver->streamEnded(error); // may delete us
}

bool Channel::event(QEvent *event)
{
    if (event->type() == QEvent::ThreadChange) {
        // Sent in the old thread just before the move. This thread's scheduler lets go of us, and
        // a queued call, which moves with us, hands what is queued to the new thread's.
        FlushScheduler::unschedule(this);
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (queuedBytes() > 0)
                    scheduleFlush();
            },
            Qt::QueuedConnection);
    }
    return QObject::event(event);
}

} // namespace QForkRpcDetail
