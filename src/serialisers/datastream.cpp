// SPDX-License-Identifier: MIT
// "datastream": QDataStream of the QVariantList, the default. Carries every type QDataStream
// streams; the check up front matters because QVariant::save only warns about the others.
#include "serialisers_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDataStream>
#include <QtCore/QIODevice>

namespace QForkRpcDetail {

namespace {
// Fixed so that an Exec worker built against a newer Qt 6 still reads what we write.
constexpr auto streamVersion = QDataStream::Qt_6_0;

bool isStreamable(QMetaType type)
{
    return !type.isValid() || type.hasRegisteredDataStreamOperators();
}
} // namespace

Serialiser dataStreamSerialiser()
{
    return Serialiser {
        [](const QVariantList &values) {
            checkValueTypes(values, isStreamable, "datastream");
            QByteArray bytes;
            QDataStream out(&bytes, QIODevice::WriteOnly);
            out.setVersion(streamVersion);
            out << values;
            if (out.status() != QDataStream::Ok)
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "QDataStream could not write the values"));
            return bytes;
        },
        [](const QByteArray &bytes) {
            QVariantList values;
            QDataStream in(bytes);
            in.setVersion(streamVersion);
            in >> values;
            if (in.status() != QDataStream::Ok || !in.atEnd())
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "the data is not a valid QDataStream of a QVariantList"));
            return values;
        },
    };
}

} // namespace QForkRpcDetail
