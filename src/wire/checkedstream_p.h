// SPDX-License-Identifier: MIT
// Reading untrusted QDataStream data: container counts are checked against the bytes left before
// anything is reserved for them. A leaf that the protocol messages and the datastream serialiser
// both use.
#pragma once

#include <QtCore/QDataStream>

namespace QForkRpcDetail {

// Reads a container's element count and refuses one the bytes left cannot hold (every element
// takes at least one byte), so that a lying count cannot make the reader reserve gigabytes: Qt's
// own container readers reserve whatever count they read.
bool readCheckedCount(QDataStream &in, quint32 *count);

// A QStringList or QByteArrayList read with a checked count.
template <typename List> void readCheckedList(QDataStream &in, List *list)
{
    quint32 count;
    if (!readCheckedCount(in, &count))
        return;
    list->reserve(count);
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        typename List::value_type value;
        in >> value;
        list->append(std::move(value));
    }
}

} // namespace QForkRpcDetail
