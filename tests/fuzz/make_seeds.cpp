// SPDX-License-Identifier: MIT
// Writes the seed corpus of every fuzz target: qforkrpc_fuzz_seeds tests/fuzz/corpus
// Valid messages are made with the library's own encoders, so they stay valid when the formats
// change; the rest (truncated, lying and garbage inputs) is made by hand. Deterministic: running
// it again writes the same files. Inputs the fuzzers found later can sit beside these.
#include "registry_p.h"
#include "serialisers/serialisers_p.h"
#include "wire/messages_p.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QDataStream>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QLocale>
#include <QtCore/QPointF>
#include <QtCore/QRect>
#include <QtCore/QRegularExpression>
#include <QtCore/QSize>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtCore/QVariantMap>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace QForkRpcDetail;

namespace {

// The setup's bytes (encoding fails only for init arguments datastream refuses).
QByteArray encodedSetup(const WorkerSetup &setup)
{
    FramePayload payload;
    QString reason;
    encodeSetup(setup, &payload, &reason, true);
    return payload.joined();
}

QString root;

void write(const char *target, const char *name, const QByteArray &bytes)
{
    const QString dir = root + QLatin1Char('/') + QLatin1String(target);
    QDir().mkpath(dir);
    QFile file(dir + QLatin1Char('/') + QLatin1String(name));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
        std::exit(1);
    }
}

QByteArray freeze(const char *serialiser, const QVariantList &values)
{
    return Registry::instance().serialiser(QLatin1String(serialiser))->freeze(values);
}

QByteArray frame(FrameType type, quint32 id, const QByteArray &payload)
{
    QByteArray bytes;
    appendFrameHeader(bytes, type, id, quint32(payload.size()));
    return bytes + payload;
}

QByteArray rawHeader(quint32 type, quint32 id, quint32 length)
{
    const FrameHeader header { type, id, length };
    return QByteArray(reinterpret_cast<const char *>(&header), sizeof header);
}

// fuzz_framereader's feeding plan (see fuzz_framereader.cpp): chunk sizes, padding, and the
// descriptors that come with each read.
struct ReadDescriptors
{
    quint8 pipeEnds = 0;
    int memfdKind = -1; // none; else fuzz_framereader.cpp's MemfdKind (0: sealed as the writer)
    quint32 memfdSize = 0;
};

QByteArray plan(std::initializer_list<quint16> chunks, quint32 padding = 0,
    std::initializer_list<ReadDescriptors> reads = {})
{
    QByteArray bytes;
    bytes.append(char(chunks.size() | (padding ? 8 : 0) | (reads.size() ? 16 : 0)));
    if (padding) {
        bytes.append(char(padding & 0xff));
        bytes.append(char((padding >> 8) & 0xff));
        bytes.append(char((padding >> 16) & 0xff));
    }
    if (reads.size()) {
        bytes.append(char(reads.size()));
        for (const ReadDescriptors &read : reads) {
            bytes.append(char(read.pipeEnds | (read.memfdKind >= 0 ? 0x80 : 0)));
            if (read.memfdKind >= 0) {
                bytes.append(char(read.memfdKind | 0x28)); // (bits 3-7 seed the bytes)
                bytes.append(char(read.memfdSize & 0xff));
                bytes.append(char((read.memfdSize >> 8) & 0xff));
                bytes.append(char((read.memfdSize >> 16) & 0xff));
            }
        }
    }
    for (quint16 chunk : chunks) {
        bytes.append(char(chunk & 0xff));
        bytes.append(char(chunk >> 8));
    }
    return bytes;
}

// A frame that carries `descriptors` (the memfd among them when `memfdLength` is set: then the
// payload is in it, and the header says its length).
QByteArray frameWith(
    FrameType type, quint32 id, const QByteArray &payload, int descriptors, qint64 memfdLength = -1)
{
    QByteArray bytes;
    const bool inMemfd = memfdLength >= 0;
    appendFrameHeader(bytes, type, id, inMemfd ? quint32(memfdLength) : quint32(payload.size()),
        descriptors, inMemfd);
    return inMemfd ? bytes : bytes + payload;
}

