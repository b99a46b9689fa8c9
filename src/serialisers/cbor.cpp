// SPDX-License-Identifier: MIT
// "cbor": the values as one CBOR array. Carries what JSON does plus byte arrays, dates, URLs,
// UUIDs and regular expressions; QCborValue::fromVariant would turn anything else into a string or
// undefined, so that is refused.
#include "serialisers_p.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborStreamReader>
#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QRegularExpression>

namespace QForkRpcDetail {

namespace {

bool cborCarries(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::Double:
    case QMetaType::Float: // CBOR has NaN and infinities
    case QMetaType::QByteArray:
    case QMetaType::QUrl:
    case QMetaType::QUuid:
    case QMetaType::QCborValue:
    case QMetaType::QCborArray:
    case QMetaType::QCborMap:
    case QMetaType::QCborSimpleType:
        return true;
    case QMetaType::QDateTime: // an invalid one would come back as an empty string
        return value.toDateTime().isValid();
    case QMetaType::QRegularExpression: // only the pattern travels, not the options
        return value.toRegularExpression().patternOptions() == QRegularExpression::NoPatternOption;
    default:
        return jsonCarries(value);
    }
}

} // namespace

Serialiser cborSerialiser()
{
    return Serialiser {
        [](const QVariantList &values) {
            checkNestingAndSize(values, 1); // UTF-8 takes at least a byte per UTF-16 unit
            checkValues(values, cborCarries, "cbor");
            return QCborArray::fromVariantList(values).toCborValue().toCbor();
        },
        [](const QByteArray &bytes) {
            const QCborError claims = checkCborClaims(bytes);
            if (claims != QCborError::NoError)
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "invalid CBOR: %1")
                                          .arg(claims.toString()));
            QCborStreamReader reader(bytes);
            const QCborValue value = QCborValue::fromCbor(reader);
            if (reader.lastError() != QCborError::NoError)
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "invalid CBOR: %1")
                                          .arg(reader.lastError().toString()));
            if (reader.currentOffset() != bytes.size())
                throw SerialiserError(QCoreApplication::translate(
                    "QForkRpc", "unexpected bytes after the CBOR array"));
            if (!value.isArray())
                throw SerialiserError(
                    QCoreApplication::translate("QForkRpc", "the CBOR data is not an array"));
            QVariantList values = value.toArray().toVariantList();
            checkThawedNesting(values);
            return values;
        },
    };
}

} // namespace QForkRpcDetail
