// SPDX-License-Identifier: MIT
// "octets": a list of byte strings, each a variable-length (7 bits a byte) length and its bytes.
// The original's default string serialiser (pack "(w/a*)*"), and the fastest.
#include "serialisers_p.h"

#include <QtCore/QCoreApplication>

#include <cstring>
#include <utility>

namespace QForkRpcDetail {

namespace {

// Writes a length, 7 bits a byte (at most 10 bytes); returns the end.
char *putLength(char *out, quint64 length)
{
    do {
        quint8 byte = length & 0x7f;
        length >>= 7;
        if (length)
            byte |= 0x80;
        *out++ = char(byte);
    } while (length);
    return out;
}

[[noreturn]] Q_DECL_COLD_FUNCTION void refuseValue(const QVariant &value, qsizetype i)
{
    throw SerialiserError(
        QCoreApplication::translate("QForkRpc",
            "the octets serialiser carries only QByteArray values; value %1 is of type %2")
            .arg(i)
            .arg(QLatin1String(value.metaType().isValid() ? value.metaType().name() : "invalid")));
}

// Reads the QByteArray in place: toByteArray() would only share it, but this is the hot path.
inline const QByteArray &byteArrayAt(const QVariantList &values, qsizetype i)
{
    const QVariant &value = values.at(i);
    if (Q_UNLIKELY(value.metaType().id() != QMetaType::QByteArray))
        refuseValue(value, i);
    return *static_cast<const QByteArray *>(value.constData());
}

void freezeOctetsPieces(const QVariantList &values, FramePayload *payload)
{
    qsizetype packedSize = 0; // lengths and small strings, copied into packed buffers
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QByteArray &data = byteArrayAt(values, i);
        packedSize += 10 + (travelsShared(data) ? 0 : data.size());
    }
    PackedPayloadWriter output(packedSize, payload);
    char *out = output.start();
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QByteArray &data = byteArrayAt(values, i);
        out = putLength(out, quint64(data.size()));
        if (travelsShared(data)) {
            out = output.share(out, data);
        } else {
            std::memcpy(out, data.constData(), size_t(data.size()));
            out += data.size();
        }
    }
    output.finish(out);
}

QByteArray freezeOctets(const QVariantList &values)
{
    FramePayload payload;
    freezeOctetsPieces(values, &payload);
    return payload.joined();
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

QVariantList thawOctetsTaking(QByteArray &&bytes)
{
    const auto *begin = reinterpret_cast<const quint8 *>(bytes.constData());
    const auto *end = begin + bytes.size();
    // Count first, so that the list is allocated once.
    qsizetype count = 0;
    qsizetype lastOffset = 0;
    for (const quint8 *p = begin; p != end; ++count) {
        quint64 length;
        if (!readLength(p, end, &length))
            throw SerialiserError(
                QCoreApplication::translate("QForkRpc", "truncated or invalid octets length"));
        if (length > quint64(end - p))
            throw SerialiserError(QCoreApplication::translate(
                "QForkRpc", "an octet string runs past the end of the data"));
        lastOffset = p - begin;
        p += length;
    }
    // The last string ends where the bytes end, so it can keep their buffer.
    const qsizetype lastSize = bytes.size() - lastOffset;
    const bool lastTakesBuffer = count > 0 && worthTakingTail(bytes, lastSize);
    QVariantList values;
    values.reserve(count);
    const quint8 *p = begin;
    for (qsizetype i = 0; i < count - (lastTakesBuffer ? 1 : 0); ++i) {
        quint64 length;
        readLength(p, end, &length); // checked above
        values.append(QByteArray(reinterpret_cast<const char *>(p), qsizetype(length)));
        p += length;
    }
    if (lastTakesBuffer)
        values.append(takeTail(std::move(bytes), lastSize));
    return values;
}

QVariantList thawOctets(const QByteArray &bytes)
{
    return thawOctetsTaking(QByteArray(bytes)); // shared, so every string is copied out
}

} // namespace

Serialiser octetsSerialiser()
{
    Serialiser serialiser { freezeOctets, thawOctets };
    serialiser.freezePieces = freezeOctetsPieces;
    serialiser.thawTaking = thawOctetsTaking;
    return serialiser;
}

} // namespace QForkRpcDetail
