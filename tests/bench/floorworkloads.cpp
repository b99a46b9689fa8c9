// SPDX-License-Identifier: MIT
#include "floorworkloads.h"

#include "report.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace Bench {

bool rawRmdirOk(const char *reply, size_t size)
{
    if (size < 1 || reply[0] != '0')
        return false;
    return enoentBytes.contains(QByteArray(reply + 1, qsizetype(size - 1)));
}

namespace {

bool rawTinyCall(RawFloor::Connection &connection)
{
    const char *reply;
    size_t size;
    if (!connection.call(
            RawFloor::opRmdir, nonexistentPath, sizeof nonexistentPath - 1, &reply, &size))
        return rawFail(QStringLiteral("the tiny call broke off"));
    if (!rawRmdirOk(reply, size))
        return rawFail(QStringLiteral("wrong result of a tiny call: %1")
                           .arg(QString::fromLocal8Bit(reply, qsizetype(size))));
    return true;
}

bool rawEcho(RawFloor::Connection &connection, const QByteArray &data, double *microseconds)
{
    const char *reply;
    size_t replySize;
    const Clock::time_point start = Clock::now();
    if (!connection.send(RawFloor::opEcho, data.constData(), size_t(data.size()))
        || !connection.receive(&reply, &replySize))
        return rawFail(QStringLiteral("an echo of %1 broke off").arg(sizeText(data.size())));
    const Clock::time_point end = Clock::now();
    if (replySize != size_t(data.size()) || std::memcmp(reply, data.constData(), replySize) != 0)
        return rawFail(QStringLiteral("wrong result of an echo of %1 (%2 bytes back)")
                           .arg(sizeText(data.size()))
                           .arg(replySize));
    *microseconds = microsecondsBetween(start, end);
    return true;
}

} // namespace

bool rawFail(const QString &what)
{
    fail(floorName + QStringLiteral(": ") + what);
    return false;
}

bool rawBulk(RawFloor::Connection &connection, bool bigResult, const QByteArray &data,
    qsizetype size, double *megabytesPerSecond)
{
    const char *reply;
    size_t replySize;
    const Clock::time_point start = Clock::now();
    bool sent;
    if (bigResult) {
        const uint64_t count = uint64_t(size);
        sent = connection.send(
            RawFloor::opBytes, reinterpret_cast<const char *>(&count), sizeof count);
    } else {
        sent = connection.send(RawFloor::opLength, data.constData(), size_t(data.size()));
    }
    if (!sent || !connection.receive(&reply, &replySize))
        return rawFail(QStringLiteral("a bulk transfer broke off"));
    const Clock::time_point end = Clock::now();
    bool right;
    if (bigResult) {
        right = replySize == size_t(size)
            && std::all_of(reply, reply + replySize, [](char c) { return c == 'x'; });
    } else {
        uint64_t length = 0;
        right = replySize == sizeof length;
        if (right)
            std::memcpy(&length, reply, sizeof length);
        right = right && length == uint64_t(size);
    }
    if (!right)
        return rawFail(QStringLiteral("wrong result of a bulk transfer"));
    *megabytesPerSecond = double(size) / microsecondsBetween(start, end);
    return true;
}

bool rawLatency(RawFloor::Connection &connection, int n, double *microsecondsPerCall)
{
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < n; ++i) {
        if (!rawTinyCall(connection))
            return false;
    }
    *microsecondsPerCall = microsecondsBetween(start, Clock::now()) / n;
    return true;
}

bool rawThroughput(RawFloor::Connection &connection, int n, double *callsPerSecond)
{
    const Clock::time_point start = Clock::now();
    bool writeFailed = false;
    std::thread writer([&] {
        std::string batch;
        batch.reserve(64 * 1024 + 256);
        for (int i = 0; i < n; ++i) {
            RawFloor::appendRequest(
                batch, RawFloor::opRmdir, nonexistentPath, sizeof nonexistentPath - 1);
            if (batch.size() >= 64 * 1024 || i == n - 1) {
                if (!RawFloor::writeAll(connection.fd(), batch.data(), batch.size())) {
                    writeFailed = true;
                    return;
                }
                batch.clear();
            }
        }
    });
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
        const char *reply;
        size_t size;
        ok = connection.receive(&reply, &size) && rawRmdirOk(reply, size);
    }
    const Clock::time_point end = Clock::now();
    if (!ok) // unblock the writer, should it wait for the child
        shutdown(connection.fd(), SHUT_RDWR);
    writer.join();
    if (!ok || writeFailed)
        return rawFail(QStringLiteral("queued calls broke off or returned something wrong"));
    *callsPerSecond = n / (microsecondsBetween(start, end) / 1e6);
    return true;
}

bool rawSpin(RawFloor::Connection &connection, quint64 n, double *nanosecondsPerRead)
{
    const uint64_t count = n;
    const char *reply;
    size_t size;
    if (!connection.call(
            RawFloor::opSpin, reinterpret_cast<const char *>(&count), sizeof count, &reply, &size))
        return rawFail(QStringLiteral("the check loop broke off"));
    uint64_t setCount = 0;
    double nanoseconds = 0;
    if (size != sizeof setCount + sizeof nanoseconds)
        return rawFail(QStringLiteral("wrong reply of the check loop (%1 bytes)").arg(size));
    std::memcpy(&setCount, reply, sizeof setCount);
    std::memcpy(&nanoseconds, reply + sizeof setCount, sizeof nanoseconds);
    if (setCount != 0 || !(nanoseconds > 0))
        return rawFail(QStringLiteral("wrong result of the check loop: %1 set, %2 ns a read")
                           .arg(setCount)
                           .arg(nanoseconds));
    *nanosecondsPerRead = nanoseconds;
    return true;
}

void runRawSweep(const Params &params)
{
    RawFloor::Connection connection;
    std::string error;
    if (!connection.start(&error)) {
        rawFail(QString::fromStdString(error));
        return;
    }
    for (const qint64 size : params.sweepSizes) {
        const QByteArray data = sweepPayload(size);
        QList<double> samples;
        if (!sweepSamples(
                params, [&](double *us) { return rawEcho(connection, data, us); }, &samples))
            return;
        addSweepRows(floorName, size, samples);
    }
    if (!connection.stop())
        rawFail(QStringLiteral("the child did not exit cleanly"));
}

bool rawSpawn(double *microseconds)
{
    const Clock::time_point start = Clock::now();
    RawFloor::Connection connection;
    std::string error;
    if (!connection.start(&error))
        return rawFail(QString::fromStdString(error));
    if (!rawTinyCall(connection))
        return false;
    const Clock::time_point answered = Clock::now();
    if (!connection.stop())
        return rawFail(QStringLiteral("the child did not exit cleanly"));
    *microseconds = microsecondsBetween(start, answered);
    return true;
}

void runRawMemory(const Params &params)
{
    RawFloor::Connection connection;
    std::string error;
    if (!connection.start(&error)) {
        rawFail(QString::fromStdString(error));
        return;
    }
    if (!rawTinyCall(connection))
        return;
    usleep(useconds_t(params.w5SettleMs) * 1000);
    Memory memory;
    if (!readMemory(connection.pid(), &memory)) {
        rawFail(QStringLiteral("cannot read /proc/%1/smaps_rollup").arg(connection.pid()));
        return;
    }
    addMemoryRows(floorName, memory);
    if (!connection.stop())
        rawFail(QStringLiteral("the child did not exit cleanly"));
}

} // namespace Bench
