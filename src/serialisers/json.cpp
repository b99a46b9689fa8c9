// SPDX-License-Identifier: MIT
// "json": the values as one compact JSON array. Only what JSON can say round-trips, so anything
// else (byte arrays, NaN and infinities, integers above INT64_MAX, objects) is refused instead of
// silently becoming null or something else.
#include "serialisers_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <cmath>
#include <limits>

namespace QForkRpcDetail {

bool jsonCarries(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::QString:
    case QMetaType::QStringList:
    case QMetaType::QVariantList:
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonObject:
        return true;
    case QMetaType::ULongLong: // above INT64_MAX it would come back as a double
        return value.toULongLong() <= quint64(std::numeric_limits<qint64>::max());
    case QMetaType::Double:
    case QMetaType::Float: // NaN and infinity would silently become null
        return std::isfinite(value.toDouble());
    case QMetaType::QJsonValue: {
        const auto &json = *static_cast<const QJsonValue *>(value.constData());
        return !json.isDouble() || std::isfinite(json.toDouble());
    }
    default:
        return false;
    }
}

Serialiser jsonSerialiser()
{
    return Serialiser {
        [](const QVariantList &values) {
            checkNestingAndSize(values, 1); // UTF-8 takes at least a byte per UTF-16 unit
            checkValues(values, jsonCarries, "json");
            return QJsonDocument(QJsonArray::fromVariantList(values))
                .toJson(QJsonDocument::Compact);
        },
        [](const QByteArray &bytes) {
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
            if (error.error != QJsonParseError::NoError)
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "invalid JSON: %1")
                                          .arg(error.errorString()));
            if (!document.isArray())
                throw SerialiserError(
                    QCoreApplication::translate("QForkRpc", "the JSON is not an array"));
            QVariantList values = document.array().toVariantList();
            checkThawedNesting(values);
            return values;
        },
    };
}

} // namespace QForkRpcDetail
