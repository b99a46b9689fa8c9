// SPDX-License-Identifier: MIT
// A walk over CBOR data before Qt builds values from it. QCborValue::fromCbor reserves room for
// as many elements as an array or map claims, up to about a million (16 MiB) per container, before
// any of them has been read: a few hundred bytes of nested claims made it reserve gigabytes. This
// walk builds nothing; it only follows the data, so once it has passed, every claim is backed by
// the items that follow it and what Qt reserves is bounded by the size of the data.
#include "serialisers_p.h"

#include <QtCore/QCborStreamReader>

namespace QForkRpcDetail {

namespace {

// As deep as QCborValue::fromCbor goes itself.
constexpr int maxCborNesting = 1024;

bool walkItem(QCborStreamReader &reader, qsizetype size, int depth, QCborError *error)
{
    while (reader.isTag() && reader.next()) { } // a tag is followed by the item it tags
    if (reader.lastError() != QCborError::NoError) {
        *error = reader.lastError();
        return false;
    }
    if (!reader.isArray() && !reader.isMap()) {
        // Strings are skipped chunk by chunk, without being copied.
        if (!reader.next()) {
            *error = reader.lastError();
            return false;
        }
        return true;
    }
    if (depth >= maxCborNesting) {
        *error = QCborError { QCborError::NestingTooDeep };
        return false;
    }
    if (reader.isLengthKnown()) {
        // Every item takes at least one byte: a claim the rest of the data cannot hold fails at
        // once.
        const quint64 items = reader.length();
        const quint64 left = quint64(size - reader.currentOffset());
        if (items > left / (reader.isMap() ? 2 : 1)) {
            *error = QCborError { QCborError::EndOfFile };
            return false;
        }
    }
    if (!reader.enterContainer()) {
        *error = reader.lastError();
        return false;
    }
    while (reader.lastError() == QCborError::NoError && reader.hasNext()) {
        if (!walkItem(reader, size, depth + 1, error))
            return false;
    }
    if (reader.lastError() != QCborError::NoError || !reader.leaveContainer()) {
        *error = reader.lastError();
        return false;
    }
    return true;
}

} // namespace

QCborError checkCborClaims(const QByteArray &bytes)
{
    QCborStreamReader reader(bytes);
    QCborError error { QCborError::NoError };
    walkItem(reader, bytes.size(), 0, &error);
    return error;
}

} // namespace QForkRpcDetail
