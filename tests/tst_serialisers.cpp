// SPDX-License-Identifier: MIT
// The serialisers: round trips of every built-in one through real workers, refusals of values a
// serialiser cannot carry (in the parent and in the worker), custom serialisers registered by
// macro and by function, serialisers that throw or write garbage, unknown serialiser names, and
// the built-in freeze/thaw functions fed random, truncated and crafted bytes.
//
// The built-in serialisers are internal (hidden in the shared library): this test links
// qforkrpc_internal, and its workers run the same copy of the library.
#include "testmain.h"
#include "testsupport.h"

#include "serialisers/serialisers_p.h"

#include <QtCore/QBitArray>
#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QDataStream>
#include <QtCore/QDateTime>
#include <QtCore/QEasingCurve>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QLine>
#include <QtCore/QLocale>
#include <QtCore/QPoint>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRect>
#include <QtCore/QRegularExpression>
#include <QtCore/QSize>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtCore/QVersionNumber>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantMap>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer (QFORKRPC_SANITIZE), an impossible allocation must fail as it does
// without it, by malloc returning null, instead of aborting: garbage counts make QDataStream ask
// QList::reserve() for up to 128 GiB, which Qt takes in its stride when malloc says no.
extern "C" const char *__asan_default_options()
{
    return "allocator_may_return_null=1";
}
#endif

using Spawn = QForkRpc::Spawn;
using QForkRpcDetail::Serialiser;
using QForkRpcDetail::SerialiserError;

// ---- Types ---------------------------------------------------------------------------------

// No QDataStream operators: no serialiser can carry it.
struct Opaque
{
    int value = 0;
};
Q_DECLARE_METATYPE(Opaque)

// Streamable, and registered at static-initialisation time, so that workers know it by name.
struct Streamable
{
    qint32 number = 0;
    QString text;
    friend bool operator==(const Streamable &a, const Streamable &b)
    {
        return a.number == b.number && a.text == b.text;
    }
};
QDataStream &operator<<(QDataStream &out, const Streamable &s)
{
    return out << s.number << s.text;
}
QDataStream &operator>>(QDataStream &in, Streamable &s)
{
    return in >> s.number >> s.text;
}
Q_DECLARE_METATYPE(Streamable)

// Streamable too, but first used (and so registered) by the parent only after initialize(): a
// worker forked from the template does not know its name.
struct ParentOnly
{
    qint32 number = 0;
    friend bool operator==(const ParentOnly &a, const ParentOnly &b) { return a.number == b.number; }
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

const int streamableTypeId = qRegisterMetaType<Streamable>();

// ---- Worker functions of this test ---------------------------------------------------------

QVariant unfreezableValue()
{
    return QVariant::fromValue(static_cast<QObject *>(nullptr));
}

// Returns its arguments, or a QObject* when the first argument says "unfreezable".
QVariantList echoUnlessUnfreezable(const QVariantList &args)
{
    if (args.value(0).toString() == QLatin1String("unfreezable"))
        return { unfreezableValue() };
    return args;
}
QFORKRPC_REGISTER("echoUnlessUnfreezable", echoUnlessUnfreezable);
QFORKRPC_REGISTER("echoUnlessUnfreezableAsync", [](QForkRpcDone done, const QVariantList &args) {
    done(echoUnlessUnfreezable(args));
});

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

Serialiser builtin(const QString &name)
{
    if (name == QLatin1String("datastream"))
        return QForkRpcDetail::dataStreamSerialiser();
    if (name == QLatin1String("octets"))
        return QForkRpcDetail::octetsSerialiser();
    if (name == QLatin1String("json"))
        return QForkRpcDetail::jsonSerialiser();
    if (name == QLatin1String("cbor"))
        return QForkRpcDetail::cborSerialiser();
    qFatal("no built-in serialiser %s", qPrintable(name));
}

// "fails-at": datastream underneath, but throws at the stage the first value names
// ("parent-freeze", "worker-thaw", "worker-freeze", "parent-thaw"): std::runtime_error("nope"),
// or an int with "-int" appended.
void throwIfStage(const QVariantList &values, const char *operation)
{
    const QString wanted = values.value(0).toString();
    const QString here = QLatin1String(QForkRpcChild::isChild() ? "worker-" : "parent-") + QLatin1String(operation);
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
                         if (wanted == QLatin1String(QForkRpcChild::isChild() ? "garble-in-worker" : "garble-in-parent"))
                             return garbageFor(base);
                         return builtin(base).freeze(values);
                     },
                     [base](const QByteArray &bytes) { return builtin(base).thaw(bytes); })
                && ok;
    }
    return ok;
}();

// ---- Helpers -------------------------------------------------------------------------------

constexpr qsizetype MiB = 1024 * 1024;

QByteArray pattern(qsizetype size, int seed = 0)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed) % 251);
    return bytes;
}

QByteArray everyByte()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

QString describe(const QVariant &value)
{
    QString text;
    QDebug(&text).nospace() << value;
    return text.size() > 300 ? text.left(300) + QStringLiteral("...") : text;
}

// Empty when `got` equals `want` with the same types all the way down (QVariant's own == calls
// 1 and 1.0 equal), else where and how they differ. NaN equals NaN here, -0.0 differs from 0.0,
// and date-times must agree on their time spec as well as on the instant.
QString difference(const QVariant &got, const QVariant &want, const QString &where)
{
    const QString mismatch = QStringLiteral("%1: got %2, expected %3").arg(where, describe(got), describe(want));
    if (got.metaType() != want.metaType())
        return mismatch;
    switch (want.metaType().id()) {
    case QMetaType::QVariantList: {
        const QVariantList g = got.toList();
        const QVariantList w = want.toList();
        if (g.size() != w.size())
            return QStringLiteral("%1: %2 values instead of %3").arg(where).arg(g.size()).arg(w.size());
        for (qsizetype i = 0; i < w.size(); ++i) {
            const QString d = difference(g.at(i), w.at(i), where + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'));
            if (!d.isEmpty())
                return d;
        }
        return QString();
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        const QVariantHash gh = got.toHash();
        const QVariantHash wh = want.toHash();
        if (gh.keys().size() != wh.keys().size())
            return mismatch;
        for (auto it = wh.cbegin(); it != wh.cend(); ++it) {
            if (!gh.contains(it.key()))
                return QStringLiteral("%1: key %2 missing").arg(where, it.key());
            const QString d = difference(gh.value(it.key()), it.value(), where + QLatin1Char('.') + it.key());
            if (!d.isEmpty())
                return d;
        }
        return QString();
    }
    case QMetaType::Double:
    case QMetaType::Float: {
        const double g = got.toDouble();
        const double w = want.toDouble();
        const bool same = std::isnan(w) ? std::isnan(g) : (g == w && std::signbit(g) == std::signbit(w));
        return same ? QString() : mismatch;
    }
    case QMetaType::QVariantPair: {
        const auto g = got.value<QVariantPair>();
        const auto w = want.value<QVariantPair>();
        const QString d = difference(g.first, w.first, where + QStringLiteral(".first"));
        return d.isEmpty() ? difference(g.second, w.second, where + QStringLiteral(".second")) : d;
    }
    case QMetaType::QDateTime: {
        const QDateTime g = got.toDateTime();
        const QDateTime w = want.toDateTime();
        const bool same = g == w && g.timeSpec() == w.timeSpec() && g.offsetFromUtc() == w.offsetFromUtc();
        return same ? QString() : mismatch;
    }
    default:
        return got == want ? QString() : mismatch;
    }
}
QString difference(const QVariantList &got, const QVariantList &want)
{
    return difference(QVariant(got), QVariant(want), QStringLiteral("values"));
}

// Stricter than difference(), for comparing two readers of the same bytes: the null flags of the
// QVariants and of the strings in them must agree too, and doubles bit for bit.
QString exactDifference(const QVariant &got, const QVariant &want, const QString &where)
{
    const QString mismatch = QStringLiteral("%1: got %2 (null %3), expected %4 (null %5)")
                                     .arg(where, describe(got)).arg(got.isNull()).arg(describe(want)).arg(want.isNull());
    if (got.metaType() != want.metaType() || got.isNull() != want.isNull())
        return mismatch;
    switch (want.metaType().id()) {
    case QMetaType::QVariantList: {
        const QVariantList g = got.toList();
        const QVariantList w = want.toList();
        if (g.size() != w.size())
            return mismatch;
        for (qsizetype i = 0; i < w.size(); ++i) {
            const QString d = exactDifference(g.at(i), w.at(i), where + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'));
            if (!d.isEmpty())
                return d;
        }
        return QString();
    }
    case QMetaType::Double: {
        const double g = got.toDouble();
        const double w = want.toDouble();
        return std::memcmp(&g, &w, sizeof g) == 0 ? QString() : mismatch;
    }
    case QMetaType::QString:
        return got.toString().isNull() == want.toString().isNull() && got == want ? QString() : mismatch;
    case QMetaType::QByteArray:
        return got.toByteArray().isNull() == want.toByteArray().isNull() && got == want ? QString() : mismatch;
    default:
        return got == want ? QString() : mismatch;
    }
}

QByteArray qDataStreamBytes(const QVariantList &values)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << values;
    return bytes;
}

// The general reader's answer for the bytes: false if it refuses them.
bool generalRead(const QByteArray &bytes, QVariantList *values)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_0);
    QForkRpcDetail::readVariantList(in, values);
    return in.status() == QDataStream::Ok && in.atEnd();
}

