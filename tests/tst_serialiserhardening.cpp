// SPDX-License-Identifier: MIT
// The built-in thaw functions against bytes from a broken or hostile worker: random, truncated,
// mutated and crafted input, trailing bytes, counts that lie (Qt's own readers reserve memory
// for them, so the datastream reader reads those types itself or refuses them, and the CBOR
// claims are walked first), a lying count after a large last byte array, and time-zone names
// that lead out of the zoneinfo directory. Each must give values or throw a SerialiserError,
// never crash, hang or make a large allocation.
#include "serialisertestsupport.h"
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QBitArray>
#include <QtCore/QCborValue>
#include <QtCore/QDataStream>
#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QLocale>
#include <QtCore/QPoint>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTime>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantMap>
#include <QtCore/QVersionNumber>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <functional>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using QForkRpcDetail::Serialiser;
using QForkRpcDetail::SerialiserError;

namespace {

// Discards Qt's messages while it lives: QVariant::load warns about every unknown type id that
// garbage contains.
struct QuietMessages
{
    QtMessageHandler previous;
    QuietMessages()
        : previous(
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {}))
    { }
    ~QuietMessages() { qInstallMessageHandler(previous); }
};

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
    const QString input
        = last >= 0 ? QString::fromLatin1(inputs.at(last).left(64).toHex()) : QStringLiteral("?");
    if (WIFSIGNALED(status))
        return QStringLiteral(
            "thaw crashed (signal %1, %2) on input %3 (hex, %4 inputs before it were fine)")
            .arg(WTERMSIG(status))
            .arg(QString::fromLocal8Bit(strsignal(WTERMSIG(status))), input)
            .arg(last);
    if (WEXITSTATUS(status) == 3)
        return QStringLiteral("thaw threw something that is not a std::exception on input %1")
            .arg(input);
    return QStringLiteral("the child ended with status %1").arg(status);
}

// The bytes a QVariantList of one QBitArray whose length says -1 would be as a datastream.
QByteArray negativeBitArray()
{
    return QByteArray::fromHex("00000001"
                               "0000000d"
                               "00"
                               "ffffffffffffffff");
}

// A QVariantList of one value, as the datastream serialiser would write it, with `write`
// writing the value's QVariant (type id, null flag, data) by hand.
template <typename Write> QByteArray oneValue(Write write)
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
            return line.mid(qsizetype(std::strlen(field)))
                .trimmed()
                .split(' ')
                .value(0)
                .toLongLong();
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
        return { QStringLiteral("the child was killed by signal %1 (%2)")
                     .arg(WTERMSIG(status))
                     .arg(QString::fromLocal8Bit(strsignal(WTERMSIG(status)))) };
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
    QVariantList values { QVariant::fromValue(nullptr), true, 42, -7, 1.5,
        QStringLiteral("grüße\n"),
        QVariantList { 1, QVariantMap { { QStringLiteral("k"), QStringLiteral("v") } } },
        QStringList { QStringLiteral("a"), QStringLiteral("b") } };
    if (name == QLatin1String("json"))
        return values;
    values << QByteArray("\0\1\2", 3) << QDateTime(QDate(2021, 3, 4), QTime(5, 6, 7, 8), Qt::UTC)
           << QUrl(QStringLiteral("https://example.org/a?b#c"))
           << QUuid(QStringLiteral("{3b1e4f0a-5a2d-4c8e-9f3c-2a1b0c9d8e7f}"));
    if (name == QLatin1String("cbor"))
        return values << QRegularExpression(QStringLiteral("a+b"));
    return values << QPoint(1, 2) << QVariant()
                  << QVariant::fromValue(Streamable { 7, QStringLiteral("seven") })
                  << QVariantHash { { QStringLiteral("h"), QBitArray(13, true) } };
}

} // namespace