QByteArray garbage(int size, quint32 seed)
{
    QByteArray bytes;
    for (int i = 0; i < size; ++i) {
        seed = seed * 1103515245u + 12345u;
        bytes.append(char(seed >> 16));
    }
    return bytes;
}

QDateTime fixedTime()
{
    return QDateTime(QDate(2024, 2, 29), QTime(12, 34, 56, 789), Qt::UTC);
}

// Typical argument and result lists, for the serialisers that carry them.
QVariantList jsonValues()
{
    QVariantMap map;
    map.insert(QStringLiteral("name"), QStringLiteral("Grüße, 世界"));
    map.insert(QStringLiteral("list"), QVariantList { 1, 2.5, QVariant::fromValue(nullptr) });
    return { 42, -7.25, true, QStringLiteral("/tmp/somepath/1"),
        QVariantList { 1, QStringLiteral("two") }, map, qint64(1) << 53,
        QVariant::fromValue(nullptr) };
}

void frameReaderSeeds()
{
    const char *t = "fuzz_framereader";
    const QByteArray all = plan({}); // every read takes what reserve() offers
    const QByteArray request
        = frame(FrameType::Request, 1, freeze("octets", { QByteArray("hello") }));
    write(t, "request-small", all + request);
    write(t, "request-small-bytewise", plan({ 1 }) + request);
    // The Hello payload is the struct's bytes; its padding is zeroed so the file is deterministic.
    char hello[sizeof(Hello)] = {};
    const Hello fields { protocolVersion, 4242 };
    std::memcpy(hello, &fields.version, sizeof fields.version);
    std::memcpy(hello + offsetof(Hello, pid), &fields.pid, sizeof fields.pid);
    const QByteArray conversation = frame(FrameType::Hello, 0, QByteArray(hello, sizeof hello))
        + frame(FrameType::Ready, 0, QByteArray())
        + frame(
            FrameType::Event, 0, freeze("datastream", { 3, QStringLiteral("requests handled") }))
        + frame(FrameType::Result, 1, freeze("datastream", { true }))
        + frame(FrameType::CallFailed, 2,
            encodeErrorReport(
                { ErrorCode::CallThrew, { QStringLiteral("f"), QStringLiteral("boom") } }))
        + frame(FrameType::Error, 0,
            encodeErrorReport({ ErrorCode::DoneCalledTwice, { QStringLiteral("f") } }))
        + frame(FrameType::Result, 3, QByteArray());
    write(t, "worker-to-parent", all + conversation);
    write(t, "worker-to-parent-odd-chunks", plan({ 5, 13, 0, 2 }) + conversation);
    WorkerSetup setup;
    setup.function = QStringLiteral("MyWorker::run");
    setup.serialiser = QStringLiteral("octets");
    write(t, "parent-to-worker",
        all + frame(FrameType::Setup, 0, encodedSetup(setup)) + request
            + frame(FrameType::Request, 2, freeze("octets", { QByteArray("a"), QByteArray() })));
    // A header announcing 4 GiB - 1 with 10 bytes behind it: must cost at most about 1 MiB.
    write(t, "lying-length-4g",
        all + rawHeader(quint32(FrameType::Request), 1, 0xFFFFFFFFu) + QByteArray(10, 'x'));
    // The same with 3 MiB behind it (padding), read in small and in whole chunks.
    write(t, "lying-length-4g-3mib-fed",
        plan({}, 3 * 1024 * 1024) + rawHeader(quint32(FrameType::Result), 7, 0xFFFFFFFFu));
    write(t, "lying-length-4g-3mib-fed-chunked",
        plan({ 65535, 4096 }, 3 * 1024 * 1024)
            + rawHeader(quint32(FrameType::Result), 7, 0xFFFFFFFFu));
    // Large frames, just above the large-frame threshold and above the first allocation, whole.
    write(t, "large-frame-64k-plus-1",
        plan({ 1000 }, 65537) + rawHeader(quint32(FrameType::Request), 1, 65537));
    write(t, "large-frame-3mib-then-small",
        plan({ 0, 777 }, 3 * 1024 * 1024 + 12)
            + rawHeader(quint32(FrameType::Result), 1, 3 * 1024 * 1024)
        // the padding's last 12 zero bytes are read as a header of type 0: corrupt
    );
    write(t, "large-then-small",
        all + rawHeader(quint32(FrameType::Request), 1, 70000) + garbage(70000, 1) + request);
    // Truncated: in a header, in a payload.
    write(t, "truncated-header", all + request.left(7));
    write(t, "truncated-payload", all + request.left(request.size() - 2));
    write(t, "empty-stream", all);
    // Unknown frame types after a valid frame.
    write(t, "unknown-type-0", all + request + rawHeader(0, 1, 0));
    write(t, "unknown-type-14", all + request + rawHeader(14, 1, 3) + "abc");
    // A known type with a bit set that the type word does not use (16-30).
    write(t, "unknown-type-reserved-bit", all + rawHeader(0x10003, 1, 0));
    write(t, "unknown-type-ffffffff", all + rawHeader(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu));
    write(t, "garbage", all + garbage(300, 2));
    write(t, "garbage-chunked", plan({ 3, 1, 4, 1, 5, 9, 2 }) + garbage(200, 3));

    // Descriptors (SCM_RIGHTS), which come with the first byte of their frame: each read below
    // starts a frame. Pipe ends, and payloads in memfds (kind 0: sealed as FrameWriter seals
    // them; 1 unsealed, 2 shrink only, 3 write only, 4 write and shrink, 5 without sealing, 6
    // future-write, 7 a pipe instead).
    const QByteArray withTwo = frameWith(FrameType::Request, 1, freeze("octets", {}), 2);
    write(t, "fds-2-with-request", plan({}, 0, { { 2 } }) + withTwo);
    write(t, "fds-request-then-result",
        plan({ quint16(withTwo.size()), 0 }, 0, { { 2 }, { 1 } }) + withTwo
            + frameWith(FrameType::Result, 1, freeze("datastream", { 1 }), 1));
    write(t, "fds-64-max", plan({}, 0, { { 64 } }) + frameWith(FrameType::Event, 0, "e", 64));
    write(t, "fds-65-too-many", plan({}, 0, { { 65 } }) + frameWith(FrameType::Event, 0, "e", 65));
    write(t, "fds-claimed-but-missing",
        plan({}, 0, { { 1 } }) + frameWith(FrameType::Result, 3, "r", 2));
    write(t, "fds-left-over", plan({}, 0, { { 3 } }) + frameWith(FrameType::Result, 3, "r", 2));
    write(t, "fds-left-over-no-frame", plan({}, 0, { { 1 } }) + frame(FrameType::Ready, 0, {}));
    write(t, "fds-too-many-waiting",
        plan({ 1 }, 0, { { 127 }, { 127 } }) + frameWith(FrameType::Event, 0, "e", 64));
    write(t, "fds-with-large-frame",
        plan({ 1000 }, 70000, { { 3 } })
            + frameWith(FrameType::Request, 9, QByteArray(70000, '\0'), 3).left(12));
    write(t, "fds-in-middle-of-large-frame",
        plan({ 1000 }, 70000, { {}, { 1 } })
            + frameWith(FrameType::Request, 9, QByteArray(70000, '\0'), 0).left(12));
    const auto inMemfd = [](int descriptors, quint32 length) {
        return frameWith(FrameType::Result, 5, {}, descriptors, length);
    };
    write(t, "memfd-result", plan({}, 0, { { 0, 0, 5000 } }) + inMemfd(1, 5000));
    write(t, "memfd-empty", plan({}, 0, { { 0, 0, 0 } }) + inMemfd(1, 0));
    write(t, "memfd-large-with-fds", plan({}, 0, { { 4, 4, 300000 } }) + inMemfd(5, 300000));
    write(t, "memfd-64-fds-and-memfd", plan({}, 0, { { 64, 0, 10 } }) + inMemfd(65, 10));
    write(t, "memfd-then-small-frame",
        plan({ 12, 0 }, 0, { { 0, 0, 100 } }) + inMemfd(1, 100) + request);
    write(t, "memfd-wrong-size", plan({}, 0, { { 0, 0, 5000 } }) + inMemfd(1, 4999));
    write(t, "memfd-missing", plan({}, 0, {}) + inMemfd(0, 10));
    const char *const kinds[] = { nullptr, "memfd-unsealed", "memfd-shrink-sealed-only",
        "memfd-write-sealed-only", "memfd-write-and-shrink-sealed", "memfd-without-sealing",
        "memfd-future-write-sealed", "memfd-is-a-pipe" };
    for (int kind = 1; kind < 8; ++kind)
        write(t, kinds[kind], plan({}, 0, { { 1, kind, 64 } }) + inMemfd(2, 64));
}