// Values of the types datastream's fast path handles, with their edge cases and null forms.
QVariantList commonEdgeValues()
{
    return { QVariant(), QVariant(QMetaType::fromType<int>()), QVariant(QMetaType::fromType<QString>()),
             QVariant(QMetaType::fromType<QByteArray>()), QVariant(QMetaType::fromType<double>()),
             true, false, 0, -1, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(),
             0u, std::numeric_limits<uint>::max(), qlonglong(std::numeric_limits<qint64>::min()),
             qlonglong(std::numeric_limits<qint64>::max()), qulonglong(std::numeric_limits<quint64>::max()),
             0.0, -0.0, 1.5, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
             std::numeric_limits<double>::denorm_min(), QString(), QStringLiteral(""), QStringLiteral("h\u00e9\u0000llo \U0001D11E"),
             QByteArray(), QByteArray(""), QByteArray("\0\xff\x80", 3), QVariantList(), QVariantList { QVariantList { QVariantList {} } },
             QVariantList { 1, QStringLiteral("two"), QByteArray("3"), QVariantList { 4.0 } } };
}

QVariant randomCommonValue(QRandomGenerator &random, int depth)
{
    switch (random.bounded(depth < 4 ? 10 : 9)) {
    case 0: return random.bounded(2) == 0 ? QVariant() : QVariant(QMetaType::fromType<int>());
    case 1: return bool(random.bounded(2));
    case 2: return int(random.generate());
    case 3: return uint(random.generate());
    case 4: return qlonglong(random.generate64());
    case 5: return qulonglong(random.generate64());
    case 6: {
        const quint64 bits = random.generate64();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case 7: {
        QString text;
        for (int i = random.bounded(20); i > 0; --i)
            text.append(QChar(char16_t(random.bounded(0x10000))));
        return random.bounded(8) == 0 ? QString() : text;
    }
    case 8: {
        QByteArray bytes(random.bounded(40), Qt::Uninitialized);
        for (char &c : bytes)
            c = char(random.bounded(256));
        return random.bounded(8) == 0 ? QByteArray() : bytes;
    }
    default: {
        QVariantList list;
        for (int i = random.bounded(5); i > 0; --i)
            list.append(randomCommonValue(random, depth + 1));
        return list;
    }
    }
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
        if (via == Via::Json && std::isfinite(d) && d == std::trunc(d) && d >= -9223372036854775808.0
            && d < 9223372036854775808.0)
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

// Discards Qt's messages while it lives: QVariant::load warns about every unknown type id that
// garbage contains.
struct QuietMessages
{
    QtMessageHandler previous;
    QuietMessages() : previous(qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) { })) { }
    ~QuietMessages() { qInstallMessageHandler(previous); }
};

// Thaws `bytes`, which must either give values or throw a std::exception.
enum class ThawResult { Values, Threw };
ThawResult thawSafely(const Serialiser &serialiser, const QByteArray &bytes, QVariantList *values = nullptr,
                      QString *reason = nullptr)
{
    try {
        const QVariantList v = serialiser.thaw(bytes);
        if (values)
            *values = v;
        return ThawResult::Values;
    } catch (const std::exception &e) {
        if (reason)
            *reason = QString::fromUtf8(e.what());
        return ThawResult::Threw;
    }
    // Anything else escapes and fails the test: the contract is std::exception.
}

// Runs `serialiser`'s thaw over every input in a child process, so that a crash shows as a
// failure of one test instead of ending them all. Returns what went wrong, and on which input,
// or an empty string.
QString thawInChild(const Serialiser &serialiser, const QList<QByteArray> &inputs)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return QStringLiteral("pipe() failed");
    QuietMessages quiet; // in the child as well
    const pid_t pid = ::fork();
    if (pid < 0)
        return QStringLiteral("fork() failed");
    if (pid == 0) {
        // Die of a crash plainly, without QtTest's crash handler.
        for (int sig : { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL })
            std::signal(sig, SIG_DFL);
        ::alarm(120); // and of a hang, by SIGALRM
        ::close(fds[0]);
        for (qsizetype i = 0; i < inputs.size(); ++i) {
            const qint64 index = i;
            if (::write(fds[1], &index, sizeof index) != sizeof index)
                ::_exit(4);
            try {
                (void)serialiser.thaw(inputs.at(i));
            } catch (const std::exception &) {
            } catch (...) {
                ::_exit(3);
            }
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    qint64 last = -1;
    qint64 index = 0;
    while (::read(fds[0], &index, sizeof index) == sizeof index)
        last = index;
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return QString();
    const QString input = last >= 0 ? QString::fromLatin1(inputs.at(last).left(64).toHex()) : QStringLiteral("?");
    if (WIFSIGNALED(status))
        return QStringLiteral("thaw crashed (signal %1, %2) on input %3 (hex, %4 inputs before it were fine)")
                .arg(WTERMSIG(status)).arg(QString::fromLocal8Bit(strsignal(WTERMSIG(status))), input).arg(last);
    if (WEXITSTATUS(status) == 3)
        return QStringLiteral("thaw threw something that is not a std::exception on input %1").arg(input);
    return QStringLiteral("the child ended with status %1").arg(status);
}

// The bytes a QVariantList of one QBitArray whose length says -1 would be as a datastream.
QByteArray negativeBitArray()
{
    return QByteArray::fromHex("00000001" "0000000d" "00" "ffffffffffffffff");
}

// A QVariantList of one value, as the datastream serialiser would write it, with `write`
// writing the value's QVariant (type id, null flag, data) by hand.
template<typename Write>
QByteArray oneValue(Write write)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << quint32(1);
    write(out);
    return bytes;
}

qint64 statusKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith(field))
            return line.mid(qsizetype(std::strlen(field))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Thaws `bytes` once in a child process and says how it went ("values", "threw: <what>", or how
// the child ended) and by how much its address space grew at most meanwhile (VmPeak, which
// starts at VmSize in a new process). A plain build grants a request for gigabytes that is never
// touched without costing resident memory, and Qt 6.4 goes on quietly when a reservation fails:
// the peak is what shows such a request. (Meaningless under AddressSanitizer.)
struct ChildThaw
{
    QString outcome;
    qint64 peakGrowthKiB = -1;
};
ChildThaw thawInChildMeasuringPeak(const Serialiser &serialiser, const QByteArray &bytes)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return { QStringLiteral("pipe() failed") };
    QuietMessages quiet; // in the child as well
    const pid_t pid = ::fork();
    if (pid < 0)
        return { QStringLiteral("fork() failed") };
    if (pid == 0) {
        for (int sig : { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL })
            std::signal(sig, SIG_DFL);
        ::alarm(60); // a hang ends as SIGALRM
        ::close(fds[0]);
        const qint64 before = statusKiB("VmSize:");
        QByteArray outcome;
        try {
            (void)serialiser.thaw(bytes);
            outcome = "values";
        } catch (const std::exception &e) {
            outcome = QByteArray("threw: ") + e.what();
        } catch (...) {
            outcome = "threw something that is not a std::exception";
        }
        outcome = QByteArray::number(statusKiB("VmPeak:") - before) + ' ' + outcome;
        (void)!::write(fds[1], outcome.constData(), size_t(outcome.size()));
        ::_exit(0);
    }
    ::close(fds[1]);
    QByteArray report;
    char buffer[512];
    ssize_t n;
    while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            report.append(buffer, n);
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    if (WIFSIGNALED(status))
        return { QStringLiteral("the child was killed by signal %1 (%2)").arg(WTERMSIG(status)).arg(QString::fromLocal8Bit(strsignal(WTERMSIG(status)))) };
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return { QStringLiteral("the child ended with status %1").arg(status) };
    const qsizetype space = report.indexOf(' ');
    return { QString::fromUtf8(report.mid(space + 1)), report.left(space).toLongLong() };
}

// Values of every kind each built-in serialiser carries, frozen for the garbage tests.
QVariantList richValues(const QString &name)
{
    if (name == QLatin1String("octets"))
        return { QByteArray(), QByteArray("a"), pattern(200), QByteArray("xyz"), pattern(20000) };
    QVariantList values { QVariant::fromValue(nullptr), true, 42, -7, 1.5, QStringLiteral("grüße\n"),
                          QVariantList { 1, QVariantMap { { QStringLiteral("k"), QStringLiteral("v") } } },
                          QStringList { QStringLiteral("a"), QStringLiteral("b") } };
    if (name == QLatin1String("json"))
        return values;
    values << QByteArray("\0\1\2", 3) << QDateTime(QDate(2021, 3, 4), QTime(5, 6, 7, 8), Qt::UTC)
           << QUrl(QStringLiteral("https://example.org/a?b#c")) << QUuid(QStringLiteral("{3b1e4f0a-5a2d-4c8e-9f3c-2a1b0c9d8e7f}"));
    if (name == QLatin1String("cbor"))
        return values << QRegularExpression(QStringLiteral("a+b"));
    return values << QPoint(1, 2) << QVariant() << QVariant::fromValue(Streamable { 7, QStringLiteral("seven") })
                  << QVariantHash { { QStringLiteral("h"), QBitArray(13, true) } };
}

} // namespace

