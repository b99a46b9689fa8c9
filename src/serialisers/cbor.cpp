// SPDX-License-Identifier: MIT
// "cbor": the values as one CBOR array. Carries what JSON does plus byte arrays, dates, URLs,
// UUIDs and regular expressions; QCborValue::fromVariant would turn anything else into a string or
// undefined, so that is refused.
#include "serialisers_p.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>

namespace QForkRpcDetail {

namespace {

bool cborCarries(QMetaType type)
{
    switch (type.id()) {
    case QMetaType::QByteArray:
    case QMetaType::QDateTime:
    case QMetaType::QUrl:
    case QMetaType::QUuid:
    case QMetaType::QRegularExpression:
    case QMetaType::QCborValue:
    case QMetaType::QCborArray:
    case QMetaType::QCborMap:
    case QMetaType::QCborSimpleType:
        return true;
    default:
        return jsonCarries(type);
    }
}

} // namespace

Serialiser cborSerialiser()
{
    return Serialiser {
        [](const QVariantList &values) {
            checkValueTypes(values, cborCarries, "cbor");
            return QCborArray::fromVariantList(values).toCborValue().toCbor();
        },
        [](const QByteArray &bytes) {
            QCborParserError error;
            const QCborValue value = QCborValue::fromCbor(bytes, &error);
            if (error.error != QCborError::NoError)
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "invalid CBOR: %1").arg(error.errorString()));
            if (!value.isArray())
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "the CBOR data is not an array"));
            return value.toArray().toVariantList();
        },
    };
}

} // namespace QForkRpcDetail