class tst_SerialiserHardening : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(streamableTypeId >= QMetaType::User); }

    // ---- Hostile bytes, straight into the built-in thaw ----------------------------------

    void thawRandomBytes_data() { addBuiltinSerialiserColumn(); }
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
            starts = { QByteArray(2, '\0'), QByteArray("\0\0\0\3", 4),
                QByteArray("\0\0\0\1\0\0\0\x0a\0", 9) };
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

    void thawTruncated_data() { addBuiltinSerialiserColumn(); }
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
                QVERIFY2(result == ThawResult::Threw,
                    qPrintable(QStringLiteral("the first %1 of %2 bytes were read as %3")
                                   .arg(n)
                                   .arg(bytes.size())
                                   .arg(describe(back))));
                QVERIFY(!reason.isEmpty());
            }
        }
    }

    void thawMutated_data() { addBuiltinSerialiserColumn(); }
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
            for (int replacement : { 0x00, 0xff, 0x7f, 0x80, original ^ 0x01, original ^ 0x40,
                     int(random.bounded(256)) }) {
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
        const QString notDataStream
            = QStringLiteral("the data is not a valid QDataStream of a QVariantList");
        // Lengths and counts far beyond the data must be refused, not trusted.
        QTest::newRow("datastream: empty") << datastream << QByteArray() << notDataStream;
        QTest::newRow("datastream: 4G values, none there")
            << datastream << QByteArray::fromHex("ffffffff") << notDataStream;
        QTest::newRow("datastream: 2G values, none there")
            << datastream << QByteArray::fromHex("7fffffff") << notDataStream;
        QTest::newRow("datastream: 4 GiB string") << datastream
                                                  << QByteArray::fromHex("00000001"
                                                                         "0000000a"
                                                                         "00"
                                                                         "fffffffe")
                                                  << notDataStream;
        QTest::newRow("datastream: 2 GiB byte array") << datastream
                                                      << QByteArray::fromHex("00000001"
                                                                             "0000000c"
                                                                             "00"
                                                                             "7fffffff")
                                                      << notDataStream;
        QTest::newRow("datastream: inner list of 4G values") << datastream
                                                             << QByteArray::fromHex("00000001"
                                                                                    "00000009"
                                                                                    "00"
                                                                                    "ffffffff")
                                                             << notDataStream;
        QTest::newRow("datastream: unknown user type") << datastream
                                                       << QByteArray::fromHex("00000001"
                                                                              "00000400"
                                                                              "00"
                                                                              "00000007")
                + "NoSuch" + QByteArray(1, '\0') << notDataStream;
        QTest::newRow("datastream: QBitArray with a negative length")
            << datastream << negativeBitArray() << notDataStream;
        QTest::newRow("datastream: a value too many") << datastream
                                                      << QByteArray::fromHex("00000000"
                                                                             "01")
                                                      << notDataStream;
        // Regression: Qt's readers of these reserve memory for a count in the data
        // (lyingQtReadersCostNoMemory has more); the datastream thaw reads a QVariantPair itself.
        QTest::newRow("datastream: QVariantPair holding a list of 7 million values")
            << datastream
            << QByteArray::fromHex("00000001"
                                   "0000003a"
                                   "00"
                                   "00000009"
                                   "00"
                                   "006f006f")
            << notDataStream;
        QTest::newRow("datastream: QEasingCurve")
            << datastream
            << QByteArray::fromHex("00000001"
                                   "0000001d"
                                   "00"
                                   "03"
                                   "0000000000000000"
                                   "00")
            << QStringLiteral("the data holds a value of type QEasingCurve, which the datastream "
                              "serialiser does not read");
        QTest::newRow("datastream: type id of a type registered at run time, without its name")
            << datastream
            << QByteArray::fromHex("00000001"
                                   "00010001"
                                   "00"
                                   "00000000")
            << notDataStream;
        QTest::newRow("datastream: a type id nothing has") << datastream
                                                           << QByteArray::fromHex("00000001"
                                                                                  "00000fff"
                                                                                  "00")
                                                           << notDataStream;
        QTest::newRow("octets: length past 64 bits")
            << octets << QByteArray::fromHex("ffffffffffffffffffff01")
            << QStringLiteral("truncated or invalid octets length");
        QTest::newRow("octets: 2^63 bytes, none there")
            << octets << QByteArray::fromHex("ffffffffffffffff7f")
            << QStringLiteral("an octet string runs past the end of the data");
        QTest::newRow("octets: length cut off")
            << octets << QByteArray::fromHex("80")
            << QStringLiteral("truncated or invalid octets length");
        QTest::newRow("octets: 5 bytes, 2 there")
            << octets << QByteArray::fromHex("056162")
            << QStringLiteral("an octet string runs past the end of the data");
        QTest::newRow("json: empty") << json << QByteArray() << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: an object")
            << json << QByteArray("{}") << QStringLiteral("the JSON is not an array");
        QTest::newRow("json: a number")
            << json << QByteArray("1") << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: unterminated")
            << json << QByteArray("[1,") << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: trailing garbage")
            << json << QByteArray("[1] x") << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: nested 10000 deep")
            << json << QByteArray(10000, '[') + QByteArray(10000, ']')
            << QStringLiteral("invalid JSON: ");
        QTest::newRow("json: 1e999")
            << json << QByteArray("[1e999]") << QStringLiteral("invalid JSON: ");
        QTest::newRow("cbor: empty") << cbor << QByteArray() << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: a map")
            << cbor << QByteArray::fromHex("a0") << QStringLiteral("the CBOR data is not an array");
        QTest::newRow("cbor: unterminated array")
            << cbor << QByteArray::fromHex("9f01") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 2^64 - 1 values") << cbor << QByteArray::fromHex("9bffffffffffffffff")
                                               << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 2G values, none there")
            << cbor << QByteArray::fromHex("9a7fffffff") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 4 GiB byte string")
            << cbor << QByteArray::fromHex("815affffffff") << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: 2^64 byte string")
            << cbor << QByteArray::fromHex("815bffffffffffffffff")
            << QStringLiteral("invalid CBOR: ");
        QTest::newRow("cbor: nested 10000 deep")
            << cbor << QByteArray(10000, '\x81') + QByteArray("\x01")
            << QStringLiteral("invalid CBOR: ");
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
        const QString notDataStream
            = QStringLiteral("the data is not a valid QDataStream of a QVariantList");
        const auto refused = [](const char *type) {
            return QStringLiteral(
                "the data holds a value of type %1, which the datastream serialiser does not read")
                .arg(QLatin1String(type));
        };
        // Qt 6.4 reads a QVariantPair's values with its own QVariant reader, which reserves a
        // list's count as it reads it: 18 bytes asked for 232 MB
        // (tests/fuzz/corpus/fuzz_thaw_datastream/huge-alloc-qvariantpair-list-count).
        QTest::newRow("QVariantPair holding a list of 7 million values")
            << datastream
            << QByteArray::fromHex("00000001"
                                   "0000003a"
                                   "00"
                                   "00000009"
                                   "00"
                                   "006f006f")
            << notDataStream;
        // (Counts the machine could grant: one beyond that fails at once and shows nowhere.)
        QTest::newRow("QVariantPair in a QVariantPair holding a list of 4M values")
            << datastream
            << QByteArray::fromHex("00000001"
                                   "0000003a"
                                   "00"
                                   "0000003a"
                                   "00"
                                   "00000009"
                                   "00"
                                   "00400000")
            << notDataStream;
        QTest::newRow("QVariantPair holding a string list of 4M strings")
            << datastream
            << QByteArray::fromHex("00000001"
                                   "0000003a"
                                   "00"
                                   "0000000b"
                                   "00"
                                   "00400000"
                                   "00000000"
                                   "00")
            << notDataStream;
        // A custom QEasingCurve whose points Qt reserves by the data's count: 47 bytes asked for
        // 267 MB (corpus/fuzz_thaw_datastream/huge-alloc-qeasingcurve-points, this input).
        QTest::newRow("QEasingCurve with millions of points")
            << datastream
            << QByteArray::fromHex(
                   "00000007"
                   "0000001d"
                   "1d1d1d1d1d1d1d1d1d1d1d1d1dff0000001d1d1d1d1d1db12d00ff0000001d1d1db12d00ff0000")
            << refused("QEasingCurve");
        QTest::newRow("QVariant holding a list of 4G values") << datastream
                                                              << QByteArray::fromHex("00000001"
                                                                                     "00000029"
                                                                                     "00"
                                                                                     "00000009"
                                                                                     "00"
                                                                                     "ffffffff")
                                                              << refused("QVariant");
        // Types registered at run time, by name, whose readers are Qt's and reserve the count.
        qRegisterMetaType<QVersionNumber>();
        qRegisterMetaType<QList<int>>();
        QTest::newRow("QVersionNumber of 4G segments")
            << datastream << oneValue([](QDataStream &out) {
                   out << quint32(QMetaType::User) << qint8(0) << "QVersionNumber"
                       << quint32(0xffffffff);
               })
            << refused("QVersionNumber");
        QTest::newRow("QList<int> of 4G values") << datastream << oneValue([](QDataStream &out) {
            out << quint32(QMetaType::User) << qint8(0) << "QList<int>" << quint32(0xffffffff);
        }) << refused("QList<int>");
        // Qt's CBOR parser reserves room for up to a million elements per array or map on the
        // claim alone: 1 000 bytes of nested claims grew the address space by 200 MB (found by
        // fuzz_thaw_cbor).
        // The claims are walked first (cborcheck.cpp), also under a tag and inside datastream.
        QByteArray claims;
        for (int i = 0; i < 200; ++i)
            claims += QByteArray::fromHex(
                "9a000f4240"); // an array of 1 000 000 items, holding the next
        const QString truncatedCbor
            = QStringLiteral("invalid CBOR: ") + QCborError { QCborError::EndOfFile }.toString();
        QTest::newRow("cbor: 200 nested arrays claiming a million items each")
            << QStringLiteral("cbor") << claims << truncatedCbor;
        QTest::newRow("cbor: the same under a tag, in a map") << QStringLiteral("cbor")
                                                              << QByteArray::fromHex("81"
                                                                                     "a1"
                                                                                     "01"
                                                                                     "d9d9f7")
                + claims << truncatedCbor;
        for (const auto &[type, name] : { std::pair { QMetaType::QCborValue, "QCborValue" },
                 std::pair { QMetaType::QCborArray, "QCborArray" },
                 std::pair { QMetaType::QCborMap, "QCborMap" } }) {
            QTest::addRow("datastream: a %s claiming 200 nested arrays of a million", name)
                << datastream << oneValue([type = type, &claims](QDataStream &out) {
                       out << quint32(type) << qint8(0) << claims;
                   })
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
            qPrintable(
                QStringLiteral("the address space grew by %1 KiB").arg(child.peakGrowthKiB)));
        // And here, many times: the same clear error each time, and no growth.
        QuietMessages quiet;
        const qint64 before = residentKiB();
        for (int i = 0; i < 200; ++i) {
            QString why;
            QCOMPARE(thawSafely(s, bytes, nullptr, &why), ThawResult::Threw);
            QCOMPARE(why, reason);
        }
        QVERIFY_THROWS_EXCEPTION(SerialiserError, s.thaw(bytes));
        QVERIFY2(grewLessThan(before, residentKiB(), 16 * 1024),
            "thawing lying data must not cost memory");
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
            QCOMPARE(QString::fromUtf8(e.what()),
                QStringLiteral("the data is not a valid QDataStream of a QVariantList"));
        }
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
                out << quint32(QMetaType::QDateTime) << qint8(0) << QDate(2020, 1, 1) << QTime(1, 2)
                    << spec;
                zone(out);
            });
        };
        const auto named
            = [](const QString &name) { return [name](QDataStream &out) { out << name; }; };
        const auto offsetForm = [](const QString &name) {
            return [name](QDataStream &out) {
                out << QStringLiteral("OffsetFromUtc") << name << qint32(3600)
                    << QStringLiteral("n") << QStringLiteral("a") << qint32(QLocale::France)
                    << QStringLiteral("c");
            };
        };
        qRegisterMetaType<QTimeZone>(); // so that a QTimeZone value can be sent by name
        const QList<std::pair<const char *, QByteArray>> inputs {
            { "zone named up and back to a FIFO", dateTime(Qt::TimeZone, named(upAndBack)) },
            { "zone named up, down and up again",
                dateTime(Qt::TimeZone, named(QStringLiteral("Europe/../../../..") + fifo)) },
            { "zone named by an absolute path", dateTime(Qt::TimeZone, named(fifo)) },
            { "custom zone named up and back to a FIFO",
                dateTime(Qt::TimeZone, offsetForm(upAndBack)) },
            { "a QTimeZone value named up and back to a FIFO", oneValue([&](QDataStream &out) {
                 out << quint32(QMetaType::User) << qint8(0) << "QTimeZone" << upAndBack;
             }) },
        };
        const Serialiser s = builtin(QStringLiteral("datastream"));
        for (const auto &[what, bytes] : inputs) {
            // In a child first (a hang ends it in 60 s).
            const QString outcome = thawInChildMeasuringPeak(s, bytes).outcome;
            QVERIFY2(outcome == QLatin1String("values"),
                qPrintable(QLatin1String(what) + QStringLiteral(": ") + outcome));
            QVariantList values;
            QCOMPARE(thawSafely(s, bytes, &values), ThawResult::Values);
            QCOMPARE(values.size(), 1);
            const QTimeZone zone = values.first().metaType().id() == QMetaType::QDateTime
                ? values.first().toDateTime().timeZone()
                : values.first().value<QTimeZone>();
            // A name that is no zone gives an invalid one, as it does in Qt; a custom zone keeps
            // it.
            if (QByteArrayView(what).startsWith("custom"))
                QCOMPARE(zone.id(), upAndBack.toUtf8());
            else
                QVERIFY2(!zone.isValid(), what);
        }
        // Real zones still work.
        QVariantList values;
        QCOMPARE(
            thawSafely(s, dateTime(Qt::TimeZone, named(QStringLiteral("Europe/Paris"))), &values),
            ThawResult::Values);
        QCOMPARE(values.value(0).toDateTime().timeZone().id(), QByteArray("Europe/Paris"));
        QCOMPARE(values.value(0).toDateTime().offsetFromUtc(), 3600);
    }
};

QFORKRPC_TEST_MAIN(tst_SerialiserHardening)
#include "tst_serialiserhardening.moc"
