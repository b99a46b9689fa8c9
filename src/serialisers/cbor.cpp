// SPDX-License-Identifier: MIT
// "cbor": the values as one CBOR array. Carries what JSON does plus byte arrays, dates, URLs,
// UUIDs, regular expressions and descriptors (QForkRpcFd: tag 1363559424, "QFD\0", around the
// descriptor's number in the frame, or null for an invalid one); QCborValue::fromVariant would
// turn anything else into a string or undefined, so that is refused.
#include "serialisers_p.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborStreamReader>
#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QRegularExpression>

#include <optional>
#include <type_traits>

namespace QForkRpcDetail {

namespace {

constexpr auto descriptorTag = QCborTag(0x51464400);

bool cborCarries(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<QForkRpcFd>())
        return true;
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

// Replaces each QForkRpcFd below `value` by its tag. Containers are read in place and copied only
// on the way to a descriptor, so that values without one cost a walk and nothing else. Returns
// whether it replaced any. (Nesting was bounded by checkNestingAndSize.)
bool tagDescriptors(QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<QForkRpcFd>()) {
        const auto fd = value.value<QForkRpcFd>();
        value = QVariant::fromValue(QCborValue(descriptorTag,
            fd.isValid() ? QCborValue(qint64(qForkRpcFreezeFd(fd))) : QCborValue(nullptr)));
        return true;
    }
    const auto inside = [&value](auto *container) {
        using Container = std::remove_const_t<std::remove_pointer_t<decltype(container)>>;
        std::optional<Container> changed; // a copy, made at the first descriptor
        for (auto it = container->cbegin(); it != container->cend(); ++it) {
            QVariant inner = it.value();
            if (!tagDescriptors(inner))
                continue;
            if (!changed)
                changed = *container;
            (*changed)[it.key()] = inner;
        }
        if (changed)
            value = *changed;
        return changed.has_value();
    };
    switch (value.metaType().id()) {
    case QMetaType::QVariantList: {
        const auto &list = *static_cast<const QVariantList *>(value.constData());
        std::optional<QVariantList> changed;
        for (qsizetype i = 0; i < list.size(); ++i) {
            QVariant inner = list.at(i);
            if (!tagDescriptors(inner))
                continue;
            if (!changed)
                changed = list;
            (*changed)[i] = inner;
        }
        if (changed)
            value = *changed;
        return changed.has_value();
    }
    case QMetaType::QVariantMap:
        return inside(static_cast<const QVariantMap *>(value.constData()));
    case QMetaType::QVariantHash:
        return inside(static_cast<const QVariantHash *>(value.constData()));
    default:
        return false;
    }
}

bool isDescriptorTag(const QCborValue &value)
{
    return value.isTag() && value.tag() == descriptorTag;
}

bool holdsDescriptor(const QCborValue &value)
{
    if (isDescriptorTag(value))
        return true;
    if (value.isArray()) {
        for (const QCborValue &inner : value.toArray())
            if (holdsDescriptor(inner))
                return true;
    } else if (value.isMap()) {
        for (auto it : value.toMap())
            if (holdsDescriptor(it.second))
                return true;
    }
    return false;
}

// QCborValue::toVariant(), which drops tags it does not know, with our tag made a QForkRpcFd
// again: only what holds one is converted here, the rest by Qt.
QVariant untagDescriptors(const QCborValue &value)
{
    if (isDescriptorTag(value)) {
        const QCborValue number = value.taggedValue();
        if (number.isNull())
            return QVariant::fromValue(QForkRpcFd());
        if (!number.isInteger() || number.toInteger() < 0 || number.toInteger() > 0xfffffffe)
            throw SerialiserError(QCoreApplication::translate(
                "QForkRpc", "a CBOR descriptor tag holds no descriptor number"));
        return QVariant::fromValue(qForkRpcThawFd(quint32(number.toInteger())));
    }
    if (!holdsDescriptor(value))
        return value.toVariant();
    if (value.isArray()) {
        QVariantList list;
        for (const QCborValue &inner : value.toArray())
            list.append(untagDescriptors(inner));
        return list;
    }
    QVariantMap map;
    for (auto [key, inner] : value.toMap()) {
        QCborMap keyAlone; // the key as Qt's toVariantMap() makes it a string
        keyAlone.insert(key, QCborValue());
        map.insert(keyAlone.toVariantMap().firstKey(), untagDescriptors(inner));
    }
    return map;
}

} // namespace

Serialiser cborSerialiser()
{
    return Serialiser {
        [](const QVariantList &values) {
            checkNestingAndSize(values, 1); // UTF-8 takes at least a byte per UTF-16 unit
            checkValues(values, cborCarries, "cbor");
            QVariant all = values;
            if (tagDescriptors(all))
                return QCborArray::fromVariantList(all.toList()).toCborValue().toCbor();
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
            // Only what holds a descriptor tag is converted by hand (untagDescriptors), once.
            QVariantList values = holdsDescriptor(value) ? untagDescriptors(value).toList()
                                                         : value.toArray().toVariantList();
            checkThawedNesting(values);
            return values;
        },
    };
}

} // namespace QForkRpcDetail
