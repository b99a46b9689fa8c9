// SPDX-License-Identifier: MIT
#include "qtfloor.h"

#include "floorworkloads.h"
#include "report.h"

#include <QtNetwork/QLocalSocket>

#include <cstring>
#include <fcntl.h>

namespace Bench {

const QString qtFloorName = QStringLiteral("Qt floor");

QtFloor::QtFloor() = default;

QtFloor::~QtFloor()
{
    stop();
}

bool QtFloor::start(std::string *error)
{
    if (!m_child.start(error))
        return false;
    // The socket gets its own descriptor: the child sees the end of its input once both are closed.
    const int fd = fcntl(m_child.fd(), F_DUPFD_CLOEXEC, 0);
    m_socket = std::make_unique<QLocalSocket>();
    if (fd < 0 || !m_socket->setSocketDescriptor(fd)) {
        *error = "QLocalSocket::setSocketDescriptor failed";
        stop();
        return false;
    }
    QObject::connect(m_socket.get(), &QLocalSocket::readyRead, [this] { readReplies(); });
    return true;
}

bool QtFloor::stop()
{
    m_replies.clear();
    m_buffer.clear();
    if (m_socket) {
        m_socket->abort();
        m_socket.reset();
    }
    return m_child.stop();
}

void QtFloor::send(char op, const char *data, size_t size, Reply reply)
{
    const uint32_t length = uint32_t(size + 1);
    QByteArray frame;
    frame.reserve(qsizetype(sizeof length + length));
    frame.append(reinterpret_cast<const char *>(&length), sizeof length);
    frame.append(op);
    frame.append(data, qsizetype(size));
    m_socket->write(frame);
    m_replies.push_back(std::move(reply));
}

void QtFloor::flush()
{
    m_socket->flush();
}

void QtFloor::readReplies()
{
    if (m_buffer.isEmpty())
        m_buffer = m_socket->readAll();
    else
        m_buffer += m_socket->readAll();
    qsizetype at = 0;
    uint32_t length = 0;
    while (m_buffer.size() - at >= qsizetype(sizeof length)) {
        std::memcpy(&length, m_buffer.constData() + at, sizeof length);
        if (m_buffer.size() - at - qsizetype(sizeof length) < qsizetype(length))
            break;
        if (m_replies.empty()) {
            qtFail(QStringLiteral("a reply nobody asked for"));
            return;
        }
        const Reply reply = std::move(m_replies.front());
        m_replies.pop_front();
        reply(m_buffer.constData() + at + sizeof length, length);
        at += qsizetype(sizeof length + length);
    }
    if (at == m_buffer.size())
        m_buffer.clear();
    else
        m_buffer.remove(0, at);
}

bool qtFail(const QString &what)
{
    fail(qtFloorName + QStringLiteral(": ") + what);
    return false;
}

namespace {

void queueTinyCall(QtFloor &floor, QtFloor::Reply reply)
{
    floor.send(RawFloor::opRmdir, nonexistentPath, sizeof nonexistentPath - 1, std::move(reply));
}

void sendTinyCall(QtFloor &floor, QtFloor::Reply reply)
{
    queueTinyCall(floor, std::move(reply));
    floor.flush();
}

// A failed wait leaves callbacks behind that point into the caller's stack: they go with the
// child.
bool failed(QtFloor &floor)
{
    floor.stop();
    return false;
}

bool qtEcho(QtFloor &floor, const QByteArray &data, const Params &params, double *microseconds)
{
    Waiter waiter;
    bool right = false;
    Clock::time_point end;
    const Clock::time_point start = Clock::now();
    floor.send(RawFloor::opEcho, data.constData(), size_t(data.size()),
        [&](const char *reply, size_t size) {
            end = Clock::now();
            right = size == size_t(data.size()) && std::memcmp(reply, data.constData(), size) == 0;
            waiter.finish();
        });
    floor.flush();
    if (!waiter.wait(params.timeoutMs, qtFloorName + QStringLiteral(": echo")))
        return failed(floor);
    if (!right)
        return qtFail(QStringLiteral("wrong result of an echo of %1").arg(sizeText(data.size())));
    *microseconds = microsecondsBetween(start, end);
    return true;
}

} // namespace

bool qtLatency(QtFloor &floor, int n, const Params &params, double *microsecondsPerCall)
{
    // The callbacks capture one pointer, as QForkRpc's do in workloads.cpp: no allocation per call.
    struct Chain
    {
        QtFloor *floor;
        Waiter waiter;
        int remaining;
        QtFloor::Reply next;
    } chain { &floor, {}, n, {} };
    chain.next = [c = &chain](const char *reply, size_t size) {
        if (!rawRmdirOk(reply, size)) {
            qtFail(QStringLiteral("wrong result of a tiny call"));
            return;
        }
        if (--c->remaining == 0)
            c->waiter.finish();
        else
            sendTinyCall(*c->floor, c->next);
    };
    const Clock::time_point start = Clock::now();
    sendTinyCall(floor, chain.next);
    if (!chain.waiter.wait(params.timeoutMs, qtFloorName + QStringLiteral(": sequential calls")))
        return failed(floor);
    *microsecondsPerCall = microsecondsBetween(start, Clock::now()) / n;
    return true;
}

bool qtThroughput(QtFloor &floor, int n, const Params &params, double *callsPerSecond)
{
    struct State
    {
        Waiter waiter;
        int expected;
        int received = 0;
        bool reported = false;
    } state { {}, n };
    const QtFloor::Reply counted = [s = &state](const char *reply, size_t size) {
        if (!rawRmdirOk(reply, size)) {
            if (!s->reported)
                qtFail(QStringLiteral("wrong result of a queued call"));
            s->reported = true;
            return;
        }
        if (++s->received == s->expected)
            s->waiter.finish();
    };
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < n; ++i)
        queueTinyCall(floor, counted);
    floor.flush();
    if (!state.waiter.wait(params.timeoutMs, qtFloorName + QStringLiteral(": queued calls")))
        return failed(floor);
    *callsPerSecond = n / (microsecondsBetween(start, Clock::now()) / 1e6);
    return true;
}

bool qtSpawn(const Params &params, double *microseconds)
{
    const Clock::time_point start = Clock::now();
    QtFloor floor;
    std::string error;
    if (!floor.start(&error))
        return qtFail(QString::fromStdString(error));
    Waiter waiter;
    bool right = false;
    Clock::time_point answered;
    sendTinyCall(floor, [&](const char *reply, size_t size) {
        answered = Clock::now();
        right = rawRmdirOk(reply, size);
        waiter.finish();
    });
    if (!waiter.wait(params.timeoutMs, qtFloorName + QStringLiteral(": first call")))
        return false;
    if (!right)
        return qtFail(QStringLiteral("wrong result of the first call"));
    if (!floor.stop())
        return qtFail(QStringLiteral("the child did not exit cleanly"));
    *microseconds = microsecondsBetween(start, answered);
    return true;
}

void runQtSweep(const Params &params)
{
    QtFloor floor;
    std::string error;
    if (!floor.start(&error)) {
        qtFail(QString::fromStdString(error));
        return;
    }
    for (const qint64 size : params.sweepSizes) {
        const QByteArray data = sweepPayload(size);
        QList<double> samples;
        if (!sweepSamples(
                params, [&](double *us) { return qtEcho(floor, data, params, us); }, &samples))
            return;
        addSweepRows(qtFloorName, size, samples);
    }
    if (!floor.stop())
        qtFail(QStringLiteral("the child did not exit cleanly"));
}

} // namespace Bench
