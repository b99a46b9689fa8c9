// SPDX-License-Identifier: MIT
// FrameReader on its own, no processes: frames arriving whole, byte by byte and split at every
// point, large payloads read straight into their own buffer, corrupt and lying headers. And
// FrameWriter feeding it through a real socketpair, with payloads made of several pieces.
// Both are internal (hidden in the shared library): this test links qforkrpc_internal.
#include "wire/framereader_p.h"
#include "wire/framewriter_p.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QList>
#include <QtTest/QTest>

#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace QForkRpcDetail;

Q_DECLARE_METATYPE(FrameType)

namespace {

constexpr qsizetype headerSize = qsizetype(sizeof(FrameHeader));
constexpr qsizetype MiB = 1024 * 1024;

QByteArray header(quint32 type, quint32 id, quint32 length)
{
    const FrameHeader h { type, id, length };
    return QByteArray(reinterpret_cast<const char *>(&h), headerSize);
}

QByteArray frameBytes(FrameType type, quint32 id, const QByteArray &payload)
{
    return header(quint32(type), id, quint32(payload.size())) + payload;
}

// A payload whose every byte depends on its position, NULs included, so that a byte landing in
// the wrong place shows.
QByteArray pattern(qsizetype size, int seed = 0)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed) % 251);
    return bytes;
}

// This process's resident memory, from /proc.
qsizetype residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

struct Expected
{
    FrameType type;
    quint32 id;
    QByteArray payload;
};

// One reserve() as the reader handed it out: where, how much, and how many bytes of the stream
// had been fed before it.
struct Reservation
{
    const char *where;
    qsizetype capacity;
    qsizetype fedBefore;
};

// Feeds `bytes` the way a socket reader does: each read takes at most what reserve() offers and
// at most `piece` bytes, then takeFrame() runs until it returns false. Checks on the way that
// reserve() always offers room (a capacity of 0 would look like the end of the stream).
struct Feeder
{
    FrameReader reader;
    QList<Frame> frames;
    QList<Reservation> reservations;
    qsizetype fed = 0;

    void feed(const QByteArray &bytes, qsizetype piece)
    {
        qsizetype offset = 0;
        while (offset < bytes.size()) {
            qsizetype capacity = -1;
            char *space = reader.reserve(&capacity);
            QVERIFY(space);
            QVERIFY2(capacity > 0, "reserve() offered no room");
            reservations.append({ space, capacity, fed });
            const qsizetype n = std::min({ capacity, piece, bytes.size() - offset });
            std::memcpy(space, bytes.constData() + offset, size_t(n));
            reader.commit(n);
            offset += n;
            fed += n;
            Frame frame;
            while (reader.takeFrame(&frame))
                frames.append(std::move(frame));
        }
    }
};

void compareFrames(const QList<Frame> &got, const QList<Expected> &expected)
{
    QCOMPARE(got.size(), expected.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        QCOMPARE(got.at(i).type, expected.at(i).type);
        QCOMPARE(got.at(i).id, expected.at(i).id);
        QCOMPARE(got.at(i).payload.size(), expected.at(i).payload.size());
        // QCOMPARE on two 5 MiB arrays would print them; find the first difference instead.
        if (got.at(i).payload != expected.at(i).payload) {
            const QByteArray &a = got.at(i).payload;
            const QByteArray &b = expected.at(i).payload;
            qsizetype at = 0;
            while (at < a.size() && a.at(at) == b.at(at))
                ++at;
            QFAIL(
                qPrintable(QStringLiteral("frame %1: payload differs at byte %2").arg(i).arg(at)));
        }
    }
}

QByteArray streamOf(const QList<Expected> &frames)
{
    QByteArray stream;
    for (const Expected &e : frames)
        stream += frameBytes(e.type, e.id, e.payload);
    return stream;
}

} // namespace

