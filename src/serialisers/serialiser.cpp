// SPDX-License-Identifier: MIT
// What every serialiser shares: the type check and the exception barrier.
#include "serialisers_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantMap>

namespace QForkRpcDetail {

namespace {

// Returns the path of the first refused value below `value` ("" for `value` itself) and its type,
// or a null string when all are accepted. The path is only built on the way out of a refusal.
QString firstRefused(const QVariant &value, ValueCheck accepts, QMetaType *refusedType)
{
    const auto inside = [](const QString &step, const QString &rest) { return rest.isEmpty() ? step : step + rest; };
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
        for (const auto &[step, member] : { std::pair { ".first", &pair.first }, std::pair { ".second", &pair.second } }) {
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
        throw SerialiserError(
                QCoreApplication::translate("QForkRpc", "the %1 serialiser cannot carry value %2 of type %3")
                        .arg(QLatin1String(serialiserName), QString::number(i) + path,
                             QLatin1String(type.isValid() ? type.name() : "invalid")));
    }
}

namespace {
// Runs one side of a serialiser; whatever it throws becomes the reason it failed.
template<typename Function>
bool runSerialiser(const Function &function, QString *reason)
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
                  QString *reason)
{
    return runSerialiser([&] {
        if (serialiser.freezePieces)
            serialiser.freezePieces(values, payload);
        else
            *payload = FramePayload(serialiser.freeze(values));
    }, reason);
}

bool thawValues(const Serialiser &serialiser, QByteArray &&bytes, QVariantList *values,
                QString *reason)
{
    // Consumes the bytes either way: a large argument need not live through the call it is for.
    QByteArray owned = std::move(bytes);
    return runSerialiser([&] {
        *values = serialiser.thawTaking ? serialiser.thawTaking(std::move(owned)) : serialiser.thaw(owned);
    }, reason);
}

} // namespace QForkRpcDetail
