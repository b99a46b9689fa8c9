// SPDX-License-Identifier: MIT
// What every serialiser shares: the type check and the exception barrier.
#include "serialisers_p.h"

#include "wire/descriptors_p.h"
#include "wire/frame_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantMap>

#include <vector>

namespace QForkRpcDetail {

namespace {

// Returns the path of the first refused value below `value` ("" for `value` itself) and its type,
// or a null string when all are accepted. The path is only built on the way out of a refusal.
QString firstRefused(const QVariant &value, ValueCheck accepts, QMetaType *refusedType)
{
    const auto inside = [](const QString &step, const QString &rest) {
        return rest.isEmpty() ? step : step + rest;
    };
    switch (value.metaType().id()) {
    case QMetaType::QVariantList: {
        const auto &list = *static_cast<const QVariantList *>(value.constData());
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString path = firstRefused(list.at(i), accepts, refusedType);
            if (!path.isNull())
                return inside(QLatin1Char('[') + QString::number(i) + QLatin1Char(']'), path);
        }
        break;
    }
    case QMetaType::QVariantMap: {
        const auto &map = *static_cast<const QVariantMap *>(value.constData());
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            const QString path = firstRefused(it.value(), accepts, refusedType);
            if (!path.isNull())
                return inside(QLatin1Char('.') + it.key(), path);
        }
        break;
    }
    case QMetaType::QVariantHash: {
        const auto &hash = *static_cast<const QVariantHash *>(value.constData());
        for (auto it = hash.cbegin(); it != hash.cend(); ++it) {
            const QString path = firstRefused(it.value(), accepts, refusedType);
            if (!path.isNull())
                return inside(QLatin1Char('.') + it.key(), path);
        }
        break;
    }
    case QMetaType::QVariantPair: {
        // Walked too, as datastream reads its two values as values of their own.
        const auto &pair = *static_cast<const QVariantPair *>(value.constData());
        for (const auto &[step, member] :
            { std::pair { ".first", &pair.first }, std::pair { ".second", &pair.second } }) {
            const QString path = firstRefused(*member, accepts, refusedType);
            if (!path.isNull())
                return inside(QLatin1String(step), path);
        }
        break;
    }
    default:
        break;
    }
    if (accepts(value))
        return QString();
    *refusedType = value.metaType();
    return QLatin1String("");
}

} // namespace

void checkValues(const QVariantList &values, ValueCheck accepts, const char *serialiserName)
{
    for (qsizetype i = 0; i < values.size(); ++i) {
        QMetaType type;
        const QString path = firstRefused(values.at(i), accepts, &type);
        if (path.isNull())
            continue;
        throw SerialiserError(QCoreApplication::translate(
            "QForkRpc", "the %1 serialiser cannot carry value %2 of type %3")
                                  .arg(QLatin1String(serialiserName), QString::number(i) + path,
                                      QLatin1String(type.isValid() ? type.name() : "invalid")));
    }
}