void octetsSeeds()
{
    const char *t = "fuzz_thaw_octets";
    write(t, "empty-list", freeze("octets", {}));
    write(t, "one-empty-string", freeze("octets", { QByteArray() }));
    write(t, "two-strings", freeze("octets", { QByteArray("/tmp/somepath/1"), QByteArray("x") }));
    write(
        t, "200-bytes-two-byte-length", freeze("octets", { garbage(200, 4), QByteArray("tail") }));
    write(t, "20000-bytes-three-byte-length", freeze("octets", { QByteArray(20000, 'z') }));
    write(t, "non-canonical-length", QByteArray::fromHex("8080000161"));
    write(t, "truncated-length", QByteArray::fromHex("0161ff"));
    write(t, "length-past-end", QByteArray::fromHex("05616263"));
    write(t, "length-64-bits", QByteArray::fromHex("ffffffffffffffffff7f"));
    write(t, "length-too-long", QByteArray::fromHex("ffffffffffffffffffff01"));
}

void dataStreamSeeds()
{
    const char *t = "fuzz_thaw_datastream";
    write(t, "empty-list", freeze("datastream", {}));
    write(t, "scalars",
        freeze("datastream",
            { 1, QStringLiteral("two"), 3.0, true, qint64(-5), quint64(6), 1.5f, QVariant(),
                QString(), QChar(0x263A) }));
    QVariantMap map;
    map.insert(QStringLiteral("a"), QVariantList { 1, QVariantList { 2, 3 } });
    QVariantHash hash;
    hash.insert(QStringLiteral("k"), QByteArray("v"));
    write(t, "nested",
        freeze("datastream",
            { map, hash, QVariantList { map }, QStringList { QStringLiteral("x"), QString() } }));
    write(t, "qt-types",
        freeze("datastream",
            { QByteArray("\0bytes", 6), fixedTime(), QDate(1999, 12, 31), QTime(23, 59),
                QUrl(QStringLiteral("https://example.org/a?b#c")),
                QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")),
                QRegularExpression(QStringLiteral("^a+(b)$")), QSize(3, 4), QPointF(1.5, -2),
                QRect(1, 2, 3, 4), QLocale(QLocale::German, QLocale::Germany) }));
    write(t, "json-values", freeze("datastream", jsonValues()));
    // Types the datastream thaw reads itself rather than through Qt (datastream.cpp, howToRead).
    write(t, "qvariantpair",
        freeze("datastream",
            { QVariant::fromValue(QVariantPair(1,
                QVariantList {
                    QStringLiteral("x"), QVariant::fromValue(QVariantPair(QVariant(), 2.5)) })) }));
    const QDate day(2024, 2, 29);
    const QTime noon(12, 0);
    write(t, "date-times",
        freeze("datastream",
            { fixedTime(), QDateTime(day, noon, Qt::OffsetFromUTC, 3600), QDateTime(day, noon),
                QDateTime(day, noon, QTimeZone("Europe/Paris")),
                QDateTime(day, noon, QTimeZone(-5400)),
                QDateTime(day, noon,
                    QTimeZone("Custom/Zone", 5400, QStringLiteral("Custom"), QStringLiteral("CT"),
                        QLocale::France, QStringLiteral("c"))),
                QDateTime() }));
    const QByteArray scalars = freeze("datastream", { 1, QStringLiteral("two") });
    write(t, "truncated", scalars.left(scalars.size() - 3));
    write(t, "trailing-byte", scalars + '\0');
    // A list claiming 0xFFFFFFFF elements with one behind it.
    write(t, "lying-count", QByteArray::fromHex("ffffffff") + freeze("datastream", { 1 }).mid(4));
    write(t, "unknown-type-id",
        QByteArray::fromHex("00000001"
                            "7fffff00"
                            "00"));
    // A QForkRpcFd, known by name: an invalid one (0xffffffff), and one that names descriptor 0,
    // which no message thawed here carries (outside a thaw qForkRpcThawFd() throws: refused).
    const QByteArray invalidFd = freeze("datastream", { QVariant::fromValue(QForkRpcFd()) });
    write(t, "qforkrpcfd-invalid", invalidFd);
    write(t, "qforkrpcfd-number-0",
        QByteArray(invalidFd).replace(QByteArray::fromHex("ffffffff"), QByteArray(4, '\0')));
    write(t, "garbage", garbage(64, 5));
}

