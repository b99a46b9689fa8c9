// SPDX-License-Identifier: MIT
// The serialisers between the parent and real workers: round trips of every built-in one in
// both backends, values a serialiser cannot carry refused in the parent and in the worker,
// custom serialisers registered by macro and by function (in every spawn mode), serialisers
// that throw or write garbage on either side, unknown serialiser names, and a serialiser
// registered too late for the template.
#include "serialisertestsupport.h"
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QBitArray>
#include <QtCore/QCborMap>
#include <QtCore/QDataStream>
#include <QtCore/QDateTime>
#include <QtCore/QEasingCurve>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QLine>
#include <QtCore/QLocale>
#include <QtCore/QPoint>
#include <QtCore/QRect>
#include <QtCore/QRegularExpression>
#include <QtCore/QSize>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantMap>

#include <cctype>
#include <climits>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

using Spawn = QForkRpc::Spawn;
using QForkRpcDetail::Serialiser;

// Streamable too, but first used (and so registered) by the parent only after initialize(): a
// worker forked from the template does not know its name.
struct ParentOnly
{
    qint32 number = 0;
    friend bool operator==(const ParentOnly &a, const ParentOnly &b)
    {
        return a.number == b.number;
    }
};
QDataStream &operator<<(QDataStream &out, const ParentOnly &p)
{
    return out << p.number;
}
QDataStream &operator>>(QDataStream &in, ParentOnly &p)
{
    return in >> p.number;
}
Q_DECLARE_METATYPE(ParentOnly)

