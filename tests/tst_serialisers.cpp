// SPDX-License-Identifier: MIT
// The built-in serialisers called directly, no workers: what each carries exactly and what it
// refuses by name, datastream's fast path against QDataStream byte for byte, large byte arrays
// frozen into shared frame pieces and a large last one thawed into the frame's own buffer, the
// walk before Qt's CBOR parser on what the parser reads, and QVariantPair read by the library.
// Hostile bytes are tst_serialiserhardening's; round trips through workers
// tst_serialisersinworkers'.
#include "serialisertestsupport.h"
#include "testmain.h"

#include <QtCore/QBitArray>
#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QDataStream>
#include <QtCore/QDateTime>
#include <QtCore/QEasingCurve>
#include <QtCore/QJsonValue>
#include <QtCore/QLocale>
#include <QtCore/QPoint>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRect>
#include <QtCore/QRegularExpression>
#include <QtCore/QSize>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtCore/QVariantMap>
#include <QtCore/QVersionNumber>

#include <climits>
#include <cstring>
#include <limits>

using QForkRpcDetail::Serialiser;
using QForkRpcDetail::SerialiserError;

namespace {

// Stricter than difference(), for comparing two readers of the same bytes: the null flags of the
// QVariants and of the strings in them must agree too, and doubles bit for bit.
QString exactDifference(const QVariant &got, const QVariant &want, const QString &where)
{
    const QString mismatch = QStringLiteral("%1: got %2 (null %3), expected %4 (null %5)")
                                 .arg(where, describe(got))
                                 .arg(got.isNull())
                                 .arg(describe(want))
                                 .arg(want.isNull());
    if (got.metaType() != want.metaType() || got.isNull() != want.isNull())
        return mismatch;
    switch (want.metaType().id()) {
    case QMetaType::QVariantList: {
        const QVariantList g = got.toList();
        const QVariantList w = want.toList();
        if (g.size() != w.size())
            return mismatch;
        for (qsizetype i = 0; i < w.size(); ++i) {
            const QString d = exactDifference(
                g.at(i), w.at(i), where + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'));
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
        return got.toString().isNull() == want.toString().isNull() && got == want ? QString()
                                                                                  : mismatch;
    case QMetaType::QByteArray:
        return got.toByteArray().isNull() == want.toByteArray().isNull() && got == want ? QString()
                                                                                        : mismatch;
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
    return { QVariant(), QVariant(QMetaType::fromType<int>()),
        QVariant(QMetaType::fromType<QString>()), QVariant(QMetaType::fromType<QByteArray>()),
        QVariant(QMetaType::fromType<double>()), true, false, 0, -1,
        std::numeric_limits<int>::min(), std::numeric_limits<int>::max(), 0u,
        std::numeric_limits<uint>::max(), qlonglong(std::numeric_limits<qint64>::min()),
        qlonglong(std::numeric_limits<qint64>::max()),
        qulonglong(std::numeric_limits<quint64>::max()), 0.0, -0.0, 1.5,
        std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::denorm_min(), QString(), QStringLiteral(""),
        QStringLiteral("h\u00e9\u0000llo \U0001D11E"), QByteArray(), QByteArray(""),
        QByteArray("\0\xff\x80", 3), QVariantList(),
        QVariantList { QVariantList { QVariantList {} } },
        QVariantList { 1, QStringLiteral("two"), QByteArray("3"), QVariantList { 4.0 } } };
}

QVariant randomCommonValue(QRandomGenerator &random, int depth)
{
    switch (random.bounded(depth < 4 ? 10 : 9)) {
    case 0:
        return random.bounded(2) == 0 ? QVariant() : QVariant(QMetaType::fromType<int>());
    case 1:
        return bool(random.bounded(2));
    case 2:
        return int(random.generate());
    case 3:
        return uint(random.generate());
    case 4:
        return qlonglong(random.generate64());
    case 5:
        return qulonglong(random.generate64());
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

} // namespace

class tst_Serialisers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(streamableTypeId >= QMetaType::User); }

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
            const QString d = exactDifference(
                QVariant(fastRead), QVariant(generalRead_), QStringLiteral("values"));
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
            const QString d
                = exactDifference(QVariant(fast), QVariant(general), QStringLiteral("values"));
            QVERIFY2(d.isEmpty(),
                qPrintable(d + QStringLiteral(" in ") + QString::fromLatin1(bytes.toHex())));
        }
        QVERIFY(fastAccepted > 1000); // the damage often leaves valid data (a changed number)
    }

    // Other types, deep nesting and what it cannot parse are left to the general path.
    void dataStreamFastPathLeavesTheRestToTheGeneralPath()
    {
        QForkRpcDetail::FramePayload payload;
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream({ 1, QDate(2026, 11, 28) }, &payload));
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream({ 1.5f }, &payload));
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream(
            { QVariantList { QVariantMap { { QStringLiteral("k"), 1 } } } }, &payload));
        QVERIFY(!QForkRpcDetail::freezeCommonDataStream(
            { QStringList { QStringLiteral("a") } }, &payload));
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
        const QVariantList mixed { 1, QDate(2026, 11, 28), 1.5f, deep,
            QVariantMap { { QStringLiteral("k"), QVariantList { 2 } } } };
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
        const QVariantList values { 1, big, QStringLiteral("s"), QVariantList { bigger, big, 2 },
            QByteArray("small") };
        QForkRpcDetail::FramePayload payload;
        s.freezePieces(values, &payload);
        int shared = 0;
        for (const QByteArray &piece : payload.pieces())
            shared
                += piece.constData() == big.constData() || piece.constData() == bigger.constData();
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
        QTest::newRow("octets") << QStringLiteral("octets")
                                << QVariantList { QByteArray("first"), big };
        QTest::newRow("datastream")
            << QStringLiteral("datastream") << QVariantList { QByteArray("first"), big };
        QTest::newRow("datastream, nested") << QStringLiteral(
            "datastream") << QVariantList { QStringLiteral("first"), QVariantList { 1, big } };
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
        QVERIFY2(lastByteArray(taken) > begin && lastByteArray(taken) < end,
            "the last byte array was copied");
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

