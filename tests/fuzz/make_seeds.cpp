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

// fuzz_framereader's feeding plan (see fuzz_framereader.cpp): chunk sizes, then padding.
QByteArray plan(std::initializer_list<quint16> chunks, quint32 padding = 0)
{
    QByteArray bytes;
    bytes.append(char(chunks.size() | (padding ? 8 : 0)));
    if (padding) {
        bytes.append(char(padding & 0xff));
        bytes.append(char((padding >> 8) & 0xff));
        bytes.append(char((padding >> 16) & 0xff));
    }
    for (quint16 chunk : chunks) {
        bytes.append(char(chunk & 0xff));
        bytes.append(char(chunk >> 8));
    }
    return bytes;
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
    write(t, "unknown-type-10", all + request + rawHeader(10, 1, 3) + "abc");
    write(t, "unknown-type-ffffffff", all + rawHeader(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu));
    write(t, "garbage", all + garbage(300, 2));
    write(t, "garbage-chunked", plan({ 3, 1, 4, 1, 5, 9, 2 }) + garbage(200, 3));
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