namespace {

// ---- Worker functions of this test ---------------------------------------------------------

// Returns its arguments, or a QObject* when the first argument says "unfreezable".
QVariantList echoUnlessUnfreezable(const QVariantList &args)
{
    if (args.value(0).toString() == QLatin1String("unfreezable"))
        return { unfreezableValue() };
    return args;
}
QFORKRPC_REGISTER("echoUnlessUnfreezable", echoUnlessUnfreezable);
QFORKRPC_REGISTER("echoUnlessUnfreezableAsync",
    [](QForkRpcDone done, const QVariantList &args) { done(echoUnlessUnfreezable(args)); });

// Sends an event no serialiser can carry, then returns its arguments.
QFORKRPC_REGISTER("unfreezableEvent", [](const QVariantList &args) {
    QForkRpcChild::event(QVariantList { unfreezableValue() });
    return args;
});

// ---- Custom serialisers --------------------------------------------------------------------

// How often this process froze and thawed with the custom serialisers.
int reverseLinesFreezes = 0;
int reverseLinesThaws = 0;
int hexFreezes = 0;
int hexThaws = 0;

// "reverse-lines": strings only, each followed by a newline, last value first.
QByteArray freezeReverseLines(const QVariantList &values)
{
    ++reverseLinesFreezes;
    QByteArray bytes;
    for (auto it = values.crbegin(); it != values.crend(); ++it) {
        if (it->metaType().id() != QMetaType::QString || it->toString().contains(QLatin1Char('\n')))
            throw std::runtime_error("reverse-lines carries only strings without newlines");
        bytes += it->toString().toUtf8() + '\n';
    }
    return bytes;
}
QVariantList thawReverseLines(const QByteArray &bytes)
{
    ++reverseLinesThaws;
    if (!bytes.isEmpty() && !bytes.endsWith('\n'))
        throw std::runtime_error("reverse-lines: the last line has no newline");
    QList<QByteArray> lines = bytes.split('\n');
    lines.removeLast(); // what follows the last newline
    QVariantList values;
    for (auto it = lines.crbegin(); it != lines.crend(); ++it)
        values.append(QString::fromUtf8(*it));
    return values;
}
QFORKRPC_REGISTER_SERIALISER("reverse-lines", freezeReverseLines, thawReverseLines);

// "hex": byte arrays only, each as a line of hex digits; registered through the function, at
// static-initialisation time, i.e. before main() calls initialize().
const bool hexRegistered = QForkRpc::registerSerialiser(
    QStringLiteral("hex"),
    [](const QVariantList &values) {
        ++hexFreezes;
        QByteArray bytes;
        for (const QVariant &value : values) {
            if (value.metaType().id() != QMetaType::QByteArray)
                throw std::invalid_argument("hex carries only QByteArray values");
            bytes += value.toByteArray().toHex() + '\n';
        }
        return bytes;
    },
    [](const QByteArray &bytes) {
        ++hexThaws;
        QList<QByteArray> lines = bytes.split('\n');
        if (!lines.last().isEmpty())
            throw std::invalid_argument("hex: the last line has no newline");
        lines.removeLast();
        QVariantList values;
        for (const QByteArray &line : std::as_const(lines)) {
            for (char c : line)
                if (!std::isxdigit(static_cast<unsigned char>(c)))
                    throw std::invalid_argument("hex: not a hex digit");
            values.append(QByteArray::fromHex(line));
        }
        return values;
    });

// "fails-at": datastream underneath, but throws at the stage the first value names
// ("parent-freeze", "worker-thaw", "worker-freeze", "parent-thaw"): std::runtime_error("nope"),
// or an int with "-int" appended.
void throwIfStage(const QVariantList &values, const char *operation)
{
    const QString wanted = values.value(0).toString();
    const QString here = QLatin1String(QForkRpcChild::isChild() ? "worker-" : "parent-")
        + QLatin1String(operation);
    if (wanted == here)
        throw std::runtime_error("nope");
    if (wanted == here + QLatin1String("-int"))
        throw 42;
}
QFORKRPC_REGISTER_SERIALISER(
    "fails-at",
    [](const QVariantList &values) {
        throwIfStage(values, "freeze");
        return QForkRpcDetail::dataStreamSerialiser().freeze(values);
    },
    [](const QByteArray &bytes) {
        const QVariantList values = QForkRpcDetail::dataStreamSerialiser().thaw(bytes);
        throwIfStage(values, "thaw");
        return values;
    });

// "garbled-<built-in>": the built-in serialiser, except that freeze writes bytes the built-in
// cannot read when the first value is "garble-in-parent" (in the parent) or "garble-in-worker"
// (in the worker). So each built-in thaw meets garbage from the other side of a real worker.
QByteArray garbageFor(const QString &name)
{
    if (name == QLatin1String("datastream"))
        return QByteArray("\0\0\0\5", 4); // a list of five values, and none of them
    if (name == QLatin1String("octets"))
        return QByteArray("\x85"); // a length whose next byte is missing
    if (name == QLatin1String("json"))
        return QByteArray("[1,");
    return QByteArray("\x82\x01"); // cbor: an array of two values, and one of them
}
const bool garbledRegistered = [] {
    bool ok = true;
    for (const char *name : { "datastream", "octets", "json", "cbor" }) {
        const QString base = QLatin1String(name);
        ok = QForkRpc::registerSerialiser(
                 QStringLiteral("garbled-") + base,
                 [base](const QVariantList &values) {
                     const QString wanted = values.value(0).toString();
                     if (wanted
                         == QLatin1String(
                             QForkRpcChild::isChild() ? "garble-in-worker" : "garble-in-parent"))
                         return garbageFor(base);
                     return builtin(base).freeze(values);
                 },
                 [base](const QByteArray &bytes) { return builtin(base).thaw(bytes); })
            && ok;
    }
    return ok;
}();

// ---- Helpers -------------------------------------------------------------------------------

QByteArray everyByte()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

// What JSON and CBOR give back for a value (found with Qt 6.4): integers of every kind as
// qlonglong (unsigned ones past INT64_MAX as double), float as double, string lists as variant
// lists, hashes and JSON/CBOR containers as variant maps and lists. JSON has one kind of number:
// Qt reads a whole one that fits in qint64 back as qlonglong, so 3.0 and -0.0 return as the
// integers 3 and 0, while 1.5 and 1e300 stay double; and JSON's null comes back as
// std::nullptr_t, where CBOR gives back an invalid QVariant for one.
enum class Via { Json, Cbor };
QVariant expectedVia(Via via, const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::UnknownType:
        return via == Via::Json ? QVariant::fromValue(nullptr) : QVariant();
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
        return QVariant(value.toLongLong());
    case QMetaType::ULongLong: {
        const qulonglong u = value.toULongLong();
        return u <= qulonglong(LLONG_MAX) ? QVariant(qlonglong(u)) : QVariant(double(u));
    }
    case QMetaType::Float:
        return expectedVia(via, QVariant(double(value.toFloat())));
    case QMetaType::Double: {
        const double d = value.toDouble();
        if (via == Via::Json && std::isfinite(d) && d == std::trunc(d)
            && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
            return QVariant(qlonglong(d));
        return value;
    }
    case QMetaType::QStringList:
    case QMetaType::QVariantList:
    case QMetaType::QJsonArray: {
        QVariantList list;
        for (const QVariant &element : value.toList())
            list.append(expectedVia(via, element));
        return list;
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
    case QMetaType::QJsonObject: {
        const QVariantMap map = value.toMap();
        QVariantMap result;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            result.insert(it.key(), expectedVia(via, it.value()));
        return result;
    }
    default:
        return value;
    }
}

// The outcome of one call, waited for.
struct Outcome
{
    bool finished = false;
    bool ok = false;
    QVariantList results;
    QString failure;
};
Outcome callAndWait(QForkRpc *rpc, const QVariantList &args, int timeoutMs = 30000)
{
    Outcome outcome;
    QFuture<QVariantList> future = rpc->call(args);
    outcome.finished = QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs);
    if (!outcome.finished)
        return outcome;
    try {
        future.waitForFinished(); // rethrows the failure
    } catch (const std::exception &e) {
        outcome.failure = QString::fromUtf8(e.what());
        return outcome;
    }
    if (future.resultCount() > 0) {
        outcome.results = future.result();
        outcome.ok = true;
    } else {
        outcome.failure = QStringLiteral("(cancelled without a result)");
    }
    return outcome;
}

QForkRpc::Options options(const QString &serialiser, bool async = false, Spawn spawn = Spawn::Auto)
{
    QForkRpc::Options o;
    o.serialiser = serialiser;
    o.async = async;
    o.spawn = spawn;
    return o;
}

// A call every serialiser of the built-in kind can carry, to show a worker still serves.
QVariantList harmlessArgs(const QString &serialiser)
{
    if (serialiser.endsWith(QLatin1String("octets")) || serialiser == QLatin1String("hex"))
        return { QByteArray("still serving") };
    return { QStringLiteral("still serving") };
}

} // namespace