class tst_FrameReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freshReaderIsIdle()
    {
        FrameReader reader;
        Frame frame;
        QVERIFY(!reader.takeFrame(&frame));
        QVERIFY(!reader.failed());
        QVERIFY(reader.error().isEmpty());
        QVERIFY(!reader.inMiddleOfFrame());
        qsizetype capacity = 0;
        QVERIFY(reader.reserve(&capacity));
        QVERIFY(capacity >= FrameReader::chunkSize);
    }

    void oneFrame_data()
    {
        QTest::addColumn<FrameType>("type");
        QTest::addColumn<quint32>("id");
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("empty payload") << FrameType::Result << 1u << QByteArray();
        QTest::newRow("one byte") << FrameType::Request << 7u << QByteArray("x");
        QTest::newRow("binary with NULs") << FrameType::Event << 0u << QByteArray("\0a\0\xff\0", 5);
        QTest::newRow("1000 bytes") << FrameType::Result << 0xFFFFFFFFu << pattern(1000);
        QTest::newRow("hello") << FrameType::Hello << 0u << pattern(12, 3);
        QTest::newRow("setup") << FrameType::Setup << 0u << pattern(40, 4);
        QTest::newRow("call failed") << FrameType::CallFailed << 3u << pattern(20, 5);
        QTest::newRow("error") << FrameType::Error << 0u << pattern(21, 6);
        QTest::newRow("fatal") << FrameType::Fatal << 0u << pattern(22, 7);
        // The largest payload read through the shared buffer, and the smallest read on its own.
        QTest::newRow("threshold")
            << FrameType::Result << 2u << pattern(FrameReader::largeFrameThreshold);
        QTest::newRow("threshold + 1")
            << FrameType::Result << 3u << pattern(FrameReader::largeFrameThreshold + 1);
        QTest::newRow("two chunks + 5")
            << FrameType::Result << 4u << pattern(2 * FrameReader::chunkSize + 5);
    }
    void oneFrame()
    {
        QFETCH(FrameType, type);
        QFETCH(quint32, id);
        QFETCH(QByteArray, payload);
        const QByteArray stream = frameBytes(type, id, payload);
        const QList<Expected> expected { { type, id, payload } };

        // In one piece, then byte by byte.
        for (qsizetype piece : { stream.size(), qsizetype(1) }) {
            Feeder f;
            f.feed(stream, piece);
            if (QTest::currentTestFailed())
                return;
            compareFrames(f.frames, expected);
            if (QTest::currentTestFailed())
                return;
            QVERIFY(!f.reader.inMiddleOfFrame());
            QVERIFY(!f.reader.failed());
        }

        // Split in two at every point (for the large rows, every point in the header and around
        // the threshold and the end, as every point would take minutes).
        QList<qsizetype> splits;
        if (stream.size() <= 4096) {
            for (qsizetype i = 1; i < stream.size(); ++i)
                splits << i;
        } else {
            for (qsizetype i = 1; i <= 2 * headerSize; ++i)
                splits << i;
            for (qsizetype i = -2; i <= 2; ++i)
                splits << FrameReader::chunkSize + i
                       << FrameReader::largeFrameThreshold + headerSize + i;
            for (qsizetype i = 1; i <= 3; ++i)
                splits << stream.size() - i;
        }
        for (qsizetype split : std::as_const(splits)) {
            if (split <= 0 || split >= stream.size())
                continue;
            Feeder f;
            f.feed(stream.left(split), stream.size());
            QVERIFY2(f.frames.isEmpty(),
                qPrintable(QStringLiteral("a frame came out after %1 bytes").arg(split)));
            QVERIFY2(
                f.reader.inMiddleOfFrame(), qPrintable(QStringLiteral("split at %1").arg(split)));
            f.feed(stream.mid(split), stream.size());
            if (QTest::currentTestFailed())
                return;
            compareFrames(f.frames, expected);
            if (QTest::currentTestFailed()) {
                qWarning("split at %lld", qlonglong(split));
                return;
            }
            QVERIFY(!f.reader.inMiddleOfFrame());
        }
    }

    void manySmallFramesInOneChunk_data()
    {
        QTest::addColumn<qsizetype>("piece");
        QTest::newRow("whole stream") << qsizetype(1) * 1024 * MiB;
        QTest::newRow("bytewise") << qsizetype(1);
        QTest::newRow("7 bytes") << qsizetype(7);
        QTest::newRow("4 KiB") << qsizetype(4096);
        QTest::newRow("64 KiB + 12") << FrameReader::chunkSize + headerSize;
    }
    void manySmallFramesInOneChunk()
    {
        QFETCH(qsizetype, piece);
        QList<Expected> expected;
        for (int i = 0; i < 5000; ++i)
            expected.append({ FrameType(1 + i % 8), quint32(i), pattern(i % 97, i) });
        const QByteArray stream = streamOf(expected);
        QVERIFY(stream.size() > 2 * FrameReader::chunkSize); // several reads even when whole

        Feeder f;
        f.feed(stream, piece);
        if (QTest::currentTestFailed())
            return;
        compareFrames(f.frames, expected);
        QVERIFY(!f.reader.inMiddleOfFrame());
        // Small frames never need a buffer larger than two chunks.
        for (const Reservation &r : std::as_const(f.reservations))
            QVERIFY(r.capacity <= 2 * FrameReader::chunkSize);
    }

    void largeFrameIsReadIntoItsPayload_data()
    {
        QTest::addColumn<qsizetype>("piece");
        QTest::newRow("socket-sized reads") << FrameReader::chunkSize;
        QTest::newRow("odd reads") << qsizetype(100003);
        QTest::newRow("as much as offered") << qsizetype(1) * 1024 * MiB;
    }
    void largeFrameIsReadIntoItsPayload()
    {
        QFETCH(qsizetype, piece);
        const QByteArray payload = pattern(5 * MiB, 42);
        const QByteArray stream = frameBytes(FrameType::Result, 42, payload);

        Feeder f;
        f.feed(stream, piece);
        if (QTest::currentTestFailed())
            return;
        compareFrames(f.frames, { { FrameType::Result, 42, payload } });
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!f.reader.inMiddleOfFrame());

        // After the first read, which goes to the shared buffer and holds the header, every
        // reserve() points into the payload: at the byte the stream has reached, offering no
        // more than the rest of the frame. Between two growths of the payload buffer the place
        // moves on by exactly what was read, and after the last growth it is the buffer that was
        // handed out as frame.payload, so no byte was copied after the first read.
        const Frame &frame = f.frames.first();
        QVERIFY(f.reservations.size() >= 2);
        // The payload buffer is allocated at the frame's length at once: a reader taking all it
        // is offered needs one read for the header's chunk and one for the rest.
        if (piece >= stream.size())
            QCOMPARE(f.reservations.size(), 2);
        const char *base = nullptr;
        for (qsizetype i = 1; i < f.reservations.size(); ++i) {
            const Reservation &r = f.reservations.at(i);
            const qsizetype offset = r.fedBefore - headerSize;
            QVERIFY(offset > 0);
            QVERIFY2(r.capacity <= payload.size() - offset,
                qPrintable(
                    QStringLiteral("reserve %1 offers %2 bytes, more than the %3 left in the frame")
                        .arg(i)
                        .arg(r.capacity)
                        .arg(payload.size() - offset)));
            base = r.where - offset;
        }
        QCOMPARE(
            static_cast<const void *>(base), static_cast<const void *>(frame.payload.constData()));
        const Reservation &last = f.reservations.last();
        QCOMPARE(last.fedBefore + last.capacity, stream.size()); // the last read fills the frame
    }

    void mixedSmallLargeSmall_data()
    {
        QTest::addColumn<qsizetype>("piece");
        QTest::newRow("whole stream") << qsizetype(1) * 1024 * MiB;
        QTest::newRow("bytewise") << qsizetype(1);
        QTest::newRow("13 bytes") << qsizetype(13);
        QTest::newRow("64 KiB") << FrameReader::chunkSize;
        QTest::newRow("64 KiB + 12") << FrameReader::chunkSize + headerSize;
        QTest::newRow("1 MiB") << MiB;
    }
    void mixedSmallLargeSmall()
    {
        QFETCH(qsizetype, piece);
        const QList<Expected> expected {
            { FrameType::Event, 0, pattern(10, 1) },
            { FrameType::Result, 1, pattern(3, 2) },
            { FrameType::Result, 2, pattern(300 * 1024, 3) }, // large
            { FrameType::Event, 0, QByteArray() },
            { FrameType::Result, 3,
                pattern(FrameReader::largeFrameThreshold + 1, 4) }, // just large
            { FrameType::Result, 4, pattern(FrameReader::largeFrameThreshold, 5) }, // just small
            { FrameType::Result, 5, pattern(2 * MiB + 1, 6) }, // larger than the first allocation
            { FrameType::CallFailed, 6, pattern(7, 7) },
            { FrameType::Result, 7, pattern(1, 8) },
        };
        Feeder f;
        f.feed(streamOf(expected), piece);
        if (QTest::currentTestFailed())
            return;
        compareFrames(f.frames, expected);
        QVERIFY(!f.reader.inMiddleOfFrame());
        QVERIFY(!f.reader.failed());
    }

    void zeroLengthPayloads()
    {
        QList<Expected> expected;
        for (quint32 i = 0; i < 50; ++i)
            expected.append({ FrameType::Result, i, QByteArray() });
        // ... also right after a large frame, which leaves the large-frame state behind.
        expected.append({ FrameType::Result, 50, pattern(FrameReader::largeFrameThreshold + 100) });
        expected.append({ FrameType::Event, 0, QByteArray() });
        expected.append({ FrameType::Result, 51, QByteArray() });
        const QByteArray stream = streamOf(expected);
        for (qsizetype piece : { stream.size(), qsizetype(1), headerSize, headerSize - 1 }) {
            Feeder f;
            f.feed(stream, piece);
            if (QTest::currentTestFailed())
                return;
            compareFrames(f.frames, expected);
            if (QTest::currentTestFailed())
                return;
            for (const Frame &frame : std::as_const(f.frames))
                if (frame.id != 50)
                    QVERIFY(frame.payload.isEmpty());
            QVERIFY(!f.reader.inMiddleOfFrame());
        }
    }

    void unknownFrameTypeFailsTheStream_data()
    {
        QTest::addColumn<quint32>("type");
        QTest::addColumn<bool>("afterGoodFrame");
        QTest::newRow("0") << 0u << false;
        QTest::newRow("14") << 14u << false;
        QTest::newRow("0xFFFFFFFF") << 0xFFFFFFFFu << false;
        QTest::newRow("14 after a good frame") << 14u << true;
    }
    void unknownFrameTypeFailsTheStream()
    {
        QFETCH(quint32, type);
        QFETCH(bool, afterGoodFrame);
        QByteArray stream;
        if (afterGoodFrame)
            stream += frameBytes(FrameType::Result, 1, "good");
        stream += header(type, 2, 3) + "bad";
        stream += frameBytes(FrameType::Result, 3, "never seen");

        Feeder f;
        f.feed(stream, stream.size());
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(f.frames.size(), afterGoodFrame ? 1 : 0);
        QVERIFY(f.reader.failed());
        QVERIFY2(f.reader.error().contains(QStringLiteral("unknown frame type %1").arg(type)),
            qPrintable(f.reader.error()));
        // A failed reader stays failed, whatever arrives after.
        Frame frame;
        QVERIFY(!f.reader.takeFrame(&frame));
        f.feed(frameBytes(FrameType::Result, 4, "later"), 1024);
        QCOMPARE(f.frames.size(), afterGoodFrame ? 1 : 0);
        QVERIFY(f.reader.failed());
    }

    // A lying length reserves bounded address space, and memory is only used as bytes arrive.
    void lyingLengthAllocatesOnlyWhatArrives()
    {
        const qsizetype residentBefore = residentBytes();
        // A header claiming 4 GiB - 1 bytes, followed by 10.
        Feeder f;
        f.feed(header(quint32(FrameType::Result), 1, 0xFFFFFFFFu) + pattern(10), 1024);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(f.frames.isEmpty());
        QVERIFY(!f.reader.failed());
        QVERIFY(f.reader.inMiddleOfFrame());
        qsizetype capacity = 0;
        QVERIFY(f.reader.reserve(&capacity));
        QVERIFY2(10 + capacity <= 32 * MiB,
            qPrintable(
                QStringLiteral("the reader reserves %1 bytes for 10 received").arg(10 + capacity)));
        QVERIFY2(residentBytes() - residentBefore < 4 * MiB,
            qPrintable(QStringLiteral("%1 bytes resident for 10 received")
                           .arg(residentBytes() - residentBefore)));

        // As more arrives the buffer grows with it, never far ahead of what was received.
        const QByteArray more = pattern(40 * MiB, 9);
        f.feed(more, FrameReader::chunkSize);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(f.frames.isEmpty());
        QVERIFY(f.reader.inMiddleOfFrame());
        for (const Reservation &r : std::as_const(f.reservations)) {
            const qsizetype received = r.fedBefore - headerSize;
            QVERIFY2(received + r.capacity <= 2 * received + 32 * MiB,
                qPrintable(QStringLiteral("%1 bytes held after %2 received")
                               .arg(received + r.capacity)
                               .arg(received)));
        }
    }

    // Frames whose payloads are several pieces (large ones shared, small ones packed) arrive
    // through a socketpair as the frames their pieces make, in order, however the socket splits
    // the stream; and the writer copies none of the large pieces.
    void writerSendsPiecesAsOneFrameInOrder()
    {
        int fds[2];
        QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds), 0);
        const QByteArray large = pattern(3 * MiB, 1);
        const QByteArray medium = pattern(5000, 2); // above the writer's small-payload size
        QList<FramePayload> payloads;
        payloads << FramePayload(QByteArray("tiny"));
        FramePayload mixed;
        mixed.append(QByteArray("head"));
        mixed.append(large);
        mixed.append(QByteArray("middle"));
        mixed.append(medium);
        mixed.append(QByteArray("tail"));
        payloads << mixed << FramePayload() << FramePayload(large)
                 << FramePayload(QByteArray("last"));

        FrameWriter writer;
        QList<Expected> expected;
        quint32 id = 1;
        for (const FramePayload &payload : payloads) {
            writer.append(FrameType::Result, id, payload);
            QByteArray joined;
            for (const QByteArray &piece : payload.pieces())
                joined += piece;
            expected.append({ FrameType::Result, id++, joined });
        }
        QCOMPARE(writer.queuedBytes(), streamOf(expected).size());

        Feeder f;
        while (!writer.isEmpty() || f.frames.size() < expected.size()) {
            if (!writer.isEmpty() && !writer.flush(fds[0]))
                QCOMPARE(errno, EAGAIN);
            qsizetype capacity = 0;
            char *space = f.reader.reserve(&capacity);
            const ssize_t n = read(fds[1], space, size_t(capacity));
            if (n < 0) {
                QCOMPARE(errno, EAGAIN);
                pollfd p { fds[0], POLLOUT, 0 };
                QVERIFY(poll(&p, 1, 5000) > 0);
                continue;
            }
            QVERIFY(n > 0);
            f.reader.commit(n);
            Frame frame;
            while (f.reader.takeFrame(&frame))
                f.frames.append(std::move(frame));
        }
        QCOMPARE(writer.queuedBytes(), 0);
        compareFrames(f.frames, expected);
        close(fds[0]);
        close(fds[1]);
    }

    // Descriptors go with the frames that carry them, however the writer batches and however
    // the reader's reads cut the stream; a payload past the threshold goes as a sealed memfd and
    // comes out as the same bytes. Nothing stays open afterwards.
    void writerSendsDescriptorsWithTheirFrames()
    {
        const auto openFds = [] {
            return QDir(QStringLiteral("/proc/self/fd"))
                .entryList(QDir::NoDotAndDotDot | QDir::System)
                .size();
        };
        const qsizetype before = openFds();
        int fds[2];
        QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds), 0);
        const QByteArray large = pattern(2 * MiB, 3);
        {
            FrameWriter writer;
            writer.setSharedMemoryThreshold(MiB);
            QList<Expected> expected;
            QList<int> descriptorCounts;
            for (quint32 id = 1; id <= 200; ++id) {
                FramePayload payload(id % 50 == 0 ? large : QByteArray::number(id));
                const int count = id % 3 == 0 ? int(id % 5) : 0;
                for (int i = 0; i < count; ++i) {
                    int ends[2];
                    QCOMPARE(pipe2(ends, O_CLOEXEC), 0);
                    const QByteArray mark = QByteArray::number(id * 10 + quint32(i));
                    QCOMPARE(write(ends[1], mark.constData(), size_t(mark.size())), mark.size());
                    close(ends[1]);
                    payload.descriptors.append(QForkRpcFd::fromFd(ends[0]));
                    close(ends[0]);
                }
                writer.append(FrameType::Result, id, payload);
                expected.append({ FrameType::Result, id, payload.joined() });
                descriptorCounts.append(count);
            }
            Feeder f;
            while (!writer.isEmpty() || f.frames.size() < expected.size()) {
                if (!writer.isEmpty() && !writer.flush(fds[0]))
                    QCOMPARE(errno, EAGAIN);
                // The kernel ends a read at each frame with descriptors: many short reads.
                qsizetype capacity = 0;
                const ssize_t n = f.reader.readFrom(fds[1], &capacity, false);
                QVERIFY2(!f.reader.failed(), qPrintable(f.reader.error()));
                if (n < 0) {
                    QCOMPARE(errno, EAGAIN);
                    continue;
                }
                Frame frame;
                while (f.reader.takeFrame(&frame))
                    f.frames.append(std::move(frame));
                QVERIFY2(!f.reader.failed(), qPrintable(f.reader.error()));
            }
            compareFrames(f.frames, expected);
            for (qsizetype i = 0; i < f.frames.size(); ++i) {
                const Frame &frame = f.frames.at(i);
                QCOMPARE(frame.descriptors.size(), descriptorCounts.at(i));
                for (qsizetype d = 0; d < frame.descriptors.size(); ++d) {
                    char text[32] = {};
                    const ssize_t n = read(frame.descriptors.at(d).fd(), text, sizeof text);
                    QCOMPARE(QByteArray(text, int(std::max<ssize_t>(n, 0))),
                        QByteArray::number(quint32(frame.id) * 10 + quint32(d)));
                }
            }
        }
        close(fds[0]);
        close(fds[1]);
        QCOMPARE(openFds(), before);
    }

    // Flushed after every frame, as the sync worker does, the writer keeps a written buffer for
    // the next frame. It must only ever keep a buffer nobody else holds: a payload the caller
    // still has must come out of it unchanged, and every frame must still be what was appended.
    void writerFlushedPerFrameReusesItsBuffer()
    {
        int fds[2];
        QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        const QByteArray held = pattern(5000, 3); // shared with the writer while it is queued
        const QByteArray heldCopy(held.constData(), held.size());
        FrameWriter writer;
        Feeder f;
        QList<Expected> expected;
        for (quint32 id = 1; id <= 60; ++id) {
            QByteArray payload;
            switch (id % 4) {
            case 0:
                payload = held;
                break;
            case 1:
                payload = pattern(6000 + id, 4);
                break; // only the writer holds it once queued
            case 2:
                payload = QByteArray("small ") + QByteArray::number(id);
                break;
            default:
                break; // empty
            }
            writer.append(FrameType::Result, id, FramePayload(payload));
            expected.append({ FrameType::Result, id, payload });
            payload = QByteArray();
            QVERIFY(writer.flushBlocking(fds[0]));
            QVERIFY(writer.isEmpty());
            QCOMPARE(writer.queuedBytes(), 0);
            while (f.frames.size() < expected.size()) {
                qsizetype capacity = 0;
                char *space = f.reader.reserve(&capacity);
                const ssize_t n = read(fds[1], space, size_t(capacity));
                QVERIFY(n > 0);
                f.reader.commit(n);
                Frame frame;
                while (f.reader.takeFrame(&frame))
                    f.frames.append(std::move(frame));
            }
        }
        compareFrames(f.frames, expected);
        QCOMPARE(held, heldCopy);
        close(fds[0]);
        close(fds[1]);
    }

    void partialHeaderIsMiddleOfFrame()
    {
        const QByteArray stream = frameBytes(FrameType::Result, 1, "abc");
        for (qsizetype n = 1; n < stream.size(); ++n) {
            Feeder f;
            f.feed(stream.left(n), 1);
            QVERIFY(f.frames.isEmpty());
            QVERIFY2(f.reader.inMiddleOfFrame(), qPrintable(QString::number(n)));
        }
    }
};

QTEST_GUILESS_MAIN(tst_FrameReader)
#include "tst_framereader.moc"