void checkNestingAndSize(const QVariantList &values, int bytesPerStringUnit)
{
    struct Visit
    {
        const QVariant *value;
        int depth;
        qsizetype topIndex; // which of `values` it is in, for the message
    };
    std::vector<Visit> stack;
    for (qsizetype i = values.size() - 1; i >= 0; --i)
        stack.push_back({ &values.at(i), 1, i });
    const quint64 unit = bytesPerStringUnit < 0 ? 0 : quint64(bytesPerStringUnit);
    quint64 bytes = 0;
    const auto string = [&](const QString &s) { bytes += unit * quint64(s.size()); };
    const auto byteArray
        = [&](const QByteArray &b) { bytes += bytesPerStringUnit < 0 ? 0 : quint64(b.size()); };
    while (!stack.empty()) {
        const Visit visit = stack.back();
        stack.pop_back();
        const QVariant &value = *visit.value;
        const int id = value.metaType().id();
        const bool container = id == QMetaType::QVariantList || id == QMetaType::QVariantMap
            || id == QMetaType::QVariantHash || id == QMetaType::QVariantPair;
        if (container && visit.depth > maxNesting)
            throw SerialiserError(QCoreApplication::translate(
                "QForkRpc", "value %1 is nested more than %2 levels deep")
                                      .arg(visit.topIndex)
                                      .arg(maxNesting));
        const auto push = [&](const QVariant &inner) {
            stack.push_back({ &inner, visit.depth + 1, visit.topIndex });
        };
        switch (id) {
        case QMetaType::QVariantList:
            for (const QVariant &inner : *static_cast<const QVariantList *>(value.constData()))
                push(inner);
            break;
        case QMetaType::QVariantMap: {
            const auto &map = *static_cast<const QVariantMap *>(value.constData());
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                string(it.key());
                push(it.value());
            }
            break;
        }
        case QMetaType::QVariantHash: {
            const auto &hash = *static_cast<const QVariantHash *>(value.constData());
            for (auto it = hash.cbegin(); it != hash.cend(); ++it) {
                string(it.key());
                push(it.value());
            }
            break;
        }
        case QMetaType::QVariantPair: {
            const auto &pair = *static_cast<const QVariantPair *>(value.constData());
            push(pair.first);
            push(pair.second);
            break;
        }
        case QMetaType::QString:
            string(*static_cast<const QString *>(value.constData()));
            break;
        case QMetaType::QStringList:
            for (const QString &s : *static_cast<const QStringList *>(value.constData()))
                string(s);
            break;
        case QMetaType::QByteArray:
            byteArray(*static_cast<const QByteArray *>(value.constData()));
            break;
        case QMetaType::QByteArrayList:
            for (const QByteArray &b : *static_cast<const QByteArrayList *>(value.constData()))
                byteArray(b);
            break;
        default:
            break;
        }
        if (bytes >= maxPayloadSize) // and every message has a few bytes more
            throw SerialiserError(QCoreApplication::translate("QForkRpc",
                "the values need at least %1 bytes, more than the 4 GiB - 1 bytes one message may "
                "carry")
                                      .arg(bytes));
    }
}

void checkThawedNesting(const QVariantList &values)
{
    try {
        checkNestingAndSize(values, -1);
    } catch (const SerialiserError &) {
        throw SerialiserError(
            QCoreApplication::translate("QForkRpc", "the data is nested more than %1 levels deep")
                .arg(maxNesting));
    }
}

namespace {
// Runs one side of a serialiser; whatever it throws becomes the reason it failed.
template <typename Function> bool runSerialiser(const Function &function, QString *reason)
{
    try {
        function();
        return true;
    } catch (const std::exception &e) {
        *reason = QString::fromUtf8(e.what());
    } catch (...) {
        *reason = QStringLiteral("unknown exception");
    }
    return false;
}
} // namespace

bool freezeValues(const Serialiser &serialiser, const QVariantList &values, FramePayload *payload,
    QString *reason, bool descriptorsTravel)
{
    Descriptors descriptors;
    const FreezingDescriptors freezing(descriptorsTravel ? &descriptors : nullptr);
    const bool frozen = runSerialiser(
        [&] {
            if (serialiser.freezePieces) {
                serialiser.freezePieces(values, payload);
            } else {
                // A registered serialiser may recurse as Qt's writers do; how many bytes it makes
                // of the values is its own business, and checked on what it returns.
                if (!serialiser.customName.isEmpty())
                    checkNestingAndSize(values, -1);
                *payload = FramePayload(serialiser.freeze(values));
            }
        },
        reason);
    if (frozen)
        payload->descriptors = std::move(descriptors); // else closed here
    return frozen;
}

bool thawValues(const Serialiser &serialiser, QByteArray &&bytes, QVariantList *values,
    QString *reason, const Descriptors &descriptors)
{
    // Consumes the bytes either way: a large argument need not live through the call it is for.
    QByteArray owned = std::move(bytes);
    const ThawingDescriptors thawing(descriptors);
    return runSerialiser(
        [&] {
            *values = serialiser.thawTaking ? serialiser.thawTaking(std::move(owned))
                                            : serialiser.thaw(owned);
        },
        reason);
}

} // namespace QForkRpcDetail
