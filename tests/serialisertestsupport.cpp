// SPDX-License-Identifier: MIT
#include "serialisertestsupport.h"

#include <QtCore/QDateTime>
#include <QtCore/QDebug>
#include <QtCore/QObject>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantList>
#include <QtTest/QTest>

#include <cmath>
#include <exception>

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer (QFORKRPC_SANITIZE), an impossible allocation must fail as it does
// without it, by malloc returning null, instead of aborting: garbage counts make QDataStream ask
// QList::reserve() for up to 128 GiB, which Qt takes in its stride when malloc says no.
extern "C" const char *__asan_default_options()
{
    return "allocator_may_return_null=1";
}
#endif

using QForkRpcDetail::Serialiser;

QDataStream &operator<<(QDataStream &out, const Streamable &s)
{
    return out << s.number << s.text;
}
QDataStream &operator>>(QDataStream &in, Streamable &s)
{
    return in >> s.number >> s.text;
}

// Registered before main(), and so before initialize() forks the template.
const int streamableTypeId = qRegisterMetaType<Streamable>();

QVariant unfreezableValue()
{
    return QVariant::fromValue(static_cast<QObject *>(nullptr));
}

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

void addBuiltinSerialiserColumn()
{
    QTest::addColumn<QString>("serialiser");
    for (const char *name : { "datastream", "octets", "json", "cbor" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

QByteArray pattern(qsizetype size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed) % 251);
    return bytes;
}

QString describe(const QVariant &value)
{
    QString text;
    QDebug(&text).nospace() << value;
    return text.size() > 300 ? text.left(300) + QStringLiteral("...") : text;
}

QString difference(const QVariant &got, const QVariant &want, const QString &where)
{
    const QString mismatch
        = QStringLiteral("%1: got %2, expected %3").arg(where, describe(got), describe(want));
    if (got.metaType() != want.metaType())
        return mismatch;
    switch (want.metaType().id()) {
    case QMetaType::QVariantList: {
        const QVariantList g = got.toList();
        const QVariantList w = want.toList();
        if (g.size() != w.size())
            return QStringLiteral("%1: %2 values instead of %3")
                .arg(where)
                .arg(g.size())
                .arg(w.size());
        for (qsizetype i = 0; i < w.size(); ++i) {
            const QString d = difference(
                g.at(i), w.at(i), where + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'));
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
            const QString d
                = difference(gh.value(it.key()), it.value(), where + QLatin1Char('.') + it.key());
            if (!d.isEmpty())
                return d;
        }
        return QString();
    }
    case QMetaType::Double:
    case QMetaType::Float: {
        const double g = got.toDouble();
        const double w = want.toDouble();
        const bool same
            = std::isnan(w) ? std::isnan(g) : (g == w && std::signbit(g) == std::signbit(w));
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
        const bool same
            = g == w && g.timeSpec() == w.timeSpec() && g.offsetFromUtc() == w.offsetFromUtc();
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

ThawResult thawSafely(
    const Serialiser &serialiser, const QByteArray &bytes, QVariantList *values, QString *reason)
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
