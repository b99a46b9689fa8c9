// SPDX-License-Identifier: MIT
// What the three serialiser suites share (tst_serialisers, tst_serialisersinworkers,
// tst_serialiserhardening): the types they send, the built-in serialisers by name, comparisons of
// values that mind their types, and a thaw that says how it went instead of throwing.
//
// The built-in serialisers are internal (hidden in the shared library): these suites link
// qforkrpc_internal, and their workers run the same copy of the library.
#pragma once

#include "serialisers/serialisers_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QDataStream>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QVariant>

// No QDataStream operators: no serialiser can carry it.
struct Opaque
{
    int value = 0;
};
Q_DECLARE_METATYPE(Opaque)

// Streamable, and registered at static-initialisation time (streamableTypeId), so that workers
// know it by name.
struct Streamable
{
    qint32 number = 0;
    QString text;
    friend bool operator==(const Streamable &a, const Streamable &b)
    {
        return a.number == b.number && a.text == b.text;
    }
};
QDataStream &operator<<(QDataStream &out, const Streamable &s);
QDataStream &operator>>(QDataStream &in, Streamable &s);
Q_DECLARE_METATYPE(Streamable)

extern const int streamableTypeId;

constexpr qsizetype MiB = 1024 * 1024;

// A value no serialiser can carry (a QObject *).
QVariant unfreezableValue();

// The built-in serialiser of that name: "datastream", "octets", "json" or "cbor".
QForkRpcDetail::Serialiser builtin(const QString &name);

// A "serialiser" column with a row for each built-in serialiser.
void addBuiltinSerialiserColumn();

QByteArray pattern(qsizetype size, int seed = 0);

QString describe(const QVariant &value);

// Empty when `got` equals `want` with the same types all the way down (QVariant's own == calls
// 1 and 1.0 equal), else where and how they differ. NaN equals NaN here, -0.0 differs from 0.0,
// and date-times must agree on their time spec as well as on the instant.
QString difference(const QVariant &got, const QVariant &want, const QString &where);
QString difference(const QVariantList &got, const QVariantList &want);

// Thaws `bytes`, which must either give values or throw a std::exception.
enum class ThawResult { Values, Threw };
ThawResult thawSafely(const QForkRpcDetail::Serialiser &serialiser, const QByteArray &bytes,
    QVariantList *values = nullptr, QString *reason = nullptr);
