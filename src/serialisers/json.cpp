// SPDX-License-Identifier: MIT
// "json": the values as one compact JSON array. Only what JSON can say round-trips, so anything
// else (byte arrays, infinities, objects) is refused instead of silently becoming null.
#include "serialisers_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <cmath>

namespace QForkRpcDetail {

bool jsonCarries(QMetaType type)
{
    switch (type.id()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::QString:
    case QMetaType::QStringList:
    case QMetaType::QVariantList:
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
    case QMetaType::QJsonValue:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonObject:
        return true;
    default:
        return false;
    }
}

namespace {

void checkFinite(const QJsonValue &value)
{
    if (value.isDouble() && !std::isfinite(value.toDouble()))
        throw SerialiserError(QCoreApplication::translate("QForkRpc", "the json serialiser cannot carry infinite or NaN numbers"));
    if (value.isArray()) {
        for (const QJsonValue &element : value.toArray())
            checkFinite(element);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            checkFinite(it.value());
    }
}

} // namespace

Serialiser jsonSerialiser()
{
    return Serialiser {
        [](const QVariantList &values) {
            checkValueTypes(values, jsonCarries, "json");
            const QJsonArray array = QJsonArray::fromVariantList(values);
            checkFinite(array);
            return QJsonDocument(array).toJson(QJsonDocument::Compact);
        },
        [](const QByteArray &bytes) {
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
            if (error.error != QJsonParseError::NoError)
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "invalid JSON: %1").arg(error.errorString()));
            if (!document.isArray())
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "the JSON is not an array"));
            return document.array().toVariantList();
        },
    };
}

} // namespace QForkRpcDetail
