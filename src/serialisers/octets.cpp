// SPDX-License-Identifier: MIT
// "octets": a list of byte strings, each a variable-length (7 bits a byte) length and its bytes.
// The original's default string serialiser (pack "(w/a*)*"), and the fastest.
#include "serialisers_p.h"

#include <QtCore/QCoreApplication>

namespace QForkRpcDetail {

namespace {

void appendLength(QByteArray &out, quint64 length)
{
    char buffer[10];
    int n = 0;
    do {
        quint8 byte = length & 0x7f;
        length >>= 7;
        if (length)
            byte |= 0x80;
        buffer[n++] = char(byte);
    } while (length);
    out.append(buffer, n);
}

QByteArray freezeOctets(const QVariantList &values)
{
    qsizetype total = 0;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QVariant &value = values.at(i);
        if (value.metaType().id() != QMetaType::QByteArray) {
            throw SerialiserError(
                    QCoreApplication::translate("QForkRpc", "the octets serialiser carries only QByteArray values; value %1 is of type %2")
                            .arg(i)
                            .arg(QLatin1String(value.metaType().isValid() ? value.metaType().name() : "invalid")));
        }
        total += 10 + static_cast<const QByteArray *>(value.constData())->size();
    }
    QByteArray bytes;
    bytes.reserve(total);
    for (const QVariant &value : values) {
        // Read the QByteArray in place: toByteArray() would only share it, but this is the hot path.
        const QByteArray &data = *static_cast<const QByteArray *>(value.constData());
        appendLength(bytes, quint64(data.size()));
        bytes.append(data);
    }
    return bytes;
}

// Reads one length; returns false on truncated or oversized input.
bool readLength(const quint8 *&p, const quint8 *end, quint64 *length)
{
    *length = 0;
    for (int shift = 0; p != end && shift <= 63; shift += 7) {
        const quint8 byte = *p++;
        *length |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

QVariantList thawOctets(const QByteArray &bytes)
{
    const auto *begin = reinterpret_cast<const quint8 *>(bytes.constData());
    const auto *end = begin + bytes.size();
    // Count first, so that the list is allocated once.
    qsizetype count = 0;
    for (const quint8 *p = begin; p != end; ++count) {
        quint64 length;
        if (!readLength(p, end, &length))
            throw SerialiserError(QCoreApplication::translate("QForkRpc", "truncated or invalid octets length"));
        if (length > quint64(end - p))
            throw SerialiserError(QCoreApplication::translate("QForkRpc", "an octet string runs past the end of the data"));
        p += length;
    }
    QVariantList values;
    values.reserve(count);
    const quint8 *p = begin;
    while (p != end) {
        quint64 length;
        readLength(p, end, &length); // checked above
        values.append(QByteArray(reinterpret_cast<const char *>(p), qsizetype(length)));
        p += length;
    }
    return values;
}

} // namespace

Serialiser octetsSerialiser()
{
    return Serialiser { freezeOctets, thawOctets };
}

} // namespace QForkRpcDetail
