// SPDX-License-Identifier: MIT
// What every serialiser shares: the type check and the exception barrier.
#include "serialisers_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantMap>

namespace QForkRpcDetail {

namespace {

void checkValue(const QVariant &value, const std::function<bool(QMetaType)> &accepts,
                const char *serialiserName, const QString &where)
{
    const QMetaType type = value.metaType();
    switch (type.id()) {
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        for (qsizetype i = 0; i < list.size(); ++i)
            checkValue(list.at(i), accepts, serialiserName, where + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'));
        break;
    }
    case QMetaType::QVariantMap: {
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            checkValue(it.value(), accepts, serialiserName, where + QLatin1Char('.') + it.key());
        break;
    }
    case QMetaType::QVariantHash: {
        const QVariantHash hash = value.toHash();
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            checkValue(it.value(), accepts, serialiserName, where + QLatin1Char('.') + it.key());
        break;
    }
    default:
        break;
    }
    if (!accepts(type)) {
        throw SerialiserError(
                QCoreApplication::translate("QForkRpc",
                                            "the %1 serialiser cannot carry value %2 of type %3")
                        .arg(QLatin1String(serialiserName), where,
                             QLatin1String(type.isValid() ? type.name() : "invalid")));
    }
}

} // namespace

void checkValueTypes(const QVariantList &values, const std::function<bool(QMetaType)> &accepts,
                     const char *serialiserName)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        checkValue(values.at(i), accepts, serialiserName, QString::number(i));
}

bool freezeValues(const Serialiser &serialiser, const QVariantList &values, QByteArray *bytes,
                  QString *reason)
{
    try {
        *bytes = serialiser.freeze(values);
        return true;
    } catch (const std::exception &e) {
        *reason = QString::fromUtf8(e.what());
    } catch (...) {
        *reason = QStringLiteral("unknown exception");
    }
    return false;
}

bool thawValues(const Serialiser &serialiser, const QByteArray &bytes, QVariantList *values,
                QString *reason)
{
    try {
        *values = serialiser.thaw(bytes);
        return true;
    } catch (const std::exception &e) {
        *reason = QString::fromUtf8(e.what());
    } catch (...) {
        *reason = QStringLiteral("unknown exception");
    }
    return false;
}

} // namespace QForkRpcDetail
