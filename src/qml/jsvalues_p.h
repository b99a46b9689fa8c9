// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>
#include <QtCore/QVariant>
#include <QtCore/QVariantList>
#include <QtQml/QJSValue>

class QJSEngine;

namespace QForkRpcDetail {

// Converts between JavaScript values and the QVariants that cross to a worker, with rules of our
// own rather than QJSValue::toVariant(), so that what a C++ worker receives is predictable:
//
//   JavaScript                         C++ (worker side)                 and back
//   undefined                          invalid QVariant                  undefined
//   null                               std::nullptr_t                    null
//   boolean                            bool                              boolean
//   number, integral, 32-bit           int                               number
//   number, integral, up to 2^53       qlonglong                         number
//   other number (NaN, 0.5, 1e300)     double                            number
//   string                             QString                           string
//   ArrayBuffer                        QByteArray                        ArrayBuffer
//   typed array, DataView              QByteArray (the bytes it views)   ArrayBuffer
//   Date                               QDateTime                         Date
//   Array                              QVariantList                      Array
//   other object                       QVariantMap (own enumerable       Object
//                                      properties)
//   function, symbol, cyclic data      refused with a message
//
// QStringList and QVariantHash coming back become an Array and an Object; any other type is
// handed to QJSEngine::toScriptValue().
class JsValues
{
public:
    explicit JsValues(QJSEngine *engine);

    // JavaScript to C++. A value that is not an Array (or undefined or null) is one argument.
    bool toArguments(const QJSValue &value, QVariantList *out, QString *error) const;
    bool toVariant(const QJSValue &value, QVariant *out, QString *error, int depth = 0) const;

    // C++ to JavaScript.
    QJSValue toArray(const QVariantList &values) const;
    QJSValue toScript(const QVariant &value) const;

private:
    bool isArrayBuffer(const QJSValue &value) const;
    bool isView(const QJSValue &value) const;

    QJSEngine *m_engine;
    QJSValue m_arrayBufferPrototype;
    QJSValue m_isView; // ArrayBuffer.isView
};

} // namespace QForkRpcDetail