    // ---- What each serialiser reads and carries ------------------------------------------

    // The walk before Qt's CBOR parser (cborcheck.cpp) lets through all that the parser reads:
    // indefinite lengths, tags, chunked strings, empty containers, nesting.
    void cborWalkAcceptsWhatQtReads()
    {
        const Serialiser s = builtin(QStringLiteral("cbor"));
        const QList<QByteArray> inputs {
            QByteArray::fromHex("80"), // []
            QByteArray::fromHex("9f01bf616102ff80a0ff"), // [_ 1, {_ "a": 2}, [], {}]
            QByteArray::fromHex("82c11a5f5e1000d82043313233"), // [1(1599999999), 32(h'313233')]
            QByteArray::fromHex("81"
                                "7f"
                                "62"
                                "6162"
                                "61"
                                "63"
                                "ff"), // [(_ "ab", "c")]
            QByteArray::fromHex("81"
                                "5f"
                                "42"
                                "0102"
                                "41"
                                "03"
                                "ff"), // [(_ h'0102', h'03')]
            QByteArray::fromHex("8181818181818101"), // [[[[[[[1]]]]]]]
        };
        for (const QByteArray &bytes : inputs) {
            QCOMPARE(QForkRpcDetail::checkCborClaims(bytes), QCborError { QCborError::NoError });
            const QVariantList expected = QCborValue::fromCbor(bytes).toArray().toVariantList();
            QVariantList values;
            QCOMPARE(thawSafely(s, bytes, &values), ThawResult::Values);
            const QString d = difference(values, expected);
            QVERIFY2(d.isEmpty(),
                qPrintable(QString::fromLatin1(bytes.toHex()) + QStringLiteral(": ") + d));
        }
        QCOMPARE(QForkRpcDetail::checkCborClaims(QByteArray::fromHex("83")),
            QCborError { QCborError::EndOfFile });
        QCOMPARE(QForkRpcDetail::checkCborClaims(QByteArray::fromHex("9f01")),
            QCborError { QCborError::EndOfFile });
    }