class tst_SerialisersInWorkers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(hexRegistered);
        QVERIFY(garbledRegistered);
        QVERIFY(streamableTypeId >= QMetaType::User);
    }

    // ---- Round trips through real workers ------------------------------------------------

    void roundTrip_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QVariantList>("values");
        QTest::addColumn<QVariantList>("expected");
        const QString datastream = QStringLiteral("datastream");
        const QString octets = QStringLiteral("octets");
        const QString json = QStringLiteral("json");
        const QString cbor = QStringLiteral("cbor");

        // octets: byte arrays only, and they come back exactly (a null QByteArray as an empty one).
        const QList<std::pair<const char *, QVariantList>> octetsCases {
            { "no values", {} },
            { "one empty value", { QByteArray() } },
            { "binary: every byte value", { everyByte() } },
            { "NULs", { QByteArray("\0\0a\0", 4) } },
            { "several, one empty", { QByteArray("a"), QByteArray(""), QByteArray("bc") } },
            { "length 127 (one length byte)", { pattern(127) } },
            { "length 128 (two length bytes)", { pattern(128) } },
            { "length 16383", { pattern(16383) } },
            { "length 16384 (three length bytes)", { pattern(16384) } },
            { "5 MiB", { pattern(5 * MiB) } },
            // Strings of 64 KiB and more travel without copies (own frame pieces, the last one
            // keeping the frame's buffer): mixed with small ones, in every position.
            { "large ones between small ones",
                { QByteArray("a"), pattern(64 * 1024), QByteArray(), pattern(200 * 1024, 7),
                    QByteArray("z") } },
            { "large last after a small one", { QByteArray("head"), pattern(3 * MiB, 3) } },
            { "large last after a larger one", { pattern(2 * MiB, 1), pattern(65 * 1024, 2) } },
            { "just under the shared size", { pattern(64 * 1024 - 1), QByteArray("x") } },
        };
        for (const auto &c : octetsCases)
            QTest::addRow("octets: %s", c.first) << octets << c.second << c.second;
        QVariantList thousand;
        for (int i = 0; i < 1000; ++i)
            thousand << pattern(i % 10, i);
        QTest::addRow("octets: 1000 values") << octets << thousand << thousand;

        // What JSON can say: every serialiser but octets carries it, JSON and CBOR with the
        // changes of type expectedVia() describes.
        const QList<std::pair<const char *, QVariant>> jsonCases {
            { "null", QVariant() },
            { "nullptr", QVariant::fromValue(nullptr) },
            { "true", true },
            { "false", false },
            { "int 0", 0 },
            { "int min", INT_MIN },
            { "int max", INT_MAX },
            { "uint max", UINT_MAX },
            { "qlonglong 2^53 + 1", qlonglong(9007199254740993LL) },
            { "qlonglong min", qlonglong(LLONG_MIN) },
            { "qlonglong max", qlonglong(LLONG_MAX) },
            { "qulonglong 42", qulonglong(42) },
            { "double 1.5", 1.5 },
            { "double 0.1", 0.1 },
            { "double 1/3", 1.0 / 3.0 },
            { "double -2.5e-300", -2.5e-300 },
            { "double 1e300", 1e300 },
            { "double 5e-324", 5e-324 },
            { "double 1e20", 1e20 },
            { "whole double 3.0", 3.0 },
            { "whole double 1e16", 1e16 },
            { "double -0.0", -0.0 },
            { "float 2.5", 2.5f },
            { "float 0.1", 0.1f },
            { "empty string", QString(QLatin1String("")) },
            { "non-ASCII string", QStringLiteral("grüße, ελληνικά, 日本語, 😀") },
            { "escapes and controls",
                QString(QStringLiteral("quote \" backslash \\ newline \n tab \t bell \a NUL ")
                    + QChar(0)) },
            { "string list", QStringList { QStringLiteral("a"), QString(), QStringLiteral("ü") } },
            { "empty list", QVariantList() },
            { "nested lists",
                QVariantList { 1,
                    QVariantList {
                        2.5, QVariantList { QStringLiteral("three"), QVariant(), true } } } },
            { "map",
                QVariantMap { { QStringLiteral("k"), 1 },
                    { QStringLiteral("ü"), QVariantList { true, QVariant() } },
                    { QString(), 2 } } },
            { "empty map", QVariantMap() },
            { "hash",
                QVariantHash { { QStringLiteral("h"), 2.5 },
                    { QStringLiteral("i"), QVariantHash { { QStringLiteral("j"), 1u } } } } },
            { "QJsonObject",
                QVariant::fromValue(QJsonObject { { QStringLiteral("a"), 1 },
                    { QStringLiteral("b"), QJsonArray { true, 2.5 } } }) },
        };
        QVariantList allJson;
        for (const auto &c : jsonCases) {
            allJson << c.second;
            QTest::addRow("datastream: %s", c.first)
                << datastream << QVariantList { c.second } << QVariantList { c.second };
            QTest::addRow("json: %s", c.first) << json << QVariantList { c.second }
                                               << QVariantList { expectedVia(Via::Json, c.second) };
            QTest::addRow("cbor: %s", c.first) << cbor << QVariantList { c.second }
                                               << QVariantList { expectedVia(Via::Cbor, c.second) };
        }
        QTest::addRow("json: no values") << json << QVariantList() << QVariantList();
        QTest::addRow("json: everything at once")
            << json << allJson << expectedVia(Via::Json, allJson).toList();
        const QString big = QString(1536 * 1024, QChar(0xfc)); // 3 MiB of UTF-8
        QTest::addRow("json: 3 MiB string") << json << QVariantList { big } << QVariantList { big };

        // What CBOR adds to JSON; datastream carries it too, unchanged.
        const QDateTime utc(QDate(2020, 2, 29), QTime(23, 59, 58, 999), Qt::UTC);
        const QDateTime offset(QDate(1969, 7, 20), QTime(20, 17, 40), Qt::OffsetFromUTC, -4 * 3600);
        const QDateTime local(QDate(2001, 9, 9), QTime(1, 46, 40, 5));
        const QDateTime zoned(QDate(2022, 6, 1), QTime(12, 0), QTimeZone("Europe/Paris"));
        struct CborCase
        {
            const char *name;
            QVariant value;
            QVariant cbor; // what CBOR gives back
        };
        const QList<CborCase> cborCases {
            { "empty byte array", QByteArray(""), QByteArray("") },
            { "bytes: every byte value", everyByte(), everyByte() },
            { "UTC date-time", utc, utc },
            { "date-time with an offset", offset, offset },
            { "local date-time", local, local },
            // The zone's name is lost; the instant and its offset stay.
            { "time-zone date-time (becomes an offset)", zoned,
                zoned.toOffsetFromUtc(zoned.offsetFromUtc()) },
            { "URL", QUrl(QStringLiteral("https://user@example.org:8080/p/ä%20b?q=1&r=ü#frag")),
                QUrl(QStringLiteral("https://user@example.org:8080/p/ä%20b?q=1&r=ü#frag")) },
            { "UUID", QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")),
                QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")) },
            { "null UUID", QUuid(), QUuid() },
            { "regular expression", QRegularExpression(QStringLiteral("^a+(b|c)$")),
                QRegularExpression(QStringLiteral("^a+(b|c)$")) },
            { "NaN", qQNaN(), qQNaN() },
            { "infinity", qInf(), qInf() },
            { "-infinity", -qInf(), -qInf() },
            { "float NaN", std::numeric_limits<float>::quiet_NaN(), qQNaN() },
            { "bytes in a map in a list",
                QVariantList { QVariantMap { { QStringLiteral("b"), QByteArray("\0\xff", 2) } } },
                QVariantList { QVariantMap { { QStringLiteral("b"), QByteArray("\0\xff", 2) } } } },
        };
        QVariantList allCbor = allJson;
        QVariantList allCborExpected = expectedVia(Via::Cbor, allJson).toList();
        for (const CborCase &c : cborCases) {
            allCbor << c.value;
            allCborExpected << c.cbor;
            QTest::addRow("datastream: %s", c.name)
                << datastream << QVariantList { c.value } << QVariantList { c.value };
            QTest::addRow("cbor: %s", c.name)
                << cbor << QVariantList { c.value } << QVariantList { c.cbor };
        }
        QTest::addRow("cbor: no values") << cbor << QVariantList() << QVariantList();
        QTest::addRow("cbor: everything at once") << cbor << allCbor << allCborExpected;
        QTest::addRow("cbor: 5 MiB of bytes")
            << cbor << QVariantList { pattern(5 * MiB) } << QVariantList { pattern(5 * MiB) };

        // What only datastream carries; it comes back with exactly the types that went in.
        QVariant deep = QVariantList { 1 };
        for (int i = 0; i < 200; ++i)
            deep = QVariantList { deep };
        QCborMap intKeys;
        intKeys.insert(1, QStringLiteral("one"));
        const QList<std::pair<const char *, QVariant>> dataStreamCases {
            { "QPoint", QPoint(1, -2) },
            { "QPointF", QPointF(0.5, -1e10) },
            { "QSize", QSize(640, 480) },
            { "QSizeF", QSizeF(1.5, 2.5) },
            { "QRect", QRect(1, 2, 3, 4) },
            { "QRectF", QRectF(0.5, 1.5, 2.5, 3.5) },
            { "QLine", QLine(1, 2, 3, 4) },
            { "QLineF", QLineF(0.5, 1.5, 2.5, 3.5) },
            { "QDate", QDate(1, 1, 1) },
            { "QTime", QTime(23, 59, 59, 999) },
            { "invalid QDateTime", QDateTime() },
            { "QChar", QChar(0x263A) },
            { "QBitArray", QBitArray(77, true) },
            { "QByteArrayList", QVariant::fromValue(QByteArrayList { "a", QByteArray("\0", 1) }) },
            { "QLocale", QLocale(QLocale::German, QLocale::Switzerland) },
            { "regular expression with options",
                QRegularExpression(QStringLiteral("a.b"),
                    QRegularExpression::CaseInsensitiveOption
                        | QRegularExpression::DotMatchesEverythingOption) },
            { "qint8", QVariant::fromValue(qint8(-5)) },
            { "quint8", QVariant::fromValue(quint8(250)) },
            { "short", QVariant::fromValue(short(-300)) },
            { "ushort", QVariant::fromValue(ushort(60000)) },
            { "long", QVariant::fromValue(long(-70000)) },
            { "qulonglong max", QVariant::fromValue(qulonglong(ULLONG_MAX)) },
            { "null QString", QString() },
            { "a custom streamable type",
                QVariant::fromValue(Streamable { 42, QStringLiteral("answer") }) },
            { "200 nested lists", deep },
            { "QCborMap with an integer key", QVariant::fromValue(intKeys) },
            { "QJsonArray", QVariant::fromValue(QJsonArray { 1, QStringLiteral("two") }) },
            // Read by the library itself rather than by Qt (datastream.cpp):
            { "QVariantPair", QVariant::fromValue(QVariantPair(1, QStringLiteral("two"))) },
            { "QVariantPair of a list and a pair",
                QVariant::fromValue(
                    QVariantPair(QVariantList { 1, QVariantMap { { QStringLiteral("k"), 2.5 } } },
                        QVariant::fromValue(QVariantPair(QVariant(), QByteArray("b"))))) },
            { "date-time in a custom time zone",
                QDateTime(QDate(2022, 6, 1), QTime(12, 0),
                    QTimeZone("Custom/Zone", 5400, QStringLiteral("Custom Time"),
                        QStringLiteral("CT"), QLocale::France, QStringLiteral("made up"))) },
            { "date-time in a UTC offset zone",
                QDateTime(QDate(2022, 6, 1), QTime(12, 0), QTimeZone(-3600)) },
        };
        QVariantList allDataStream = allCbor;
        for (const auto &c : dataStreamCases) {
            allDataStream << c.second;
            QTest::addRow("datastream: %s", c.first)
                << datastream << QVariantList { c.second } << QVariantList { c.second };
        }
        QTest::addRow("datastream: no values") << datastream << QVariantList() << QVariantList();
        QTest::addRow("datastream: everything at once")
            << datastream << allDataStream << allDataStream;
        QTest::addRow("datastream: 5 MiB of bytes")
            << datastream << QVariantList { pattern(5 * MiB) } << QVariantList { pattern(5 * MiB) };
    }
    void roundTrip()
    {
        QFETCH(QString, serialiser);
        QFETCH(QVariantList, values);
        QFETCH(QVariantList, expected);
        for (bool async : { false, true }) {
            const QString function = async ? QStringLiteral("echoAsync") : QStringLiteral("echo");
            std::unique_ptr<QForkRpc> rpc(QForkRpc::run(function, options(serialiser, async)));
            Recorder recorder(rpc.get());
            const Outcome got = callAndWait(rpc.get(), values);
            QVERIFY2(got.finished, qPrintable(function + QStringLiteral(": no answer")));
            QVERIFY2(got.ok, qPrintable(function + QStringLiteral(": ") + got.failure));
            const QString diff = difference(got.results, expected);
            QVERIFY2(diff.isEmpty(), qPrintable(function + QStringLiteral(": ") + diff));
            QVERIFY2(
                recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        }
    }

    // ---- Values a serialiser cannot carry ------------------------------------------------

    void parentRefusesWhatTheSerialiserCannotCarry_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QVariantList>("values");
        QTest::addColumn<QString>("reason");
        const QString datastream = QStringLiteral("datastream");
        const QString octets = QStringLiteral("octets");
        const QString json = QStringLiteral("json");
        const QString cbor = QStringLiteral("cbor");
        const QVariant object = unfreezableValue();
        const QVariant opaque = QVariant::fromValue(Opaque { 1 });
        const QString k = QStringLiteral("k");

        QTest::newRow("octets: QString")
            << octets << QVariantList { QStringLiteral("text") }
            << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 is of "
                              "type QString");
        QTest::newRow("octets: int after bytes")
            << octets << QVariantList { QByteArray("ok"), 1 }
            << QStringLiteral(
                   "the octets serialiser carries only QByteArray values; value 1 is of type int");
        QTest::newRow("octets: null QVariant")
            << octets << QVariantList { QVariant() }
            << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 is of "
                              "type invalid");
        QTest::newRow("octets: list of bytes")
            << octets << QVariantList { QVariantList { QByteArray("x") } }
            << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 is of "
                              "type QVariantList");
        QTest::newRow("json: QByteArray")
            << json << QVariantList { QByteArray("bytes") }
            << QStringLiteral("the json serialiser cannot carry value 0 of type QByteArray");
        QTest::newRow("json: QByteArray deep inside")
            << json
            << QVariantList { 1, QVariantMap { { k, QVariantList { 1, QByteArray("x") } } } }
            << QStringLiteral("the json serialiser cannot carry value 1.k[1] of type QByteArray");
        // NaN and infinities are refused by value, named by position and type like any other.
        QTest::newRow("json: NaN")
            << json << QVariantList { qQNaN() }
            << QStringLiteral("the json serialiser cannot carry value 0 of type double");
        QTest::newRow("json: infinity")
            << json << QVariantList { qInf() }
            << QStringLiteral("the json serialiser cannot carry value 0 of type double");
        QTest::newRow("json: -infinity in a map")
            << json << QVariantList { QVariantMap { { k, -qInf() } } }
            << QStringLiteral("the json serialiser cannot carry value 0.k of type double");
        QTest::newRow("json: float NaN in a list")
            << json << QVariantList { QVariantList { 1, std::numeric_limits<float>::quiet_NaN() } }
            << QStringLiteral("the json serialiser cannot carry value 0[1] of type float");
        QTest::newRow("json: QDateTime")
            << json << QVariantList { QDateTime::currentDateTimeUtc() }
            << QStringLiteral("the json serialiser cannot carry value 0 of type QDateTime");
        QTest::newRow("json: QUrl")
            << json << QVariantList { QUrl(QStringLiteral("http://x/")) }
            << QStringLiteral("the json serialiser cannot carry value 0 of type QUrl");
        QTest::newRow("json: QObject*")
            << json << QVariantList { object }
            << QStringLiteral("the json serialiser cannot carry value 0 of type QObject*");
        QTest::newRow("cbor: QPoint")
            << cbor << QVariantList { QPoint(1, 2) }
            << QStringLiteral("the cbor serialiser cannot carry value 0 of type QPoint");
        QTest::newRow("cbor: QObject* in a hash")
            << cbor << QVariantList { 1, QVariantHash { { k, object } } }
            << QStringLiteral("the cbor serialiser cannot carry value 1.k of type QObject*");
        QTest::newRow("cbor: custom type")
            << cbor << QVariantList { opaque }
            << QStringLiteral("the cbor serialiser cannot carry value 0 of type Opaque");
        QTest::newRow("datastream: QObject*")
            << datastream << QVariantList { object }
            << QStringLiteral("the datastream serialiser cannot carry value 0 of type QObject*");
        QTest::newRow("datastream: QObject* in a map in a list")
            << datastream
            << QVariantList { QStringLiteral("a"),
                   QVariantList { 1, QVariantMap { { k, object } } } }
            << QStringLiteral(
                   "the datastream serialiser cannot carry value 1[1].k of type QObject*");
        QTest::newRow("datastream: custom type without stream operators")
            << datastream << QVariantList { opaque }
            << QStringLiteral("the datastream serialiser cannot carry value 0 of type Opaque");
        // Types whose Qt reader believes counts in the data, refused in the parent before a worker
        // could be made to read them (and refused by the reader too: lyingQtReadersCostNoMemory
        // in tst_serialiserhardening).
        QTest::newRow("datastream: QEasingCurve")
            << datastream << QVariantList { QEasingCurve(QEasingCurve::OutBounce) }
            << QStringLiteral(
                   "the datastream serialiser cannot carry value 0 of type QEasingCurve");
        QTest::newRow("datastream: QEasingCurve in a QVariantPair")
            << datastream
            << QVariantList { 1, QVariant::fromValue(QVariantPair(2, QEasingCurve())) }
            << QStringLiteral(
                   "the datastream serialiser cannot carry value 1.second of type QEasingCurve");
        QTest::newRow("datastream: QList<int>")
            << datastream << QVariantList { QVariant::fromValue(QList<int> { 1, 2 }) }
            << QStringLiteral("the datastream serialiser cannot carry value 0 of type QList<int>");
        QTest::newRow("reverse-lines: an int")
            << QStringLiteral("reverse-lines") << QVariantList { QStringLiteral("a"), 1 }
            << QStringLiteral("reverse-lines carries only strings without newlines");
        QTest::newRow("hex: a string")
            << QStringLiteral("hex") << QVariantList { QStringLiteral("a") }
            << QStringLiteral("hex carries only QByteArray values");
    }
    void parentRefusesWhatTheSerialiserCannotCarry()
    {
        QFETCH(QString, serialiser);
        QFETCH(QVariantList, values);
        QFETCH(QString, reason);
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("echo"), options(serialiser)));
        Recorder recorder(rpc.get());
        const QVariantList harmless = harmlessArgs(serialiser);
        const Outcome first = callAndWait(rpc.get(), harmless);
        QVERIFY2(first.ok, qPrintable(first.failure));
        const qint64 pid = rpc->processId();
        QVERIFY(pid > 0);

        const Outcome refused = callAndWait(rpc.get(), values);
        QVERIFY(refused.finished);
        // Regression: QJsonArray::fromVariantList() turns NaN and infinities into null, so json
        // must refuse them before converting (it once let them through as null).
        QVERIFY2(!refused.ok,
            qPrintable(
                QStringLiteral("the call went through and returned ") + describe(refused.results)));
        // A registered serialiser is named; the built-in ones name themselves in their reasons.
        const bool builtIn = QStringList { QStringLiteral("datastream"), QStringLiteral("octets"),
            QStringLiteral("json"), QStringLiteral("cbor") }
                                 .contains(serialiser);
        const QString message
            = (builtIn ? QStringLiteral("a call to 'echo' failed: cannot serialise the values: ")
                       : QStringLiteral("a call to 'echo' failed: the serialiser '%1' cannot "
                                        "serialise the values: ")
                             .arg(serialiser))
            + reason;
        QVERIFY2(refused.failure == message || refused.failure.startsWith(message),
            qPrintable(QStringLiteral("the future failed with: ") + refused.failure));
        QTRY_COMPARE(recorder.errors.size(), 1);
        QCOMPARE(recorder.errors.first(), refused.failure);

        // The worker never saw the call and goes on serving.
        const Outcome next = callAndWait(rpc.get(), harmless);
        QVERIFY2(next.ok, qPrintable(next.failure));
        QCOMPARE(next.results, harmless);
        QCOMPARE(rpc->processId(), pid);
        QCOMPARE(recorder.errors.size(), 1);
    }

    void workerRefusesWhatTheSerialiserCannotCarry_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<bool>("async");
        QTest::addColumn<QString>("reason");
        const QString carry
            = QStringLiteral("the %1 serialiser cannot carry value 0 of type QObject*");
        for (bool async : { false, true }) {
            const char *backend = async ? "async" : "sync";
            QTest::addRow("datastream, %s", backend)
                << QStringLiteral("datastream") << async << carry.arg(QLatin1String("datastream"));
            QTest::addRow("octets, %s", backend)
                << QStringLiteral("octets") << async
                << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 "
                                  "is of type QObject*");
            QTest::addRow("json, %s", backend)
                << QStringLiteral("json") << async << carry.arg(QLatin1String("json"));
            QTest::addRow("cbor, %s", backend)
                << QStringLiteral("cbor") << async << carry.arg(QLatin1String("cbor"));
        }
    }
    void workerRefusesWhatTheSerialiserCannotCarry()
    {
        QFETCH(QString, serialiser);
        QFETCH(bool, async);
        QFETCH(QString, reason);
        const QString function = async ? QStringLiteral("echoUnlessUnfreezableAsync")
                                       : QStringLiteral("echoUnlessUnfreezable");
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(function, options(serialiser, async)));
        Recorder recorder(rpc.get());
        const QVariant marker = serialiser == QLatin1String("octets")
            ? QVariant(QByteArray("unfreezable"))
            : QVariant(QStringLiteral("unfreezable"));
        const Outcome refused = callAndWait(rpc.get(), { marker });
        QVERIFY(refused.finished);
        QVERIFY(!refused.ok);
        QCOMPARE(refused.failure,
            QStringLiteral("a call to '%1' failed: cannot serialise the values: %2")
                .arg(function, reason));
        QTRY_COMPARE(recorder.errors.size(), 1);
        QCOMPARE(recorder.errors.first(), refused.failure);
        const qint64 pid = rpc->processId();

        const QVariantList harmless = harmlessArgs(serialiser);
        const Outcome next = callAndWait(rpc.get(), harmless);
        QVERIFY2(next.ok, qPrintable(next.failure));
        QCOMPARE(next.results, harmless);
        QCOMPARE(rpc->processId(), pid);
        QCOMPARE(recorder.errors.size(), 1);
    }

    void unfreezableFunctionFailsEveryCallButTheWorkerStays()
    {
        // tests/testworkers.cpp's "unfreezable" returns a QObject* whatever it is given.
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("unfreezable")));
        Recorder recorder(rpc.get());
        for (int i = 0; i < 2; ++i) {
            const Outcome refused = callAndWait(rpc.get(), {});
            QVERIFY(refused.finished);
            QVERIFY(!refused.ok);
            QCOMPARE(refused.failure,
                QStringLiteral(
                    "a call to 'unfreezable' failed: cannot serialise the values: the datastream "
                    "serialiser cannot carry value 0 of type QObject*"));
            QVERIFY(processExists(rpc->processId()));
        }
        QTRY_COMPARE(recorder.errors.size(), 2);
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.errors.size(), 2); // and the worker ended normally
    }

    void unfreezableEventIsReportedAndTheCallGoesOn_data() { addBuiltinSerialiserColumn(); }
    void unfreezableEventIsReportedAndTheCallGoesOn()
    {
        QFETCH(QString, serialiser);
        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(QStringLiteral("unfreezableEvent"), options(serialiser)));
        Recorder recorder(rpc.get());
        const QVariantList harmless = harmlessArgs(serialiser);
        const Outcome got = callAndWait(rpc.get(), harmless);
        QVERIFY2(got.ok, qPrintable(got.failure));
        QCOMPARE(got.results, harmless);
        QTRY_COMPARE(recorder.errors.size(), 1);
        QVERIFY2(
            recorder.errors.first().startsWith(QStringLiteral("cannot serialise the values: the ")
                + serialiser + QStringLiteral(" serialiser")),
            qPrintable(recorder.errors.first()));
        QVERIFY2(recorder.errors.first().contains(QLatin1String("QObject*")),
            qPrintable(recorder.errors.first()));
    }

    void typeUnknownToTheWorkerFailsOnlyThatCall()
    {
        // ParentOnly is registered in this process only now, after the template was forked.
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("echo")));
        Recorder recorder(rpc.get());
        const Outcome refused = callAndWait(rpc.get(), { QVariant::fromValue(ParentOnly { 5 }) });
        QVERIFY(refused.finished);
        QVERIFY(!refused.ok);
        QCOMPARE(refused.failure,
            QStringLiteral(
                "a call to 'echo' failed: cannot deserialise the values: the data is not a valid "
                "QDataStream of a QVariantList"));
        const Outcome next = callAndWait(rpc.get(), { 1 });
        QVERIFY2(next.ok, qPrintable(next.failure));
        QCOMPARE(next.results, QVariantList { 1 });
        QCOMPARE(recorder.errors.size(), 1);
    }

    // ---- Custom serialisers --------------------------------------------------------------

    void customSerialiserRoundTrips_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<Spawn>("spawn");
        QTest::addColumn<QVariantList>("values");
        const QVariantList lines { QStringLiteral("first"), QString(),
            QStringLiteral("dritte Zeile, ünïcödé") };
        const QVariantList bytes { QByteArray("\0\x01\xfe\xff", 4), QByteArray(), pattern(100000) };
        for (auto spawn : { std::pair { "template", Spawn::Template },
                 std::pair { "exec", Spawn::Exec }, std::pair { "fork", Spawn::Fork } }) {
            QTest::addRow("reverse-lines by macro, %s", spawn.first)
                << QStringLiteral("reverse-lines") << spawn.second << lines;
            QTest::addRow("reverse-lines, no values, %s", spawn.first)
                << QStringLiteral("reverse-lines") << spawn.second << QVariantList();
            QTest::addRow("reverse-lines, one empty string, %s", spawn.first)
                << QStringLiteral("reverse-lines") << spawn.second << QVariantList { QString() };
            QTest::addRow("hex by registerSerialiser(), %s", spawn.first)
                << QStringLiteral("hex") << spawn.second << bytes;
        }
    }
    void customSerialiserRoundTrips()
    {
        QFETCH(QString, serialiser);
        QFETCH(Spawn, spawn);
        QFETCH(QVariantList, values);
        const bool reverseLines = serialiser == QLatin1String("reverse-lines");
        int &freezes = reverseLines ? reverseLinesFreezes : hexFreezes;
        int &thaws = reverseLines ? reverseLinesThaws : hexThaws;
        const int freezesBefore = freezes;
        const int thawsBefore = thaws;

        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(QStringLiteral("echo"), options(serialiser, false, spawn)));
        Recorder recorder(rpc.get());
        const Outcome got = callAndWait(rpc.get(), values);
        QVERIFY2(got.ok, qPrintable(got.failure));
        const QString diff = difference(got.results, values);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        // This process froze the arguments and thawed the results with it; the worker thawed and
        // froze with it too, or the results would not have read back.
        QCOMPARE(freezes, freezesBefore + 1);
        QCOMPARE(thaws, thawsBefore + 1);
        QVERIFY(recorder.errors.isEmpty());
    }

    void registerSerialiserRefusesBadArguments()
    {
        const auto freeze = [](const QVariantList &) { return QByteArray(); };
        const auto thaw = [](const QByteArray &) { return QVariantList(); };
        QVERIFY(!QForkRpc::registerSerialiser(QString(), freeze, thaw));
        QVERIFY(!QForkRpc::registerSerialiser(QStringLiteral("no-freeze"), nullptr, thaw));
        QVERIFY(!QForkRpc::registerSerialiser(QStringLiteral("no-thaw"), freeze, nullptr));
    }

    void throwingSerialiserFailsOnlyThatCall_data()
    {
        QTest::addColumn<QString>("stage");
        QTest::addColumn<bool>("async");
        QTest::addColumn<QString>("reason");
        for (bool async : { false, true }) {
            const char *backend = async ? "async" : "sync";
            QTest::addRow("parent freeze, %s", backend)
                << QStringLiteral("parent-freeze") << async
                << QStringLiteral("the serialiser 'fails-at' cannot serialise the values: nope");
            QTest::addRow("worker thaw, %s", backend)
                << QStringLiteral("worker-thaw") << async
                << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: nope");
            QTest::addRow("worker freeze, %s", backend)
                << QStringLiteral("worker-freeze") << async
                << QStringLiteral("the serialiser 'fails-at' cannot serialise the values: nope");
            QTest::addRow("parent thaw, %s", backend)
                << QStringLiteral("parent-thaw") << async
                << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: nope");
            QTest::addRow("parent freeze throws an int, %s", backend)
                << QStringLiteral("parent-freeze-int") << async
                << QStringLiteral(
                       "the serialiser 'fails-at' cannot serialise the values: unknown exception");
            QTest::addRow("worker thaw throws an int, %s", backend)
                << QStringLiteral("worker-thaw-int") << async
                << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: "
                                  "unknown exception");
            QTest::addRow("worker freeze throws an int, %s", backend)
                << QStringLiteral("worker-freeze-int") << async
                << QStringLiteral(
                       "the serialiser 'fails-at' cannot serialise the values: unknown exception");
            QTest::addRow("parent thaw throws an int, %s", backend)
                << QStringLiteral("parent-thaw-int") << async
                << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: "
                                  "unknown exception");
        }
    }
    void throwingSerialiserFailsOnlyThatCall()
    {
        QFETCH(QString, stage);
        QFETCH(bool, async);
        QFETCH(QString, reason);
        const QString function = async ? QStringLiteral("echoAsync") : QStringLiteral("echo");
        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(function, options(QStringLiteral("fails-at"), async)));
        Recorder recorder(rpc.get());
        const Outcome failed = callAndWait(rpc.get(), { stage });
        QVERIFY(failed.finished);
        QVERIFY(!failed.ok);
        QCOMPARE(failed.failure, QStringLiteral("a call to '%1' failed: %2").arg(function, reason));
        QTRY_COMPARE(recorder.errors.size(), 1);
        QCOMPARE(recorder.errors.first(), failed.failure);

        const Outcome next = callAndWait(rpc.get(), { QStringLiteral("no stage"), 2 });
        QVERIFY2(next.ok, qPrintable(next.failure));
        QCOMPARE(next.results, (QVariantList { QStringLiteral("no stage"), 2 }));
        QVERIFY(processExists(rpc->processId()));
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.errors.size(), 1);
    }

    void builtinThawOfGarbageFailsOnlyThatCall_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QString>("side");
        QTest::addColumn<QString>("reason");
        const QList<std::pair<const char *, const char *>> reasons {
            { "datastream", "the data is not a valid QDataStream of a QVariantList" },
            { "octets", "truncated or invalid octets length" },
            { "json", "invalid JSON: " },
            { "cbor", "invalid CBOR: " },
        };
        for (const auto &r : reasons) {
            // Garbage written by the parent is thawed (and refused) by the worker, and the other
            // way.
            QTest::addRow("%s, thawed in the worker", r.first) << QString::fromLatin1(
                r.first) << QStringLiteral("parent") << QString::fromLatin1(r.second);
            QTest::addRow("%s, thawed in the parent", r.first) << QString::fromLatin1(
                r.first) << QStringLiteral("worker") << QString::fromLatin1(r.second);
        }
    }
    void builtinThawOfGarbageFailsOnlyThatCall()
    {
        QFETCH(QString, serialiser);
        QFETCH(QString, side);
        QFETCH(QString, reason);
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(
            QStringLiteral("echo"), options(QStringLiteral("garbled-") + serialiser)));
        Recorder recorder(rpc.get());
        const QString garble = QStringLiteral("garble-in-") + side;
        const QVariant marker
            = serialiser == QLatin1String("octets") ? QVariant(garble.toUtf8()) : QVariant(garble);
        const Outcome failed = callAndWait(rpc.get(), { marker });
        QVERIFY(failed.finished);
        QVERIFY(!failed.ok);
        const QString prefix = QStringLiteral("a call to 'echo' failed: the serialiser "
                                              "'garbled-%1' cannot deserialise the values: ")
                                   .arg(serialiser)
            + reason;
        QVERIFY2(failed.failure.startsWith(prefix), qPrintable(failed.failure));
        QTRY_COMPARE(recorder.errors.size(), 1);

        const QVariantList harmless = harmlessArgs(serialiser);
        const Outcome next = callAndWait(rpc.get(), harmless);
        QVERIFY2(next.ok, qPrintable(next.failure));
        QCOMPARE(next.results, harmless);
        QCOMPARE(recorder.errors.size(), 1);
    }

    // ---- Serialiser names ----------------------------------------------------------------

    void unknownSerialiserIsReportedAfterRun_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("made up") << QStringLiteral("no-such-serialiser");
        QTest::newRow("empty") << QString();
        QTest::newRow("names are case-sensitive") << QStringLiteral("JSON");
    }
    void unknownSerialiserIsReportedAfterRun()
    {
        QFETCH(QString, name);
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("echo"), options(name)));
        // Connected only now: the error must come after run() has returned.
        QStringList errors;
        connect(
            rpc.get(), &QForkRpc::error, this, [&](const QString &message) { errors << message; });
        QFuture<QVariantList> future = rpc->call({ 1 });
        QTRY_COMPARE(errors.size(), 1);
        const QString message = QStringLiteral("there is no registered serialiser '%1'").arg(name);
        QVERIFY2(errors.first().contains(message), qPrintable(errors.first()));
        QTRY_VERIFY(future.isFinished());
        try {
            future.waitForFinished();
            QFAIL("the call did not fail");
        } catch (const std::exception &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
        }
        QCOMPARE(rpc->processId(), qint64(0)); // no worker was started
        QTest::qWait(50);
        QCOMPARE(errors.size(), 1);
    }

    void serialiserRegisteredAfterInitializeReachesOnlyForkedWorkers_data()
    {
        QTest::addColumn<Spawn>("spawn");
        QTest::addColumn<bool>("works");
        QTest::newRow("template") << Spawn::Template << false;
        QTest::newRow("exec") << Spawn::Exec << false;
        QTest::newRow("fork") << Spawn::Fork << true; // a copy of this process, registry and all
    }
    void serialiserRegisteredAfterInitializeReachesOnlyForkedWorkers()
    {
        QFETCH(Spawn, spawn);
        QFETCH(bool, works);
        const QString name = QStringLiteral("registered-too-late");
        QVERIFY(QForkRpc::registerSerialiser(name, QForkRpcDetail::dataStreamSerialiser().freeze,
            QForkRpcDetail::dataStreamSerialiser().thaw));
        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(QStringLiteral("echo"), options(name, false, spawn)));
        Recorder recorder(rpc.get());
        const Outcome got = callAndWait(rpc.get(), { 1 });
        QVERIFY(got.finished);
        if (works) {
            QVERIFY2(got.ok, qPrintable(got.failure));
            QVERIFY(recorder.errors.isEmpty());
        } else {
            QVERIFY(!got.ok);
            QVERIFY2(got.failure.contains(
                         QStringLiteral("there is no registered serialiser 'registered-too-late'")),
                qPrintable(got.failure));
            QTRY_VERIFY(!recorder.errors.isEmpty());
            QVERIFY2(recorder.errors.first().contains(
                         QStringLiteral("there is no registered serialiser 'registered-too-late'")),
                qPrintable(recorder.errors.first()));
        }
    }
};

QFORKRPC_TEST_MAIN(tst_SerialisersInWorkers)
#include "tst_serialisersinworkers.moc"
