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

namespace {
// Runs one side of a serialiser; whatever it throws becomes the reason it failed.
template<typename Out, typename In, typename Function>
bool runSerialiser(const Function &function, const In &in, Out *out, QString *reason)
{
    try {
        *out = function(in);
        return true;
    } catch (const std::exception &e) {
        *reason = QString::fromUtf8(e.what());
    } catch (...) {
        *reason = QStringLiteral("unknown exception");
    }
    return false;
}
} // namespace

bool freezeValues(const Serialiser &serialiser, const QVariantList &values, QByteArray *bytes,
                  QString *reason)
{
    return runSerialiser(serialiser.freeze, values, bytes, reason);
}

bool thawValues(const Serialiser &serialiser, const QByteArray &bytes, QVariantList *values,
                QString *reason)
{
    return runSerialiser(serialiser.thaw, bytes, values, reason);
}

} // namespace QForkRpcDetail
