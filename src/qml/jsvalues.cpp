// SPDX-License-Identifier: MIT
#include "jsvalues_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QVariantHash>
#include <QtCore/QVariantMap>
#include <QtQml/QJSEngine>
#include <QtQml/QJSValueIterator>

#include <cmath>
#include <limits>

namespace QForkRpcDetail {

namespace {
// Deeper than any real data; what goes deeper is almost certainly an object that contains itself.
constexpr int maxDepth = 256;
// Integers a double represents exactly.
constexpr double maxSafeInteger = 9007199254740991.0;

QString describe(const QJSValue &value)
{
    if (value.isCallable())
        return QStringLiteral("a function");
    if (value.isError())
        return QStringLiteral("an Error");
    return QStringLiteral("a value of this type (%1)").arg(value.toString());
}
} // namespace

JsValues::JsValues(QJSEngine *engine)
    : m_engine(engine)
{
    const QJSValue arrayBuffer = engine->globalObject().property(QStringLiteral("ArrayBuffer"));
    m_arrayBufferPrototype = arrayBuffer.property(QStringLiteral("prototype"));
    m_isView = arrayBuffer.property(QStringLiteral("isView"));
}

bool JsValues::isArrayBuffer(const QJSValue &value) const
{
    for (QJSValue proto = value.prototype(); proto.isObject(); proto = proto.prototype()) {
        if (proto.strictlyEquals(m_arrayBufferPrototype))
            return true;
    }
    return false;
}

bool JsValues::isView(const QJSValue &value) const
{
    return m_isView.isCallable() && m_isView.call({ value }).toBool();
}

bool JsValues::toArguments(const QJSValue &value, QVariantList *out, QString *error) const
{
    out->clear();
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray()) {
        QVariant single;
        if (!toVariant(value, &single, error))
            return false;
        out->append(single);
        return true;
    }
    const quint32 length = value.property(QStringLiteral("length")).toUInt();
    out->reserve(qsizetype(length));
    for (quint32 i = 0; i < length; ++i) {
        QVariant element;
        if (!toVariant(value.property(i), &element, error)) {
            *error = QStringLiteral("argument %1: %2").arg(i).arg(*error);
            return false;
        }
        out->append(element);
    }
    return true;
}

bool JsValues::toVariant(const QJSValue &value, QVariant *out, QString *error, int depth) const
{
    if (depth > maxDepth) {
        *error = QStringLiteral(
            "the value is nested more than %1 levels deep (does it contain itself?)")
                     .arg(maxDepth);
        return false;
    }
    if (value.isUndefined()) {
        *out = QVariant();
    } else if (value.isNull()) {
        *out = QVariant::fromValue(nullptr);
    } else if (value.isBool()) {
        *out = value.toBool();
    } else if (value.isNumber()) {
        const double number = value.toNumber();
        if (std::isfinite(number) && std::trunc(number) == number
            && !(number == 0 && std::signbit(number)) && std::fabs(number) <= maxSafeInteger) {
            if (number >= std::numeric_limits<int>::min()
                && number <= std::numeric_limits<int>::max())
                *out = int(number);
            else
                *out = qlonglong(number);
        } else {
            *out = number;
        }
    } else if (value.isString()) {
        *out = value.toString();
    } else if (value.isDate()) {
        *out = value.toDateTime();
    } else if (value.isArray()) {
        QVariantList list;
        const quint32 length = value.property(QStringLiteral("length")).toUInt();
        list.reserve(qsizetype(length));
        for (quint32 i = 0; i < length; ++i) {
            QVariant element;
            if (!toVariant(value.property(i), &element, error, depth + 1))
                return false;
            list.append(element);
        }
        *out = list;
    } else if (value.isCallable() || value.isError()) {
        *error = QStringLiteral("%1 cannot be passed to a worker").arg(describe(value));
        return false;
    } else if (value.isVariant() || value.isQObject() || value.isUrl() || value.isRegExp()) {
        // Values that came from C++ (or URLs and regular expressions): let the serialiser decide.
        *out = value.toVariant();
    } else if (value.isObject()) {
        if (isArrayBuffer(value)) {
            *out = value.toVariant().toByteArray();
        } else if (isView(value)) {
            const QByteArray buffer
                = value.property(QStringLiteral("buffer")).toVariant().toByteArray();
            const qsizetype offset
                = qsizetype(value.property(QStringLiteral("byteOffset")).toUInt());
            const qsizetype length
                = qsizetype(value.property(QStringLiteral("byteLength")).toUInt());
            *out = buffer.mid(offset, length);
        } else {
            QVariantMap map;
            QJSValueIterator it(value);
            while (it.hasNext()) {
                it.next();
                QVariant member;
                if (!toVariant(it.value(), &member, error, depth + 1))
                    return false;
                map.insert(it.name(), member);
            }
            *out = map;
        }
    } else {
        *error = QStringLiteral("%1 cannot be passed to a worker").arg(describe(value));
        return false;
    }
    return true;
}

QJSValue JsValues::toArray(const QVariantList &values) const
{
    QJSValue array = m_engine->newArray(quint32(values.size()));
    for (qsizetype i = 0; i < values.size(); ++i)
        array.setProperty(quint32(i), toScript(values.at(i)));
    return array;
}

QJSValue JsValues::toScript(const QVariant &value) const
{
    if (!value.isValid())
        return QJSValue(QJSValue::UndefinedValue);
    switch (value.typeId()) {
    case QMetaType::Nullptr:
        return QJSValue(QJSValue::NullValue);
    case QMetaType::QVariantList:
        return toArray(value.toList());
    case QMetaType::QStringList: {
        const QStringList strings = value.toStringList();
        QJSValue array = m_engine->newArray(quint32(strings.size()));
        for (qsizetype i = 0; i < strings.size(); ++i)
            array.setProperty(quint32(i), strings.at(i));
        return array;
    }
    case QMetaType::QVariantMap: {
        QJSValue object = m_engine->newObject();
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.setProperty(it.key(), toScript(it.value()));
        return object;
    }
    case QMetaType::QVariantHash: {
        QJSValue object = m_engine->newObject();
        const QVariantHash hash = value.toHash();
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            object.setProperty(it.key(), toScript(it.value()));
        return object;
    }
    case QMetaType::QByteArray: {
        // An ArrayBuffer made from a null QByteArray is a detached one in Qt 6.4 (byteLength
        // throws a TypeError), and empty byte arrays can come back null (cbor's do).
        QByteArray bytes = value.toByteArray();
        if (bytes.isNull())
            bytes = QByteArray("");
        return m_engine->toScriptValue(bytes); // an ArrayBuffer
    }
    default:
        return m_engine->toScriptValue(value);
    }
}

} // namespace QForkRpcDetail
