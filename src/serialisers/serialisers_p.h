// SPDX-License-Identifier: MIT
#pragma once

#include "registry_p.h"

#include <QtCore/QMetaType>

#include <functional>
#include <stdexcept>

namespace QForkRpcDetail {

// The built-in serialisers; each in its own file.
Serialiser dataStreamSerialiser();
Serialiser octetsSerialiser();
Serialiser jsonSerialiser();
Serialiser cborSerialiser();

// The types JSON can say (cbor carries these and more).
bool jsonCarries(QMetaType type);

// What a serialiser throws when it cannot carry a value or read its input.
class SerialiserError : public std::runtime_error
{
public:
    explicit SerialiserError(const QString &message) : std::runtime_error(message.toStdString()) { }
};

// Walks the values, descending into lists and maps, and throws a SerialiserError naming the
// first value whose type `accepts` refuses.
void checkValueTypes(const QVariantList &values, const std::function<bool(QMetaType)> &accepts,
                     const char *serialiserName);

// Run a serialiser, turning whatever it throws into a reason.
bool freezeValues(const Serialiser &serialiser, const QVariantList &values, QByteArray *bytes,
                  QString *reason);
bool thawValues(const Serialiser &serialiser, const QByteArray &bytes, QVariantList *values,
                QString *reason);

} // namespace QForkRpcDetail