    void legitimateQVariantPairIsReadExactly()
    {
        const Serialiser s = builtin(QStringLiteral("datastream"));
        const QVariantPair pair(QVariantList { 1, QStringLiteral("x") },
            QVariant::fromValue(QVariantPair(QVariant(), 2.5)));
        const QByteArray bytes = s.freeze(
            { QVariant::fromValue(pair), QVariant(QMetaType::fromType<QVariantPair>()) });
        // Byte for byte what Qt writes, and read back as Qt would read it, null flag included.
        QByteArray qt;
        QDataStream out(&qt, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << QVariantList { QVariant::fromValue(pair),
            QVariant(QMetaType::fromType<QVariantPair>()) };
        QCOMPARE(bytes, qt);
        QVariantList back;
        QCOMPARE(thawSafely(s, bytes, &back), ThawResult::Values);
        QCOMPARE(back.size(), 2);
        const QString diff
            = difference(back.first(), QVariant::fromValue(pair), QStringLiteral("pair"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QCOMPARE(back.at(1).metaType(), QMetaType::fromType<QVariantPair>());
        QVERIFY(back.at(1).isNull());
        // Nested as deep as lists may be (200 levels are fine), and no deeper.
        const auto nested = [](int depth) {
            QByteArray pairs = QByteArray::fromHex("00000001");
            for (int i = 0; i < depth; ++i)
                pairs += QByteArray::fromHex("0000003a"
                                             "00"); // a pair, whose first value is ...
            pairs
                += QByteArray::fromHex("00000000"
                                       "01"); // ... the next, or at the bottom an invalid QVariant
            for (int i = 0; i < depth; ++i)
                pairs += QByteArray::fromHex("00000000"
                                             "01"); // every pair's second value
            return pairs;
        };
        QCOMPARE(thawSafely(s, nested(200)), ThawResult::Values);
        QString why;
        QCOMPARE(thawSafely(s, nested(300), nullptr, &why), ThawResult::Threw);
        QCOMPARE(why, QStringLiteral("the data is nested more than 256 levels deep"));
    }

    void freezeCarriesExactlyOrRefuses_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<QVariant>("value");
        // Values of many types; each serialiser must either carry a value or refuse it with a
        // message naming the serialiser and the type.
        const QList<std::pair<const char *, QVariant>> values {
            { "int", 1 },
            { "double", 2.5 },
            { "QString", QStringLiteral("s") },
            { "QByteArray", QByteArray("b") },
            { "QDateTime", QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC) },
            { "QDate", QDate(2020, 1, 1) },
            { "QTime", QTime(1, 2) },
            { "QUrl", QUrl(QStringLiteral("http://x/")) },
            { "QUuid", QUuid::createUuid() },
            { "QRegularExpression", QRegularExpression(QStringLiteral("x")) },
            { "QPoint", QPoint(1, 2) },
            { "QRect", QRect(1, 2, 3, 4) },
            { "QSize", QSize(1, 2) },
            { "QChar", QChar(u'c') },
            { "QBitArray", QBitArray(3, true) },
            { "QLocale", QLocale::c() },
            { "short", QVariant::fromValue(short(1)) },
            { "char", QVariant::fromValue(char('c')) },
            { "QStringList", QStringList { QStringLiteral("a") } },
            { "QVariantList", QVariantList { 1 } },
            { "QVariantMap", QVariantMap { { QStringLiteral("a"), 1 } } },
            { "QJsonValue", QVariant::fromValue(QJsonValue(1)) },
            { "QCborValue", QVariant::fromValue(QCborValue(1)) },
            { "QObject*", unfreezableValue() },
            { "Opaque", QVariant::fromValue(Opaque { 1 }) },
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
            QVERIFY2(
                why.contains(QStringLiteral("the ") + serialiser + QStringLiteral(" serialiser")),
                e.what());
            QVERIFY2(why.contains(QLatin1String(value.metaType().name())), e.what());
            return;
        }
        QVariantList back;
        QString reason;
        QCOMPARE(thawSafely(s, bytes, &back, &reason), ThawResult::Values);
        QCOMPARE(back.size(), 1);
        // datastream and octets give back exactly what went in; what json and cbor give back is
        // checked by roundTrip (tst_serialisersinworkers) and valuesAreCarriedExactlyOrRefused.
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
        QTest::newRow("json: qulonglong max")
            << QStringLiteral("json") << QVariant::fromValue(qulonglong(ULLONG_MAX));
        QTest::newRow("cbor: qulonglong max")
            << QStringLiteral("cbor") << QVariant::fromValue(qulonglong(ULLONG_MAX));
        QTest::newRow("cbor: regular expression with options")
            << QStringLiteral("cbor")
            << QVariant(QRegularExpression(
                   QStringLiteral("a.b"), QRegularExpression::CaseInsensitiveOption));
        QTest::newRow("cbor: invalid QDateTime") << QStringLiteral("cbor") << QVariant(QDateTime());
        QTest::newRow("json: NaN") << QStringLiteral("json") << QVariant(qQNaN());
        QTest::newRow("json: infinity") << QStringLiteral("json") << QVariant(qInf());
        QTest::newRow("json: QJsonValue NaN")
            << QStringLiteral("json") << QVariant::fromValue(QJsonValue(qQNaN()));
        // ... and ones that are fine, to show the check itself works:
        QTest::newRow("json: qulonglong 2^63 - 1")
            << QStringLiteral("json") << QVariant::fromValue(qulonglong(LLONG_MAX));
        QTest::newRow("cbor: regular expression")
            << QStringLiteral("cbor") << QVariant(QRegularExpression(QStringLiteral("a.b")));
        QTest::newRow("cbor: valid QDateTime") << QStringLiteral(
            "cbor") << QVariant(QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC));
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
            || (value.metaType().id() == QMetaType::ULongLong
                && back.first().metaType().id() == QMetaType::LongLong
                && back.first().toULongLong() == value.toULongLong());
        QVERIFY2(same,
            qPrintable(
                describe(value) + QStringLiteral(" came back as ") + describe(back.first())));
    }
};

QFORKRPC_TEST_MAIN(tst_Serialisers)
#include "tst_serialisers.moc"
