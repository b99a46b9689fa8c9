// SPDX-License-Identifier: MIT
// "datastream": QDataStream of the QVariantList, the default. Carries every type QDataStream
// streams; the check up front matters because QVariant::save only warns about the others.
#include "serialisers_p.h"

#include "protocol_p.h"

#include <QtCore/QBitArray>
#include <QtCore/QCoreApplication>
#include <QtCore/QDataStream>
#include <QtCore/QIODevice>

namespace QForkRpcDetail {

namespace {
// Fixed so that an Exec worker built against a newer Qt 6 still reads what we write.
constexpr auto streamVersion = QDataStream::Qt_6_0;

bool isStreamable(const QVariant &value)
{
    const QMetaType type = value.metaType();
    return !type.isValid() || type.hasRegisteredDataStreamOperators();
}
// The bytes come from another process and are not trusted, so the list is read here rather than
// with QDataStream's operator>>: the containers are walked by hand (with a bound on nesting, which
// Qt's recursive reader lacks), QBitArray is read here because Qt 6.4's reader writes through an
// empty buffer for a negative length (a crash), and every other type goes to QMetaType::load.
constexpr int maxNesting = 256;

void readVariant(QDataStream &in, QVariant *value, int depth);

void corrupt(QDataStream &in)
{
    in.setStatus(QDataStream::ReadCorruptData);
}

void readList(QDataStream &in, QVariantList *list, int depth)
{
    quint32 count;
    if (depth > maxNesting || !readCheckedCount(in, &count))
        return corrupt(in);
    list->reserve(count);
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QVariant value;
        readVariant(in, &value, depth + 1);
        list->append(std::move(value));
    }
}

template<typename Map>
void readMap(QDataStream &in, Map *map, int depth)
{
    quint32 count;
    if (depth > maxNesting || !readCheckedCount(in, &count))
        return corrupt(in);
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QString key;
        QVariant value;
        in >> key;
        readVariant(in, &value, depth + 1);
        map->insert(key, std::move(value));
    }
}

void readBitArray(QDataStream &in, QBitArray *bits)
{
    qint64 length;
    in >> length;
    const qint64 bytes = (length + 7) / 8;
    if (in.status() != QDataStream::Ok || length < 0 || !in.device() || bytes > in.device()->bytesAvailable())
        return corrupt(in);
    QByteArray data(bytes, Qt::Uninitialized);
    if (in.readRawData(data.data(), int(bytes)) != bytes)
        return corrupt(in);
    *bits = QBitArray::fromBits(data.constData(), length);
}

void readVariant(QDataStream &in, QVariant *value, int depth)
{
    quint32 typeId;
    qint8 isNull;
    in >> typeId >> isNull;
    if (in.status() != QDataStream::Ok)
        return;
    QMetaType type { int(typeId) };
    if (typeId == QMetaType::User) {
        QByteArray name;
        in >> name;
        type = QMetaType::fromName(name);
        if (!type.isValid())
            return corrupt(in);
    }
    switch (type.id()) {
    case QMetaType::UnknownType:
        return; // an invalid QVariant carries nothing more
    case QMetaType::QVariantList: {
        QVariantList list;
        readList(in, &list, depth);
        *value = std::move(list);
        return;
    }
    case QMetaType::QVariantMap: {
        QVariantMap map;
        readMap(in, &map, depth);
        *value = std::move(map);
        return;
    }
    case QMetaType::QVariantHash: {
        QVariantHash hash;
        readMap(in, &hash, depth);
        *value = std::move(hash);
        return;
    }
    case QMetaType::QStringList: {
        QStringList strings;
        readCheckedList(in, &strings);
        *value = std::move(strings);
        return;
    }
    case QMetaType::QByteArrayList: {
        QByteArrayList arrays;
        readCheckedList(in, &arrays);
        *value = QVariant::fromValue(std::move(arrays));
        return;
    }
    case QMetaType::QBitArray: {
        QBitArray bits;
        readBitArray(in, &bits);
        *value = QVariant(bits);
        return;
    }
    default:
        break;
    }
    if (!type.isValid() || !type.hasRegisteredDataStreamOperators())
        return corrupt(in);
    // Load into a separate object: a QVariant built from a type alone counts as null forever.
    void *loaded = type.create();
    if (type.load(in, loaded))
        *value = isNull ? QVariant(type) : QVariant(type, loaded);
    else
        corrupt(in);
    type.destroy(loaded);
}

} // namespace

void readVariantList(QDataStream &in, QVariantList *values)
{
    readList(in, values, 0);
}

Serialiser dataStreamSerialiser()
{
    return Serialiser {
        [](const QVariantList &values) {
            QByteArray bytes;
            if (freezeCommonDataStream(values, &bytes))
                return bytes;
            checkValues(values, isStreamable, "datastream");
            QDataStream out(&bytes, QIODevice::WriteOnly);
            out.setVersion(streamVersion);
            out << values;
            if (out.status() != QDataStream::Ok)
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "QDataStream could not write the values"));
            return bytes;
        },
        [](const QByteArray &bytes) {
            QVariantList values;
            if (thawCommonDataStream(bytes, &values))
                return values;
            QDataStream in(bytes);
            in.setVersion(streamVersion);
            readList(in, &values, 0);
            if (in.status() != QDataStream::Ok || !in.atEnd())
                throw SerialiserError(QCoreApplication::translate("QForkRpc", "the data is not a valid QDataStream of a QVariantList"));
            return values;
        },
    };
}

} // namespace QForkRpcDetail