class tst_Serialisers : public QObject
{
    Q_OBJECT

private:
    static void addBuiltinColumn()
    {
        QTest::addColumn<QString>("serialiser");
        for (const char *name : { "datastream", "octets", "json", "cbor" })
            QTest::newRow(name) << QString::fromLatin1(name);
    }

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
            { "large ones between small ones", { QByteArray("a"), pattern(64 * 1024), QByteArray(), pattern(200 * 1024, 7), QByteArray("z") } },
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
            { "escapes and controls", QString(QStringLiteral("quote \" backslash \\ newline \n tab \t bell \a NUL ") + QChar(0)) },
            { "string list", QStringList { QStringLiteral("a"), QString(), QStringLiteral("ü") } },
            { "empty list", QVariantList() },
            { "nested lists", QVariantList { 1, QVariantList { 2.5, QVariantList { QStringLiteral("three"), QVariant(), true } } } },
            { "map", QVariantMap { { QStringLiteral("k"), 1 }, { QStringLiteral("ü"), QVariantList { true, QVariant() } }, { QString(), 2 } } },
            { "empty map", QVariantMap() },
            { "hash", QVariantHash { { QStringLiteral("h"), 2.5 }, { QStringLiteral("i"), QVariantHash { { QStringLiteral("j"), 1u } } } } },
            { "QJsonObject", QVariant::fromValue(QJsonObject { { QStringLiteral("a"), 1 }, { QStringLiteral("b"), QJsonArray { true, 2.5 } } }) },
        };
        QVariantList allJson;
        for (const auto &c : jsonCases) {
            allJson << c.second;
            QTest::addRow("datastream: %s", c.first) << datastream << QVariantList { c.second } << QVariantList { c.second };
            QTest::addRow("json: %s", c.first) << json << QVariantList { c.second } << QVariantList { expectedVia(Via::Json, c.second) };
            QTest::addRow("cbor: %s", c.first) << cbor << QVariantList { c.second } << QVariantList { expectedVia(Via::Cbor, c.second) };
        }
        QTest::addRow("json: no values") << json << QVariantList() << QVariantList();
        QTest::addRow("json: everything at once") << json << allJson << expectedVia(Via::Json, allJson).toList();
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
            { "time-zone date-time (becomes an offset)", zoned, zoned.toOffsetFromUtc(zoned.offsetFromUtc()) },
            { "URL", QUrl(QStringLiteral("https://user@example.org:8080/p/ä%20b?q=1&r=ü#frag")), QUrl(QStringLiteral("https://user@example.org:8080/p/ä%20b?q=1&r=ü#frag")) },
            { "UUID", QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")), QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")) },
            { "null UUID", QUuid(), QUuid() },
            { "regular expression", QRegularExpression(QStringLiteral("^a+(b|c)$")), QRegularExpression(QStringLiteral("^a+(b|c)$")) },
            { "NaN", qQNaN(), qQNaN() },
            { "infinity", qInf(), qInf() },
            { "-infinity", -qInf(), -qInf() },
            { "float NaN", std::numeric_limits<float>::quiet_NaN(), qQNaN() },
            { "bytes in a map in a list", QVariantList { QVariantMap { { QStringLiteral("b"), QByteArray("\0\xff", 2) } } },
              QVariantList { QVariantMap { { QStringLiteral("b"), QByteArray("\0\xff", 2) } } } },
        };
        QVariantList allCbor = allJson;
        QVariantList allCborExpected = expectedVia(Via::Cbor, allJson).toList();
        for (const CborCase &c : cborCases) {
            allCbor << c.value;
            allCborExpected << c.cbor;
            QTest::addRow("datastream: %s", c.name) << datastream << QVariantList { c.value } << QVariantList { c.value };
            QTest::addRow("cbor: %s", c.name) << cbor << QVariantList { c.value } << QVariantList { c.cbor };
        }
        QTest::addRow("cbor: no values") << cbor << QVariantList() << QVariantList();
        QTest::addRow("cbor: everything at once") << cbor << allCbor << allCborExpected;
        QTest::addRow("cbor: 5 MiB of bytes") << cbor << QVariantList { pattern(5 * MiB) } << QVariantList { pattern(5 * MiB) };

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
            { "regular expression with options", QRegularExpression(QStringLiteral("a.b"), QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption) },
            { "qint8", QVariant::fromValue(qint8(-5)) },
            { "quint8", QVariant::fromValue(quint8(250)) },
            { "short", QVariant::fromValue(short(-300)) },
            { "ushort", QVariant::fromValue(ushort(60000)) },
            { "long", QVariant::fromValue(long(-70000)) },
            { "qulonglong max", QVariant::fromValue(qulonglong(ULLONG_MAX)) },
            { "null QString", QString() },
            { "a custom streamable type", QVariant::fromValue(Streamable { 42, QStringLiteral("answer") }) },
            { "200 nested lists", deep },
            { "QCborMap with an integer key", QVariant::fromValue(intKeys) },
            { "QJsonArray", QVariant::fromValue(QJsonArray { 1, QStringLiteral("two") }) },
            // Read by the library itself rather than by Qt (datastream.cpp):
            { "QVariantPair", QVariant::fromValue(QVariantPair(1, QStringLiteral("two"))) },
            { "QVariantPair of a list and a pair",
              QVariant::fromValue(QVariantPair(QVariantList { 1, QVariantMap { { QStringLiteral("k"), 2.5 } } },
                                               QVariant::fromValue(QVariantPair(QVariant(), QByteArray("b"))))) },
            { "date-time in a custom time zone",
              QDateTime(QDate(2022, 6, 1), QTime(12, 0), QTimeZone("Custom/Zone", 5400, QStringLiteral("Custom Time"), QStringLiteral("CT"), QLocale::France, QStringLiteral("made up"))) },
            { "date-time in a UTC offset zone", QDateTime(QDate(2022, 6, 1), QTime(12, 0), QTimeZone(-3600)) },
        };
        QVariantList allDataStream = allCbor;
        for (const auto &c : dataStreamCases) {
            allDataStream << c.second;
            QTest::addRow("datastream: %s", c.first) << datastream << QVariantList { c.second } << QVariantList { c.second };
        }
        QTest::addRow("datastream: no values") << datastream << QVariantList() << QVariantList();
        QTest::addRow("datastream: everything at once") << datastream << allDataStream << allDataStream;
        QTest::addRow("datastream: 5 MiB of bytes") << datastream << QVariantList { pattern(5 * MiB) } << QVariantList { pattern(5 * MiB) };
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
            QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        }
    }

    // ---- octets without copies ---------------------------------------------------------

    // Large strings become frame pieces that share the caller's buffers; the pieces together are
    // exactly what freeze() returns.
    void octetsFreezeSharesLargeStrings()
    {
        const Serialiser s = QForkRpcDetail::octetsSerialiser();
        QVERIFY(s.freezePieces);
        const QByteArray big = pattern(200 * 1024, 5);
        const QByteArray bigger = pattern(MiB, 9);
        const QVariantList values { QByteArray("a"), big, QByteArray("bc"), bigger };
        QForkRpcDetail::FramePayload payload;
        s.freezePieces(values, &payload);
        QByteArray joined;
        bool bigShared = false;
        bool biggerShared = false;
        for (const QByteArray &piece : payload.pieces()) {
            joined += piece;
            bigShared = bigShared || piece.constData() == big.constData();
            biggerShared = biggerShared || piece.constData() == bigger.constData();
        }
        QVERIFY(bigShared);
        QVERIFY(biggerShared);
        QCOMPARE(payload.size(), joined.size());
        QCOMPARE(joined, s.freeze(values));
        QCOMPARE(s.thaw(joined), values);

        QForkRpcDetail::FramePayload small;
        s.freezePieces({ QByteArray("x"), QByteArray("y") }, &small);
        QCOMPARE(small.pieces().size(), 1); // small values are packed into one buffer
        QForkRpcDetail::FramePayload none;
        s.freezePieces({}, &none);
        QCOMPARE(none.size(), 0);
    }

    // ---- datastream's fast path for common types ----------------------------------------

    // It writes exactly QDataStream's bytes, and reads them back exactly as the general reader.
    void dataStreamFastPathMatchesQDataStream()
    {
        QRandomGenerator random(20261128);
        QList<QVariantList> cases { {}, commonEdgeValues() };
        for (const QVariant &value : commonEdgeValues())
            cases.append({ value });
        for (int i = 0; i < 2000; ++i) {
            QVariantList values;
            for (int n = random.bounded(8); n > 0; --n)
                values.append(randomCommonValue(random, 0));
            cases.append(values);
        }
        for (const QVariantList &values : cases) {
            QForkRpcDetail::FramePayload fast;
            QVERIFY(QForkRpcDetail::freezeCommonDataStream(values, &fast));
            const QByteArray expected = qDataStreamBytes(values);
            QCOMPARE(fast.joined().toHex(), expected.toHex());
            QVariantList fastRead;
            QByteArray input = expected;
            QVERIFY(QForkRpcDetail::thawCommonDataStream(input, &fastRead));
            QVariantList generalRead_;
            QVERIFY(generalRead(expected, &generalRead_));
            const QString d = exactDifference(QVariant(fastRead), QVariant(generalRead_), QStringLiteral("values"));
            QVERIFY2(d.isEmpty(), qPrintable(d));
        }
    }

    // Bytes the fast reader takes, the general reader takes too, with the same values: damaged
    // input either goes the general way (which words the error) or means the same to both.
    void dataStreamFastPathAcceptsNothingTheGeneralReaderRefuses()
    {
        QRandomGenerator random(1128);
        int fastAccepted = 0;
        for (int i = 0; i < 20000; ++i) {
            QVariantList values;
            for (int n = random.bounded(5); n > 0; --n)
                values.append(randomCommonValue(random, 0));
            QByteArray bytes = qDataStreamBytes(values);
            switch (random.bounded(3)) {
            case 0: // flip a few bytes
                for (int n = 1 + random.bounded(3); n > 0 && !bytes.isEmpty(); --n)
                    bytes[random.bounded(bytes.size())] = char(random.bounded(256));
                break;
            case 1: // cut
                bytes.truncate(random.bounded(bytes.size() + 1));
                break;
            default: // trailing garbage
                bytes.append(char(random.bounded(256)));
                break;
            }
            QVariantList fast;
            QByteArray input = bytes;
            if (!QForkRpcDetail::thawCommonDataStream(input, &fast))
                continue;
            ++fastAccepted;
            QVariantList general;
            QVERIFY2(generalRead(bytes, &general), bytes.toHex().constData());
            const QString d = exactDifference(QVariant(fast), QVariant(general), QStringLiteral("values"));
            QVERIFY2(d.isEmpty(), qPrintable(d + QStringLiteral(" in ") + QString::fromLatin1(bytes.toHex())));
        }
        QVERIFY(fastAccepted > 1000); // the damage often leaves valid data (a changed number)
    }

    // Other types, deep nesting and what it cannot parse are left to the general path.
    void dataStreamFastPathLeavesTheRestToTheGeneralPath()
    {
        QForkRpcDetail::FramePayload payload;
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream({ 1, QDate(2026, 11, 28) }, &payload));
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream({ 1.5f }, &payload));
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream({ QVariantList { QVariantMap { { QStringLiteral("k"), 1 } } } }, &payload));
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream({ QStringList { QStringLiteral("a") } }, &payload));
        QVariant deep = 1;
        for (int i = 0; i < 40; ++i)
            deep = QVariantList { deep };
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream({ deep }, &payload));
        QCOMPARE(payload.size(), 0); // refusing touches nothing
        QVariantList values;
        QByteArray deepBytes = qDataStreamBytes({ deep });
        QVERIFY(!QForkRpcDetail::thawCommonDataStream(deepBytes, &values));
        QByteArray mapBytes = qDataStreamBytes({ QVariantMap() });
        QVERIFY(!QForkRpcDetail::thawCommonDataStream(mapBytes, &values));
        QByteArray empty;
        QVERIFY(!QForkRpcDetail::thawCommonDataStream(empty, &values));
        // and the serialiser as a whole still carries all of them
        const Serialiser s = QForkRpcDetail::dataStreamSerialiser();
        const QVariantList mixed { 1, QDate(2026, 11, 28), 1.5f, deep, QVariantMap { { QStringLiteral("k"), QVariantList { 2 } } } };
        const QString d = difference(s.thaw(s.freeze(mixed)), mixed);
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }

    // Large byte arrays, at any depth, become payload pieces that share the caller's buffers; the
    // pieces together are exactly QDataStream's bytes.
    void dataStreamFreezeSharesLargeByteArrays()
    {
        const Serialiser s = QForkRpcDetail::dataStreamSerialiser();
        QVERIFY(s.freezePieces);
        const QByteArray big = pattern(200 * 1024, 5);
        const QByteArray bigger = pattern(MiB, 9);
        const QVariantList values { 1, big, QStringLiteral("s"), QVariantList { bigger, big, 2 }, QByteArray("small") };
        QForkRpcDetail::FramePayload payload;
        s.freezePieces(values, &payload);
        int shared = 0;
        for (const QByteArray &piece : payload.pieces())
            shared += piece.constData() == big.constData() || piece.constData() == bigger.constData();
        QCOMPARE(shared, 3);
        QCOMPARE(payload.size(), payload.joined().size());
        QCOMPARE(payload.joined().toHex(), qDataStreamBytes(values).toHex());
        QCOMPARE(s.thaw(payload.joined()), values);

        QForkRpcDetail::FramePayload last; // one that ends the values: no empty piece after it
        s.freezePieces({ big }, &last);
        QCOMPARE(last.pieces().size(), 2);
        QCOMPARE(last.joined(), qDataStreamBytes({ big }));
        QForkRpcDetail::FramePayload small;
        s.freezePieces({ QByteArray("x"), 2 }, &small);
        QCOMPARE(small.pieces().size(), 1);
    }

    // A large byte array that ends the data keeps the data's buffer when nobody else holds it,
    // however deep it is, and is copied out when somebody does (so that the other holder's bytes
    // stay as they were); the values before it are copied out.
    void thawKeepsTheBufferOfALargeLastByteArray_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QVariantList>("values");
        const QByteArray big = pattern(MiB, 4);
        QTest::newRow("octets") << QStringLiteral("octets") << QVariantList { QByteArray("first"), big };
        QTest::newRow("datastream") << QStringLiteral("datastream") << QVariantList { QByteArray("first"), big };
        QTest::newRow("datastream, nested") << QStringLiteral("datastream")
                                            << QVariantList { QStringLiteral("first"), QVariantList { 1, big } };
    }
    void thawKeepsTheBufferOfALargeLastByteArray()
    {
        QFETCH(QString, serialiser);
        QFETCH(QVariantList, values);
        const Serialiser s = builtin(serialiser);
        QVERIFY(s.thawTaking);
        const auto lastByteArray = [](const QVariantList &list) {
            QVariant last = list.last();
            while (last.metaType().id() == QMetaType::QVariantList)
                last = last.toList().last();
            return last.toByteArray().constData();
        };
        QByteArray bytes = s.freeze(values);
        bytes.detach();
        const char *begin = bytes.constData();
        const char *end = begin + bytes.size();
        const QVariantList taken = s.thawTaking(std::move(bytes));
        QCOMPARE(taken, values);
        QVERIFY2(lastByteArray(taken) > begin && lastByteArray(taken) < end, "the last byte array was copied");
        const char *first = taken.first().toByteArray().constData();
        QVERIFY(first < begin || first >= end);

        QByteArray shared = s.freeze(values);
        shared.detach();
        const QByteArray keeper = shared;
        const QVariantList copied = s.thawTaking(std::move(shared));
        QCOMPARE(copied, values);
        QVERIFY(lastByteArray(copied) != keeper.constData() + keeper.size() - MiB);
        QCOMPARE(s.thaw(keeper), values); // the other holder's bytes are intact
    }

    // A datastream count that promises more after a large last byte array: the fast path has
    // set the byte array aside to take the buffer, then gives up; the data is refused cleanly.
    void dataStreamLyingCountAfterALargeByteArrayIsRefused()
    {
        const Serialiser s = QForkRpcDetail::dataStreamSerialiser();
        QByteArray lying = s.freeze({ pattern(MiB, 6) });
        lying[3] = 2;
        lying.detach();
        try {
            (void)s.thawTaking(std::move(lying));
            QFAIL("a count larger than the data was accepted");
        } catch (const SerialiserError &e) {
            QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("the data is not a valid QDataStream of a QVariantList"));
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

        QTest::newRow("octets: QString") << octets << QVariantList { QStringLiteral("text") }
                                         << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 is of type QString");
        QTest::newRow("octets: int after bytes") << octets << QVariantList { QByteArray("ok"), 1 }
                                                 << QStringLiteral("the octets serialiser carries only QByteArray values; value 1 is of type int");
        QTest::newRow("octets: null QVariant") << octets << QVariantList { QVariant() }
                                               << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 is of type invalid");
        QTest::newRow("octets: list of bytes") << octets << QVariantList { QVariantList { QByteArray("x") } }
                                               << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 is of type QVariantList");
        QTest::newRow("json: QByteArray") << json << QVariantList { QByteArray("bytes") }
                                          << QStringLiteral("the json serialiser cannot carry value 0 of type QByteArray");
        QTest::newRow("json: QByteArray deep inside")
                << json << QVariantList { 1, QVariantMap { { k, QVariantList { 1, QByteArray("x") } } } }
                << QStringLiteral("the json serialiser cannot carry value 1.k[1] of type QByteArray");
        // NaN and infinities are refused by value, named by position and type like any other.
        QTest::newRow("json: NaN") << json << QVariantList { qQNaN() } << QStringLiteral("the json serialiser cannot carry value 0 of type double");
        QTest::newRow("json: infinity") << json << QVariantList { qInf() } << QStringLiteral("the json serialiser cannot carry value 0 of type double");
        QTest::newRow("json: -infinity in a map") << json << QVariantList { QVariantMap { { k, -qInf() } } }
                                                  << QStringLiteral("the json serialiser cannot carry value 0.k of type double");
        QTest::newRow("json: float NaN in a list") << json << QVariantList { QVariantList { 1, std::numeric_limits<float>::quiet_NaN() } }
                                                   << QStringLiteral("the json serialiser cannot carry value 0[1] of type float");
        QTest::newRow("json: QDateTime") << json << QVariantList { QDateTime::currentDateTimeUtc() }
                                         << QStringLiteral("the json serialiser cannot carry value 0 of type QDateTime");
        QTest::newRow("json: QUrl") << json << QVariantList { QUrl(QStringLiteral("http://x/")) }
                                    << QStringLiteral("the json serialiser cannot carry value 0 of type QUrl");
        QTest::newRow("json: QObject*") << json << QVariantList { object } << QStringLiteral("the json serialiser cannot carry value 0 of type QObject*");
        QTest::newRow("cbor: QPoint") << cbor << QVariantList { QPoint(1, 2) } << QStringLiteral("the cbor serialiser cannot carry value 0 of type QPoint");
        QTest::newRow("cbor: QObject* in a hash") << cbor << QVariantList { 1, QVariantHash { { k, object } } }
                                                  << QStringLiteral("the cbor serialiser cannot carry value 1.k of type QObject*");
        QTest::newRow("cbor: custom type") << cbor << QVariantList { opaque } << QStringLiteral("the cbor serialiser cannot carry value 0 of type Opaque");
        QTest::newRow("datastream: QObject*") << datastream << QVariantList { object }
                                              << QStringLiteral("the datastream serialiser cannot carry value 0 of type QObject*");
        QTest::newRow("datastream: QObject* in a map in a list")
                << datastream << QVariantList { QStringLiteral("a"), QVariantList { 1, QVariantMap { { k, object } } } }
                << QStringLiteral("the datastream serialiser cannot carry value 1[1].k of type QObject*");
        QTest::newRow("datastream: custom type without stream operators")
                << datastream << QVariantList { opaque } << QStringLiteral("the datastream serialiser cannot carry value 0 of type Opaque");
        // Types whose Qt reader believes counts in the data, refused in the parent before a worker
        // could be made to read them (and refused by the reader too: lyingQtReadersCostNoMemory).
        QTest::newRow("datastream: QEasingCurve")
                << datastream << QVariantList { QEasingCurve(QEasingCurve::OutBounce) }
                << QStringLiteral("the datastream serialiser cannot carry value 0 of type QEasingCurve");
        QTest::newRow("datastream: QEasingCurve in a QVariantPair")
                << datastream << QVariantList { 1, QVariant::fromValue(QVariantPair(2, QEasingCurve())) }
                << QStringLiteral("the datastream serialiser cannot carry value 1.second of type QEasingCurve");
        QTest::newRow("datastream: QList<int>")
                << datastream << QVariantList { QVariant::fromValue(QList<int> { 1, 2 }) }
                << QStringLiteral("the datastream serialiser cannot carry value 0 of type QList<int>");
        QTest::newRow("reverse-lines: an int") << QStringLiteral("reverse-lines") << QVariantList { QStringLiteral("a"), 1 }
                                               << QStringLiteral("reverse-lines carries only strings without newlines");
        QTest::newRow("hex: a string") << QStringLiteral("hex") << QVariantList { QStringLiteral("a") }
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
        QVERIFY2(!refused.ok, qPrintable(QStringLiteral("the call went through and returned ") + describe(refused.results)));
        // A registered serialiser is named; the built-in ones name themselves in their reasons.
        const bool builtIn = QStringList { QStringLiteral("datastream"), QStringLiteral("octets"), QStringLiteral("json"), QStringLiteral("cbor") }.contains(serialiser);
        const QString message = (builtIn ? QStringLiteral("a call to 'echo' failed: cannot serialise the values: ")
                                         : QStringLiteral("a call to 'echo' failed: the serialiser '%1' cannot serialise the values: ").arg(serialiser))
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
        const QString carry = QStringLiteral("the %1 serialiser cannot carry value 0 of type QObject*");
        for (bool async : { false, true }) {
            const char *backend = async ? "async" : "sync";
            QTest::addRow("datastream, %s", backend) << QStringLiteral("datastream") << async << carry.arg(QLatin1String("datastream"));
            QTest::addRow("octets, %s", backend) << QStringLiteral("octets") << async
                                                 << QStringLiteral("the octets serialiser carries only QByteArray values; value 0 is of type QObject*");
            QTest::addRow("json, %s", backend) << QStringLiteral("json") << async << carry.arg(QLatin1String("json"));
            QTest::addRow("cbor, %s", backend) << QStringLiteral("cbor") << async << carry.arg(QLatin1String("cbor"));
        }
    }
    void workerRefusesWhatTheSerialiserCannotCarry()
    {
        QFETCH(QString, serialiser);
        QFETCH(bool, async);
        QFETCH(QString, reason);
        const QString function = async ? QStringLiteral("echoUnlessUnfreezableAsync") : QStringLiteral("echoUnlessUnfreezable");
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(function, options(serialiser, async)));
        Recorder recorder(rpc.get());
        const QVariant marker = serialiser == QLatin1String("octets") ? QVariant(QByteArray("unfreezable"))
                                                                       : QVariant(QStringLiteral("unfreezable"));
        const Outcome refused = callAndWait(rpc.get(), { marker });
        QVERIFY(refused.finished);
        QVERIFY(!refused.ok);
        QCOMPARE(refused.failure,
                 QStringLiteral("a call to '%1' failed: cannot serialise the values: %2").arg(function, reason));
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
                     QStringLiteral("a call to 'unfreezable' failed: cannot serialise the values: the datastream "
                                    "serialiser cannot carry value 0 of type QObject*"));
            QVERIFY(processExists(rpc->processId()));
        }
        QTRY_COMPARE(recorder.errors.size(), 2);
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.errors.size(), 2); // and the worker ended normally
    }

    void unfreezableEventIsReportedAndTheCallGoesOn_data() { addBuiltinColumn(); }
    void unfreezableEventIsReportedAndTheCallGoesOn()
    {
        QFETCH(QString, serialiser);
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("unfreezableEvent"), options(serialiser)));
        Recorder recorder(rpc.get());
        const QVariantList harmless = harmlessArgs(serialiser);
        const Outcome got = callAndWait(rpc.get(), harmless);
        QVERIFY2(got.ok, qPrintable(got.failure));
        QCOMPARE(got.results, harmless);
        QTRY_COMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().startsWith(QStringLiteral("cannot serialise the values: the ") + serialiser + QStringLiteral(" serialiser")),
                 qPrintable(recorder.errors.first()));
        QVERIFY2(recorder.errors.first().contains(QLatin1String("QObject*")), qPrintable(recorder.errors.first()));
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
                 QStringLiteral("a call to 'echo' failed: cannot deserialise the values: the data is not a valid "
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
        const QVariantList lines { QStringLiteral("first"), QString(), QStringLiteral("dritte Zeile, ünïcödé") };
        const QVariantList bytes { QByteArray("\0\x01\xfe\xff", 4), QByteArray(), pattern(100000) };
        for (auto spawn : { std::pair { "template", Spawn::Template }, std::pair { "exec", Spawn::Exec }, std::pair { "fork", Spawn::Fork } }) {
            QTest::addRow("reverse-lines by macro, %s", spawn.first) << QStringLiteral("reverse-lines") << spawn.second << lines;
            QTest::addRow("reverse-lines, no values, %s", spawn.first) << QStringLiteral("reverse-lines") << spawn.second << QVariantList();
            QTest::addRow("reverse-lines, one empty string, %s", spawn.first) << QStringLiteral("reverse-lines") << spawn.second << QVariantList { QString() };
            QTest::addRow("hex by registerSerialiser(), %s", spawn.first) << QStringLiteral("hex") << spawn.second << bytes;
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

        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("echo"), options(serialiser, false, spawn)));
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
            QTest::addRow("parent freeze, %s", backend) << QStringLiteral("parent-freeze") << async << QStringLiteral("the serialiser 'fails-at' cannot serialise the values: nope");
            QTest::addRow("worker thaw, %s", backend) << QStringLiteral("worker-thaw") << async << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: nope");
            QTest::addRow("worker freeze, %s", backend) << QStringLiteral("worker-freeze") << async << QStringLiteral("the serialiser 'fails-at' cannot serialise the values: nope");
            QTest::addRow("parent thaw, %s", backend) << QStringLiteral("parent-thaw") << async << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: nope");
            QTest::addRow("parent freeze throws an int, %s", backend) << QStringLiteral("parent-freeze-int") << async << QStringLiteral("the serialiser 'fails-at' cannot serialise the values: unknown exception");
            QTest::addRow("worker thaw throws an int, %s", backend) << QStringLiteral("worker-thaw-int") << async << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: unknown exception");
            QTest::addRow("worker freeze throws an int, %s", backend) << QStringLiteral("worker-freeze-int") << async << QStringLiteral("the serialiser 'fails-at' cannot serialise the values: unknown exception");
            QTest::addRow("parent thaw throws an int, %s", backend) << QStringLiteral("parent-thaw-int") << async << QStringLiteral("the serialiser 'fails-at' cannot deserialise the values: unknown exception");
        }
    }
    void throwingSerialiserFailsOnlyThatCall()
    {
        QFETCH(QString, stage);
        QFETCH(bool, async);
        QFETCH(QString, reason);
        const QString function = async ? QStringLiteral("echoAsync") : QStringLiteral("echo");
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(function, options(QStringLiteral("fails-at"), async)));
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
            // Garbage written by the parent is thawed (and refused) by the worker, and the other way.
            QTest::addRow("%s, thawed in the worker", r.first) << QString::fromLatin1(r.first) << QStringLiteral("parent") << QString::fromLatin1(r.second);
            QTest::addRow("%s, thawed in the parent", r.first) << QString::fromLatin1(r.first) << QStringLiteral("worker") << QString::fromLatin1(r.second);
        }
    }
    void builtinThawOfGarbageFailsOnlyThatCall()
    {
        QFETCH(QString, serialiser);
        QFETCH(QString, side);
        QFETCH(QString, reason);
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("echo"), options(QStringLiteral("garbled-") + serialiser)));
        Recorder recorder(rpc.get());
        const QString garble = QStringLiteral("garble-in-") + side;
        const QVariant marker = serialiser == QLatin1String("octets") ? QVariant(garble.toUtf8()) : QVariant(garble);
        const Outcome failed = callAndWait(rpc.get(), { marker });
        QVERIFY(failed.finished);
        QVERIFY(!failed.ok);
        const QString prefix = QStringLiteral("a call to 'echo' failed: the serialiser 'garbled-%1' cannot deserialise the values: ").arg(serialiser) + reason;
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
        connect(rpc.get(), &QForkRpc::error, this, [&](const QString &message) { errors << message; });
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
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("echo"), options(name, false, spawn)));
        Recorder recorder(rpc.get());
        const Outcome got = callAndWait(rpc.get(), { 1 });
        QVERIFY(got.finished);
        if (works) {
            QVERIFY2(got.ok, qPrintable(got.failure));
            QVERIFY(recorder.errors.isEmpty());
        } else {
            QVERIFY(!got.ok);
            QVERIFY2(got.failure.contains(QStringLiteral("there is no registered serialiser 'registered-too-late'")), qPrintable(got.failure));
            QTRY_VERIFY(!recorder.errors.isEmpty());
            QVERIFY2(recorder.errors.first().contains(QStringLiteral("there is no registered serialiser 'registered-too-late'")),
                     qPrintable(recorder.errors.first()));
        }
    }

    // ---- The built-in freeze and thaw, directly ------------------------------------------

    void thawRandomBytes_data() { addBuiltinColumn(); }
    void thawRandomBytes()
    {
        QFETCH(QString, serialiser);
        // Random bytes, and random bytes behind a start that looks right, so that the parser
        // gets past its first check. Every input must give values or throw a std::exception.
        // A datastream always starts with a count; random ones are mostly huge, and make
        // QDataStream reserve gigabytes (cheap here, but seconds each under AddressSanitizer), so
        // they get a count below 65536 here: thawCrafted tries huge ones.
        QList<QByteArray> starts;
        if (serialiser == QLatin1String("datastream"))
            starts = { QByteArray(2, '\0'), QByteArray("\0\0\0\3", 4), QByteArray("\0\0\0\1\0\0\0\x0a\0", 9) };
        else if (serialiser == QLatin1String("octets"))
            starts = { QByteArray(), QByteArray("\x05"), QByteArray("\x83\x01") };
        else if (serialiser == QLatin1String("json"))
            starts = { QByteArray(), QByteArray("["), QByteArray("[{\"") };
        else
            starts = { QByteArray(), QByteArray("\x83"), QByteArray("\x9f") };
        QRandomGenerator random(20240601);
        QList<QByteArray> inputs;
        for (int i = 0; i < 20000; ++i) {
            QByteArray bytes = starts.at(i % starts.size());
            const int length = (i % 10 == 0) ? int(random.bounded(4096)) : int(random.bounded(48));
            for (int j = 0; j < length; ++j)
                bytes.append(char(random.bounded(256)));
            inputs << bytes;
        }
        const QString failure = thawInChild(builtin(serialiser), inputs);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void thawTruncated_data() { addBuiltinColumn(); }
    void thawTruncated()
    {
        QFETCH(QString, serialiser);
        const Serialiser s = builtin(serialiser);
        const QVariantList values = richValues(serialiser);
        const QByteArray bytes = s.freeze(values);
        QVariantList back;
        QCOMPARE(thawSafely(s, bytes, &back), ThawResult::Values);
        QCOMPARE(back.size(), values.size());

        // Where an octets encoding may end: after each value.
        QList<qsizetype> boundaries;
        for (qsizetype k = 0; k <= values.size(); ++k)
            boundaries << s.freeze(values.mid(0, k)).size();

        QuietMessages quiet;
        for (qsizetype n = 0; n < bytes.size(); ++n) {
            QString reason;
            const ThawResult result = thawSafely(s, bytes.left(n), &back, &reason);
            if (serialiser == QLatin1String("octets") && boundaries.contains(n)) {
                QCOMPARE(result, ThawResult::Values);
                QCOMPARE(back, values.mid(0, boundaries.indexOf(n)));
            } else {
                QVERIFY2(result == ThawResult::Threw, qPrintable(QStringLiteral("the first %1 of %2 bytes were read as %3")
                                                                          .arg(n).arg(bytes.size()).arg(describe(back))));
                QVERIFY(!reason.isEmpty());
            }
        }
    }

    void thawMutated_data() { addBuiltinColumn(); }
    void thawMutated()
    {
        QFETCH(QString, serialiser);
        const Serialiser s = builtin(serialiser);
        QVariantList values = richValues(serialiser);
        if (serialiser == QLatin1String("octets"))
            values.removeLast(); // the 20000-byte value would only make this slow
        const QByteArray bytes = s.freeze(values);
        // Every byte replaced in seven ways, then runs of 0xff (large or negative lengths).
        QRandomGenerator random(7);
        QList<QByteArray> inputs;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const int original = static_cast<unsigned char>(bytes.at(i));
            for (int replacement : { 0x00, 0xff, 0x7f, 0x80, original ^ 0x01, original ^ 0x40, int(random.bounded(256)) }) {
                QByteArray mutated = bytes;
                mutated[i] = char(replacement);
                inputs << mutated;
            }
            if (i + 8 <= bytes.size())
                inputs << QByteArray(bytes).replace(i, 8, QByteArray(8, '\xff'));
        }
        const QString failure = thawInChild(s, inputs);
        // Regression: Qt 6.4's QBitArray reader crashes on a negative length (see thawCrafted);
        // richValues() holds a QBitArray, whose length the mutations above make negative, and
        // the datastream thaw must survive that.
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void thawCrafted_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        const QString datastream = QStringLiteral("datastream");
        const QString octets = QStringLiteral("octets");
        const QString json = QStringLiteral("json");
        const QString cbor = QStringLiteral("cbor");
        const QString notDataStream = QStringLiteral("the data is not a valid QDataStream of a QVariantList");
        // Lengths and counts far beyond the data must be refused, not trusted.
        QTest::newRow("datastream: empty") << datastream << QByteArray() << notDataStream;
        QTest::newRow("datastream: 4G values, none there") << datastream << QByteArray::fromHex("ffffffff") << notDataStream;
        QTest::newRow("datastream: 2G values, none there") << datastream << QByteArray::fromHex("7fffffff") << notDataStream;
        QTest::newRow("datastream: 4 GiB string") << datastream << QByteArray::fromHex("00000001" "0000000a" "00" "fffffffe") << notDataStream;
        QTest::newRow("datastream: 2 GiB byte array") << datastream << QByteArray::fromHex("00000001" "0000000c" "00" "7fffffff") << notDataStream;
        QTest::newRow("datastream: inner list of 4G values") << datastream << QByteArray::fromHex("00000001" "00000009" "00" "ffffffff") << notDataStream;
        QTest::newRow("datastream: unknown user type") << datastream << QByteArray::fromHex("00000001" "00000400" "00" "00000007") + "NoSuch" + QByteArray(1, '\0') << notDataStream;
        QTest::newRow("datastream: QBitArray with a negative length") << datastream << negativeBitArray() << notDataStream;
        QTest::newRow("datastream: a value too many") << datastream << QByteArray::fromHex("00000000" "01") << notDataStream;
        // Regression: Qt's readers of these reserve memory for a count in the data
        // (lyingQtReadersCostNoMemory has more); the datastream thaw reads a QVariantPair itself.
        QTest::newRow("datastream: QVariantPair holding a list of 7 million values")
                << datastream << QByteArray::fromHex("00000001" "0000003a" "00" "00000009" "00" "006f006f") << notDataStream;
        QTest::newRow("datastream: QEasingCurve")
                << datastream << QByteArray::fromHex("00000001" "0000001d" "00" "03" "0000000000000000" "00")
                << QStringLiteral("the data holds a value of type QEasingCurve, which the datastream serialiser does not read");
        QTest::newRow("datastream: type id of a type registered at run time, without its name")
                << datastream << QByteArray::fromHex("00000001" "00010001" "00" "00000000") << notDataStream;
        QTest::newRow("datastream: a type id nothing has") << datastream << QByteArray::fromHex("00000001" "00000fff" "00") << notDataStream;
        QTest::newRow("octets: length past 64 bits") << octets << QByteArray::fromHex("ffffffffffffffffffff01") << QStringLiteral("truncated or invalid octets length");
        QTest::newRow("octets: 2^63 bytes, none there") << octets << QByteArray::fromHex("ffffffffffffffff7f") << QStringLiteral("an octet string runs past the end of the data");
        QTest::newRow("octets: length cut off") << octets << QByteArray::fromHex("80") << QStringLiteral("truncated or invalid octets length");
        QTest::newRow("octets: 5 bytes, 2 there") << octets << QByteArray::fromHex("056162") << QStringLiteral("an octet string runs past the end of the data");
        QTest::newRow("json: empty") << json << QByteArray() << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: an object") << json << QByteArray("{}") << QStringLiteral("the JSON is not an array");
        QTest::newRow("json: a number") << json << QByteArray("1") << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: unterminated") << json << QByteArray("[1,") << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: trailing garbage") << json << QByteArray("[1] x") << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: nested 10000 deep") << json << QByteArray(10000, '[') + QByteArray(10000, ']') << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: 1e999") << json << QByteArray("[1e999]") << QStringLiteral("invalid JSON: ");
        QTest::newRow("cbor: empty") << cbor << QByteArray() << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: a map") << cbor << QByteArray::fromHex("a0") << QStringLiteral("the CBOR data is not an array");
        QTest::newRow("cbor: unterminated array") << cbor << QByteArray::fromHex("9f01") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 2^64 - 1 values") << cbor << QByteArray::fromHex("9bffffffffffffffff") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 2G values, none there") << cbor << QByteArray::fromHex("9a7fffffff") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 4 GiB byte string") << cbor << QByteArray::fromHex("815affffffff") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 2^64 byte string") << cbor << QByteArray::fromHex("815bffffffffffffffff") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: nested 10000 deep") << cbor << QByteArray(10000, '\x81') + QByteArray("\x01") << QStringLiteral("invalid CBOR: ");
    }
    void thawCrafted()
    {
        QFETCH(QString, serialiser);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        // In a child first: a crash must fail this row, not end the test.
        const QString crash = thawInChild(builtin(serialiser), { bytes });
        // Regression: Qt 6.4's operator>>(QDataStream &, QBitArray &) reads the length as qint64
        // and, for a negative one, writes through QByteArray::data() of an empty array (SIGSEGV).
        // The datastream serialiser reads QBitArray itself, so bytes from a broken worker cannot
        // kill the parent.
        QVERIFY2(crash.isEmpty(), qPrintable(crash));

        QuietMessages quiet;
        QVariantList values;
        QString why;
        QCOMPARE(thawSafely(builtin(serialiser), bytes, &values, &why), ThawResult::Threw);
        QVERIFY2(why.startsWith(reason), qPrintable(why));
        // And it is a SerialiserError, not something else that happened to escape.
        QVERIFY_THROWS_EXCEPTION(SerialiserError, builtin(serialiser).thaw(bytes));
    }

    void thawRefusesTrailingBytes_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QByteArray>("trailer");
        for (const char *name : { "datastream", "json", "cbor" }) {
            QTest::addRow("%s + NUL", name) << QString::fromLatin1(name) << QByteArray(1, '\0');
            QTest::addRow("%s + 1", name) << QString::fromLatin1(name) << QByteArray("\x01");
            QTest::addRow("%s twice", name) << QString::fromLatin1(name) << QByteArray();
        }
    }
    void thawRefusesTrailingBytes()
    {
        QFETCH(QString, serialiser);
        QFETCH(QByteArray, trailer);
        const Serialiser s = builtin(serialiser);
        const QByteArray good = s.freeze({ 1, QStringLiteral("x") });
        const QByteArray bytes = good + (trailer.isEmpty() ? good : trailer);
        QVariantList values;
        // Regression: QCborValue::fromCbor(const QByteArray &) ignores what follows the first
        // item, so the cbor thaw checks the offset itself; like datastream and json it refuses
        // garbage after a valid array.
        QVERIFY2(thawSafely(s, bytes, &values) == ThawResult::Threw,
                 qPrintable(QStringLiteral("read as ") + describe(values)));
    }

    void lyingQtReadersCostNoMemory_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        const QString datastream = QStringLiteral("datastream");
        const QString notDataStream = QStringLiteral("the data is not a valid QDataStream of a QVariantList");
        const auto refused = [](const char *type) {
            return QStringLiteral("the data holds a value of type %1, which the datastream serialiser does not read").arg(QLatin1String(type));
        };
        // Qt 6.4 reads a QVariantPair's values with its own QVariant reader, which reserves a
        // list's count as it reads it: 18 bytes asked for 232 MB
        // (tests/fuzz/corpus/fuzz_thaw_datastream/huge-alloc-qvariantpair-list-count).
        QTest::newRow("QVariantPair holding a list of 7 million values")
                << datastream << QByteArray::fromHex("00000001" "0000003a" "00" "00000009" "00" "006f006f") << notDataStream;
        // (Counts the machine could grant: one beyond that fails at once and shows nowhere.)
        QTest::newRow("QVariantPair in a QVariantPair holding a list of 4M values")
                << datastream << QByteArray::fromHex("00000001" "0000003a" "00" "0000003a" "00" "00000009" "00" "00400000") << notDataStream;
        QTest::newRow("QVariantPair holding a string list of 4M strings")
                << datastream << QByteArray::fromHex("00000001" "0000003a" "00" "0000000b" "00" "00400000" "00000000" "00") << notDataStream;
        // A custom QEasingCurve whose points Qt reserves by the data's count: 47 bytes asked for
        // 267 MB (corpus/fuzz_thaw_datastream/huge-alloc-qeasingcurve-points, this input).
        QTest::newRow("QEasingCurve with millions of points")
                << datastream << QByteArray::fromHex("00000007" "0000001d" "1d1d1d1d1d1d1d1d1d1d1d1d1dff0000001d1d1d1d1d1db12d00ff0000001d1d1db12d00ff0000")
                << refused("QEasingCurve");
        QTest::newRow("QVariant holding a list of 4G values")
                << datastream << QByteArray::fromHex("00000001" "00000029" "00" "00000009" "00" "ffffffff") << refused("QVariant");
        // Types registered at run time, by name, whose readers are Qt's and reserve the count.
        qRegisterMetaType<QVersionNumber>();
        qRegisterMetaType<QList<int>>();
        QTest::newRow("QVersionNumber of 4G segments") << datastream << oneValue([](QDataStream &out) {
            out << quint32(QMetaType::User) << qint8(0) << "QVersionNumber" << quint32(0xffffffff);
        }) << refused("QVersionNumber");
        QTest::newRow("QList<int> of 4G values") << datastream << oneValue([](QDataStream &out) {
            out << quint32(QMetaType::User) << qint8(0) << "QList<int>" << quint32(0xffffffff);
        }) << refused("QList<int>");
            // Qt's CBOR parser reserves room for up to a million elements per array or map on the
        // claim alone: 1 000 bytes of nested claims grew the address space by 200 MB (found by
        // fuzz_thaw_cbor).
        // The claims are walked first (cborcheck.cpp), also under a tag and inside datastream.
        QByteArray claims;
        for (int i = 0; i < 200; ++i)
            claims += QByteArray::fromHex("9a000f4240"); // an array of 1 000 000 items, holding the next
        const QString truncatedCbor = QStringLiteral("invalid CBOR: ") + QCborError { QCborError::EndOfFile }.toString();
        QTest::newRow("cbor: 200 nested arrays claiming a million items each")
                << QStringLiteral("cbor") << claims << truncatedCbor;
        QTest::newRow("cbor: the same under a tag, in a map")
                << QStringLiteral("cbor") << QByteArray::fromHex("81" "a1" "01" "d9d9f7") + claims << truncatedCbor;
        for (const auto &[type, name] : { std::pair { QMetaType::QCborValue, "QCborValue" },
                                          std::pair { QMetaType::QCborArray, "QCborArray" },
                                          std::pair { QMetaType::QCborMap, "QCborMap" } }) {
            QTest::addRow("datastream: a %s claiming 200 nested arrays of a million", name)
                    << datastream << oneValue([type = type, &claims](QDataStream &out) { out << quint32(type) << qint8(0) << claims; })
                    << notDataStream;
        }
    }

    void lyingQtReadersCostNoMemory()
    {
        QFETCH(QString, serialiser);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        const Serialiser s = builtin(serialiser);
        // In a child, where the largest request shows: it must not even be made.
        const ChildThaw child = thawInChildMeasuringPeak(s, bytes);
        QVERIFY2(child.outcome == QStringLiteral("threw: ") + reason, qPrintable(child.outcome));
        QVERIFY2(grewLessThan(0, child.peakGrowthKiB, 16 * 1024),
                 qPrintable(QStringLiteral("the address space grew by %1 KiB").arg(child.peakGrowthKiB)));
        // And here, many times: the same clear error each time, and no growth.
        QuietMessages quiet;
        const qint64 before = residentKiB();
        for (int i = 0; i < 200; ++i) {
            QString why;
            QCOMPARE(thawSafely(s, bytes, nullptr, &why), ThawResult::Threw);
            QCOMPARE(why, reason);
        }
        QVERIFY_THROWS_EXCEPTION(SerialiserError, s.thaw(bytes));
        QVERIFY2(grewLessThan(before, residentKiB(), 16 * 1024), "thawing lying data must not cost memory");
    }

    // The walk before Qt's CBOR parser (cborcheck.cpp) lets through all that the parser reads:
    // indefinite lengths, tags, chunked strings, empty containers, nesting.
    void cborWalkAcceptsWhatQtReads()
    {
        const Serialiser s = builtin(QStringLiteral("cbor"));
        const QList<QByteArray> inputs {
            QByteArray::fromHex("80"), // []
            QByteArray::fromHex("9f01bf616102ff80a0ff"), // [_ 1, {_ "a": 2}, [], {}]
            QByteArray::fromHex("82c11a5f5e1000d82043313233"), // [1(1599999999), 32(h'313233')]
            QByteArray::fromHex("81" "7f" "62" "6162" "61" "63" "ff"), // [(_ "ab", "c")]
            QByteArray::fromHex("81" "5f" "42" "0102" "41" "03" "ff"), // [(_ h'0102', h'03')]
            QByteArray::fromHex("8181818181818101"), // [[[[[[[1]]]]]]]
        };
        for (const QByteArray &bytes : inputs) {
            QCOMPARE(QForkRpcDetail::checkCborClaims(bytes), QCborError { QCborError::NoError });
            const QVariantList expected = QCborValue::fromCbor(bytes).toArray().toVariantList();
            QVariantList values;
            QCOMPARE(thawSafely(s, bytes, &values), ThawResult::Values);
            const QString d = difference(values, expected);
            QVERIFY2(d.isEmpty(), qPrintable(QString::fromLatin1(bytes.toHex()) + QStringLiteral(": ") + d));
        }
        QCOMPARE(QForkRpcDetail::checkCborClaims(QByteArray::fromHex("83")), QCborError { QCborError::EndOfFile });
        QCOMPARE(QForkRpcDetail::checkCborClaims(QByteArray::fromHex("9f01")), QCborError { QCborError::EndOfFile });
    }

    void legitimateQVariantPairIsReadExactly()
    {
        const Serialiser s = builtin(QStringLiteral("datastream"));
        const QVariantPair pair(QVariantList { 1, QStringLiteral("x") }, QVariant::fromValue(QVariantPair(QVariant(), 2.5)));
        const QByteArray bytes = s.freeze({ QVariant::fromValue(pair), QVariant(QMetaType::fromType<QVariantPair>()) });
        // Byte for byte what Qt writes, and read back as Qt would read it, null flag included.
        QByteArray qt;
        QDataStream out(&qt, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << QVariantList { QVariant::fromValue(pair), QVariant(QMetaType::fromType<QVariantPair>()) };
        QCOMPARE(bytes, qt);
        QVariantList back;
        QCOMPARE(thawSafely(s, bytes, &back), ThawResult::Values);
        QCOMPARE(back.size(), 2);
        const QString diff = difference(back.first(), QVariant::fromValue(pair), QStringLiteral("pair"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QCOMPARE(back.at(1).metaType(), QMetaType::fromType<QVariantPair>());
        QVERIFY(back.at(1).isNull());
        // Nested as deep as lists may be (200 levels are fine), and no deeper.
        const auto nested = [](int depth) {
            QByteArray pairs = QByteArray::fromHex("00000001");
            for (int i = 0; i < depth; ++i)
                pairs += QByteArray::fromHex("0000003a" "00"); // a pair, whose first value is ...
            pairs += QByteArray::fromHex("00000000" "01"); // ... the next, or at the bottom an invalid QVariant
            for (int i = 0; i < depth; ++i)
                pairs += QByteArray::fromHex("00000000" "01"); // every pair's second value
            return pairs;
        };
        QCOMPARE(thawSafely(s, nested(200)), ThawResult::Values);
        QString why;
        QCOMPARE(thawSafely(s, nested(300), nullptr, &why), ThawResult::Threw);
        QCOMPARE(why, QStringLiteral("the data is not a valid QDataStream of a QVariantList"));
    }

    void timeZoneNamesInTheDataOpenNoFile()
    {
        // Regression: Qt 6.4 makes a QDateTime's time zone from the name in the data, and opens
        // /usr/share/zoneinfo/<name> whatever the name says: a worker naming a FIFO of its own
        // ("../../../../tmp/x/fifo") hung the parent in open(). The datastream thaw reads
        // QDateTime and QTimeZone itself, and looks up only names that stay in that directory.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fifo = dir.filePath(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString upAndBack = QStringLiteral("../../../..") + fifo;
        const auto dateTime = [](qint8 spec, const std::function<void(QDataStream &)> &zone) {
            return oneValue([&](QDataStream &out) {
                out << quint32(QMetaType::QDateTime) << qint8(0) << QDate(2020, 1, 1) << QTime(1, 2) << spec;
                zone(out);
            });
        };
        const auto named = [](const QString &name) { return [name](QDataStream &out) { out << name; }; };
        const auto offsetForm = [](const QString &name) {
            return [name](QDataStream &out) {
                out << QStringLiteral("OffsetFromUtc") << name << qint32(3600) << QStringLiteral("n") << QStringLiteral("a")
                    << qint32(QLocale::France) << QStringLiteral("c");
            };
        };
        qRegisterMetaType<QTimeZone>(); // so that a QTimeZone value can be sent by name
        const QList<std::pair<const char *, QByteArray>> inputs {
            { "zone named up and back to a FIFO", dateTime(Qt::TimeZone, named(upAndBack)) },
            { "zone named up, down and up again", dateTime(Qt::TimeZone, named(QStringLiteral("Europe/../../../..") + fifo)) },
            { "zone named by an absolute path", dateTime(Qt::TimeZone, named(fifo)) },
            { "custom zone named up and back to a FIFO", dateTime(Qt::TimeZone, offsetForm(upAndBack)) },
            { "a QTimeZone value named up and back to a FIFO", oneValue([&](QDataStream &out) {
                  out << quint32(QMetaType::User) << qint8(0) << "QTimeZone" << upAndBack;
              }) },
        };
        const Serialiser s = builtin(QStringLiteral("datastream"));
        for (const auto &[what, bytes] : inputs) {
            // In a child first (a hang ends it in 60 s).
            const QString outcome = thawInChildMeasuringPeak(s, bytes).outcome;
            QVERIFY2(outcome == QLatin1String("values"), qPrintable(QLatin1String(what) + QStringLiteral(": ") + outcome));
            QVariantList values;
            QCOMPARE(thawSafely(s, bytes, &values), ThawResult::Values);
            QCOMPARE(values.size(), 1);
            const QTimeZone zone = values.first().metaType().id() == QMetaType::QDateTime ? values.first().toDateTime().timeZone()
                                                                                            : values.first().value<QTimeZone>();
            // A name that is no zone gives an invalid one, as it does in Qt; a custom zone keeps it.
            if (QByteArrayView(what).startsWith("custom"))
                QCOMPARE(zone.id(), upAndBack.toUtf8());
            else
                QVERIFY2(!zone.isValid(), what);
        }
        // Real zones still work.
        QVariantList values;
        QCOMPARE(thawSafely(s, dateTime(Qt::TimeZone, named(QStringLiteral("Europe/Paris"))), &values), ThawResult::Values);
        QCOMPARE(values.value(0).toDateTime().timeZone().id(), QByteArray("Europe/Paris"));
        QCOMPARE(values.value(0).toDateTime().offsetFromUtc(), 3600);
    }

    void freezeCarriesExactlyOrRefuses_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QVariant>("value");
        // Values of many types; each serialiser must either carry a value or refuse it with a
        // message naming the serialiser and the type.
        const QList<std::pair<const char *, QVariant>> values {
            { "int", 1 }, { "double", 2.5 }, { "QString", QStringLiteral("s") }, { "QByteArray", QByteArray("b") },
            { "QDateTime", QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC) }, { "QDate", QDate(2020, 1, 1) },
            { "QTime", QTime(1, 2) }, { "QUrl", QUrl(QStringLiteral("http://x/")) }, { "QUuid", QUuid::createUuid() },
            { "QRegularExpression", QRegularExpression(QStringLiteral("x")) }, { "QPoint", QPoint(1, 2) },
            { "QRect", QRect(1, 2, 3, 4) }, { "QSize", QSize(1, 2) }, { "QChar", QChar(u'c') },
            { "QBitArray", QBitArray(3, true) }, { "QLocale", QLocale::c() }, { "short", QVariant::fromValue(short(1)) },
            { "char", QVariant::fromValue(char('c')) }, { "QStringList", QStringList { QStringLiteral("a") } },
            { "QVariantList", QVariantList { 1 } }, { "QVariantMap", QVariantMap { { QStringLiteral("a"), 1 } } },
            { "QJsonValue", QVariant::fromValue(QJsonValue(1)) }, { "QCborValue", QVariant::fromValue(QCborValue(1)) },
            { "QObject*", unfreezableValue() }, { "Opaque", QVariant::fromValue(Opaque { 1 }) },
            { "Streamable", QVariant::fromValue(Streamable { 1, QStringLiteral("one") }) },
            { "QVariantPair", QVariant::fromValue(QVariantPair(1, QStringLiteral("x"))) },
            { "QEasingCurve", QEasingCurve(QEasingCurve::InOutQuad) },
            { "QTimeZone", QVariant::fromValue(QTimeZone("Europe/Paris")) },
            { "QVersionNumber", QVariant::fromValue(QVersionNumber(6, 4, 2)) },
            { "QList<int>", QVariant::fromValue(QList<int> { 1, 2 }) },
        };
        for (const char *name : { "datastream", "octets", "json", "cbor" })
            for (const auto &v : values)
                QTest::addRow("%s: %s", name, v.first) << QString::fromLatin1(name) << v.second;
    }
    void freezeCarriesExactlyOrRefuses()
    {
        QFETCH(QString, serialiser);
        QFETCH(QVariant, value);
        const Serialiser s = builtin(serialiser);
        QByteArray bytes;
        try {
            bytes = s.freeze({ value });
        } catch (const SerialiserError &e) {
            const QString why = QString::fromUtf8(e.what());
            QVERIFY2(why.contains(QStringLiteral("the ") + serialiser + QStringLiteral(" serialiser")), e.what());
            QVERIFY2(why.contains(QLatin1String(value.metaType().name())), e.what());
            return;
        }
        QVariantList back;
        QString reason;
        QCOMPARE(thawSafely(s, bytes, &back, &reason), ThawResult::Values);
        QCOMPARE(back.size(), 1);
        // datastream and octets give back exactly what went in; what json and cbor give back is
        // checked by roundTrip and valuesAreCarriedExactlyOrRefused.
        if (serialiser == QLatin1String("datastream") || serialiser == QLatin1String("octets")) {
            const QString diff = difference(back, { value });
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
    }

    void valuesAreCarriedExactlyOrRefused_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QVariant>("value");
        // The json and cbor serialisers refuse what they cannot carry "instead of silently
        // becoming null" (json.cpp) or "a string or undefined" (cbor.cpp). These values are
        // accepted by the type check but come back different, without any error:
        QTest::newRow("json: qulonglong max") << QStringLiteral("json") << QVariant::fromValue(qulonglong(ULLONG_MAX));
        QTest::newRow("cbor: qulonglong max") << QStringLiteral("cbor") << QVariant::fromValue(qulonglong(ULLONG_MAX));
        QTest::newRow("cbor: regular expression with options")
                << QStringLiteral("cbor") << QVariant(QRegularExpression(QStringLiteral("a.b"), QRegularExpression::CaseInsensitiveOption));
        QTest::newRow("cbor: invalid QDateTime") << QStringLiteral("cbor") << QVariant(QDateTime());
        QTest::newRow("json: NaN") << QStringLiteral("json") << QVariant(qQNaN());
        QTest::newRow("json: infinity") << QStringLiteral("json") << QVariant(qInf());
        QTest::newRow("json: QJsonValue NaN") << QStringLiteral("json") << QVariant::fromValue(QJsonValue(qQNaN()));
        // ... and ones that are fine, to show the check itself works:
        QTest::newRow("json: qulonglong 2^63 - 1") << QStringLiteral("json") << QVariant::fromValue(qulonglong(LLONG_MAX));
        QTest::newRow("cbor: regular expression") << QStringLiteral("cbor") << QVariant(QRegularExpression(QStringLiteral("a.b")));
        QTest::newRow("cbor: valid QDateTime") << QStringLiteral("cbor") << QVariant(QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC));
    }
    void valuesAreCarriedExactlyOrRefused()
    {
        QFETCH(QString, serialiser);
        QFETCH(QVariant, value);
        const Serialiser s = builtin(serialiser);
        QByteArray bytes;
        try {
            bytes = s.freeze({ value });
        } catch (const SerialiserError &) {
            return; // refused: fine
        }
        QVariantList back;
        QCOMPARE(thawSafely(s, bytes, &back), ThawResult::Values);
        QCOMPARE(back.size(), 1);
        // Values that would come back different must have been refused above (regressions:
        // qulonglong above INT64_MAX became a double, QRegularExpression lost its options, an
        // invalid QDateTime became an empty string, json's NaN and infinities became null).
        const bool same = difference(back.first(), value, QStringLiteral("value")).isEmpty()
                || (value.metaType().id() == QMetaType::ULongLong && back.first().metaType().id() == QMetaType::LongLong
                    && back.first().toULongLong() == value.toULongLong());
        QVERIFY2(same, qPrintable(describe(value) + QStringLiteral(" came back as ") + describe(back.first())));
    }
};

QFORKRPC_TEST_MAIN(tst_Serialisers)
#include "tst_serialisers.moc"