void jsonSeeds()
{
    const char *t = "fuzz_thaw_json";
    write(t, "empty-list", freeze("json", {}));
    write(t, "typical", freeze("json", jsonValues()));
    write(t, "results", freeze("json", { false, QStringLiteral("No such file or directory") }));
    write(t, "pretty-with-escapes",
        "[ 1 ,\n \"\\u00e9\\n\\\"\" , { \"b\" : [ ], \"a\" : { } }, -0.0, 1e-300 ]");
    write(t, "big-integers",
        "[9007199254740993, -9223372036854775808, 18446744073709551616, 1.7976931348623157e308]");
    write(t, "huge-number", "[1e400]");
    write(t, "duplicate-keys", "[{\"a\":1,\"a\":2}]");
    write(t, "object-not-array", "{\"a\":1}");
    write(t, "truncated", "[1,\"two\",{\"x\":");
    write(t, "deep", QByteArray(200, '[') + QByteArray(200, ']'));
    write(t, "garbage", garbage(64, 6));
}

void cborSeeds()
{
    const char *t = "fuzz_thaw_cbor";
    write(t, "empty-list", freeze("cbor", {}));
    write(t, "typical", freeze("cbor", jsonValues()));
    write(t, "extended-types",
        freeze("cbor",
            { QByteArray("\0\1\2", 3), fixedTime(), QUrl(QStringLiteral("file:///tmp/x")),
                QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")),
                QRegularExpression(QStringLiteral("[a-z]+")) }));
    QCborMap nonStringKeys;
    nonStringKeys.insert(1, QStringLiteral("one"));
    nonStringKeys.insert(QCborValue(QByteArray("k")), QCborArray { 1, 2 });
    write(t, "map-with-other-keys",
        QCborArray { nonStringKeys, QCborValue(QCborSimpleType(42)), QCborValue(),
            QCborValue(QCborKnownTags::Decimal, QCborArray { -2, 12345 }) }
            .toCborValue()
            .toCbor());
    write(t, "not-an-array", QCborValue(QStringLiteral("x")).toCbor());
    const QByteArray typical = freeze("cbor", jsonValues());
    write(t, "truncated", typical.left(typical.size() / 2));
    write(t, "trailing-bytes", typical + QByteArray::fromHex("0102"));
    write(t, "indefinite-length",
        QByteArray::fromHex("9f01"
                            "7f6161ff"
                            "5f4101ff"
                            "bf6161f6ff"
                            "ff"));
    write(t, "lying-length", QByteArray::fromHex("9b7fffffffffffffff01"));
    // The descriptor tag around null (an invalid QForkRpcFd) and around number 0.
    write(t, "qforkrpcfd-invalid", freeze("cbor", { QVariant::fromValue(QForkRpcFd()) }));
    write(t, "qforkrpcfd-number-0", QByteArray::fromHex("81da5146440000"));
    write(t, "garbage", garbage(64, 7));
}

void protocolSeeds()
{
    // The first byte chooses the decoder (fuzz_errorreport_setup.cpp).
    const auto report = [](const char *name, const QByteArray &bytes) {
        write("fuzz_errorreport_setup", name, QByteArray(1, '\0') + bytes);
    };
    const auto setup = [](const char *name, const QByteArray &bytes) {
        write("fuzz_errorreport_setup", name, QByteArray(1, '\1') + bytes);
    };
    report("report-call-threw",
        encodeErrorReport(
            { ErrorCode::CallThrew, { QStringLiteral("f"), QStringLiteral("boom") } }));
    report("report-worker-exited",
        encodeErrorReport({ ErrorCode::WorkerExited,
            { QStringLiteral("f"), QStringLiteral("123"), QStringLiteral("exited with code 3"),
                QStringLiteral("2") } }));
    report("report-unknown-code", encodeErrorReport({ ErrorCode(0xFFFF), {} }));
    report("report-null-and-empty-strings",
        encodeErrorReport({ ErrorCode::ProtocolError, { QString(), QStringLiteral("") } }));
    WorkerSetup typical;
    typical.function = QStringLiteral("MyWorker::run");
    typical.async = true;
    typical.serialiser = QStringLiteral("cbor");
    typical.init = QStringLiteral("MyWorker::init");
    typical.initArgs = { QStringLiteral("/var/db"), 3, QVariantList { true } };
    typical.require = QStringList { QStringLiteral("/usr/lib/myapp/libworkers.so") };
    typical.sharedMemoryThreshold = 1024 * 1024;
    const QByteArray setupBytes = encodedSetup(typical);
    setup("setup", setupBytes);
    setup("setup-minimal", encodedSetup({}));
    QByteArray wrongVersion = setupBytes;
    wrongVersion[3] = 2;
    setup("setup-wrong-version", wrongVersion);
    setup("setup-truncated", setupBytes.left(setupBytes.size() - 5));
    setup("setup-bool-2", QByteArray(encodedSetup({})).replace(8, 1, "\2"));
    report("report-lying-string-length",
        QByteArray::fromHex("00000007"
                            "00000001"
                            "7ffffffe"
                            "0041"));
    setup("setup-garbage", garbage(40, 9));
    // initArgs holding descriptors: the first byte's bits 1-7 say how many the frame carries.
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) {
        std::perror("pipe2");
        std::exit(1);
    }
    const QForkRpcFd readEnd = QForkRpcFd::fromFd(ends[0]);
    const QForkRpcFd writeEnd = QForkRpcFd::fromFd(ends[1]);
    ::close(ends[0]);
    ::close(ends[1]);
    WorkerSetup withFds;
    withFds.function = QStringLiteral("MyWorker::run");
    withFds.initArgs = { QVariant::fromValue(readEnd),
        QVariantList { QVariant::fromValue(writeEnd), QVariant::fromValue(QForkRpcFd()) } };
    FramePayload payload;
    QString reason;
    if (!encodeSetup(withFds, &payload, &reason, true) || payload.descriptors.size() != 2) {
        std::fprintf(stderr, "cannot encode a setup with descriptors: %s\n", qPrintable(reason));
        std::exit(1);
    }
    write("fuzz_errorreport_setup", "setup-initargs-2-fds",
        QByteArray(1, char(1 | 2 << 1)) + payload.joined());
    write("fuzz_errorreport_setup", "setup-initargs-fds-missing",
        QByteArray(1, char(1 | 1 << 1)) + payload.joined());
    // Found by the fuzzer (crashes/README.md): initArgs holding a QVariantPair with a lying
    // QVariantList count inside (the bytes of fuzz_thaw_datastream's
    // huge-alloc-qvariantpair-list-count), written here so that it follows the protocol version.
    QByteArray lyingPair;
    QDataStream out(&lyingPair, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << protocolVersion << QString() << false << QString() << QString()
        << QByteArray::fromHex("00000001"
                               "0000003a"
                               "00"
                               "00000009"
                               "00"
                               "006f006f")
        << QStringList() << QByteArrayList() << QByteArray() << quint32(0);
    setup("huge-alloc-setup-initargs-qvariantpair", lyingPair);
    // No garbage ErrorReport here: 40 random bytes (garbage(40, 8)), which made decodeErrorReport
    // reserve gigabytes before counts were checked, are in the corpus as garbage-40-bytes.
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus dir>   (tests/fuzz/corpus)\n", argv[0]);
        return 2;
    }
    root = QString::fromLocal8Bit(argv[1]);
    frameReaderSeeds();
    octetsSeeds();
    dataStreamSeeds();
    jsonSeeds();
    cborSeeds();
    protocolSeeds();
    return 0;
}
