// SPDX-License-Identifier: MIT
// The datastream serialiser's fast path: a QVariantList of the types most calls carry (invalid,
// bool, the four integer types, double, QString, QByteArray and lists of these), written and read
// on raw memory, byte for byte as QDataStream does it (version Qt_6_0, big-endian), instead of
// through a QBuffer with a virtual call per field. Everything else, and any input this reader does
// not fully understand, takes the general way (datastream.cpp), which also words the errors; so
// the two paths cannot disagree about what is valid.
#include "serialisers_p.h"

#include <QtCore/QtEndian>

#include <cstring>

namespace QForkRpcDetail {

namespace {

// Deeper lists take the general path, which has its own (larger) bound.
constexpr int maxCommonNesting = 32;
// typeId (4 bytes) and the null flag (1 byte) before every value.
constexpr qsizetype variantHeaderSize = 5;
// QDataStream's length for a null QString or QByteArray.
constexpr quint32 nullLength = 0xffffffffu;

// The size of one value's encoding without the byte arrays that go out as pieces of their own,
// or -1 if it is not one of the common types.
qsizetype packedSize(const QVariant &value, int depth)
{
    switch (value.metaType().id()) {
    case QMetaType::UnknownType:
        return variantHeaderSize;
    case QMetaType::Bool:
        return variantHeaderSize + 1;
    case QMetaType::Int:
    case QMetaType::UInt:
        return variantHeaderSize + 4;
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
        return variantHeaderSize + 8;
    case QMetaType::QString: {
        const qsizetype bytes = 2 * static_cast<const QString *>(value.constData())->size();
        return bytes < qsizetype(nullLength) ? variantHeaderSize + 4 + bytes : -1;
    }
    case QMetaType::QByteArray: {
        const QByteArray &bytes = *static_cast<const QByteArray *>(value.constData());
        if (bytes.size() >= qsizetype(nullLength))
            return -1;
        return variantHeaderSize + 4 + (travelsShared(bytes) ? 0 : bytes.size());
    }
    case QMetaType::QVariantList: {
        if (depth >= maxCommonNesting)
            return -1;
        qsizetype total = variantHeaderSize + 4;
        for (const QVariant &element : *static_cast<const QVariantList *>(value.constData())) {
            const qsizetype size = packedSize(element, depth + 1);
            if (size < 0)
                return -1;
            total += size;
        }
        return total;
    }
    default:
        return -1;
    }
}

template <typename T> char *put(char *out, T value)
{
    qToBigEndian(value, out);
    return out + sizeof(T);
}

char *putList(char *out, const QVariantList &values, PackedPayloadWriter &output);

// Writes one value whose type packedSize() accepted.
char *putValue(char *out, const QVariant &value, PackedPayloadWriter &output)
{
    const int type = value.metaType().id();
    out = put(out, quint32(type));
    out = put(out, qint8(value.isNull() ? 1 : 0)); // for these types what QVariant::save writes
    const void *data = value.constData();
    switch (type) {
    case QMetaType::UnknownType:
        return out;
    case QMetaType::Bool:
        return put(out, qint8(*static_cast<const bool *>(data) ? 1 : 0));
    case QMetaType::Int:
        return put(out, *static_cast<const qint32 *>(data));
    case QMetaType::UInt:
        return put(out, *static_cast<const quint32 *>(data));
    case QMetaType::LongLong:
        return put(out, *static_cast<const qint64 *>(data));
    case QMetaType::ULongLong:
        return put(out, *static_cast<const quint64 *>(data));
    case QMetaType::Double: {
        quint64 bits;
        std::memcpy(&bits, data, sizeof bits);
        return put(out, bits);
    }
    case QMetaType::QString: {
        const QString &string = *static_cast<const QString *>(data);
        if (string.isNull())
            return put(out, nullLength);
        out = put(out, quint32(2 * string.size()));
        qToBigEndian<char16_t>(string.utf16(), string.size(), out);
        return out + 2 * string.size();
    }
    case QMetaType::QByteArray: {
        const QByteArray &bytes = *static_cast<const QByteArray *>(data);
        if (bytes.isNull())
            return put(out, nullLength);
        out = put(out, quint32(bytes.size()));
        if (travelsShared(bytes))
            return output.share(out, bytes);
        std::memcpy(out, bytes.constData(), size_t(bytes.size()));
        return out + bytes.size();
    }
    default: // QVariantList
        return putList(out, *static_cast<const QVariantList *>(data), output);
    }
}

char *putList(char *out, const QVariantList &values, PackedPayloadWriter &output)
{
    out = put(out, quint32(values.size()));
    for (const QVariant &value : values)
        out = putValue(out, value, output);
    return out;
}

// Reads from untrusted bytes; every take() checks what is left.
class Input
{
public:
    explicit Input(const QByteArray &bytes)
        : m_bytes(bytes)
        , m_p(reinterpret_cast<const uchar *>(bytes.constData()))
        , m_end(m_p + bytes.size())
    { }

    template <typename T> bool take(T *value)
    {
        if (left() < qsizetype(sizeof(T)))
            return false;
        *value = qFromBigEndian<T>(m_p);
        m_p += sizeof(T);
        return true;
    }
    const uchar *skip(qsizetype n)
    {
        const uchar *at = m_p;
        m_p += n;
        return at;
    }
    qsizetype left() const { return m_end - m_p; }

    // A byte array of `length` bytes that ends the data may take the data's buffer over instead of
    // being copied out; that happens once the whole list has been read (thawCommonDataStream).
    bool deferAsTail(qsizetype length)
    {
        if (length != left() || !worthTakingTail(m_bytes, length))
            return false;
        m_tailSize = length;
        return true;
    }
    qsizetype tailSize() const { return m_tailSize; }

private:
    const QByteArray &m_bytes;
    const uchar *m_p;
    const uchar *m_end;
    qsizetype m_tailSize = 0;
};

bool takeList(Input &in, QVariantList *values, int depth);

bool takeValue(Input &in, QVariant *value, int depth)
{
    quint32 type;
    qint8 isNull;
    if (!in.take(&type) || !in.take(&isNull))
        return false;
    // As the general reader does: a list and an invalid value ignore the null flag, every other
    // value is read in full and then dropped if the flag is set.
    switch (type) {
    case QMetaType::UnknownType:
        *value = QVariant();
        return true;
    case QMetaType::QVariantList: {
        QVariantList list;
        if (depth >= maxCommonNesting || !takeList(in, &list, depth + 1))
            return false;
        *value = std::move(list);
        return true;
    }
    case QMetaType::Bool: {
        qint8 v;
        if (!in.take(&v))
            return false;
        *value = QVariant(v != 0);
        break;
    }
    case QMetaType::Int: {
        qint32 v;
        if (!in.take(&v))
            return false;
        *value = QVariant(int(v));
        break;
    }
    case QMetaType::UInt: {
        quint32 v;
        if (!in.take(&v))
            return false;
        *value = QVariant(uint(v));
        break;
    }
    case QMetaType::LongLong: {
        qint64 v;
        if (!in.take(&v))
            return false;
        *value = QVariant(qlonglong(v));
        break;
    }
    case QMetaType::ULongLong: {
        quint64 v;
        if (!in.take(&v))
            return false;
        *value = QVariant(qulonglong(v));
        break;
    }
    case QMetaType::Double: {
        quint64 bits;
        if (!in.take(&bits))
            return false;
        double v;
        std::memcpy(&v, &bits, sizeof v);
        *value = QVariant(v);
        break;
    }
    case QMetaType::QString: {
        quint32 length;
        if (!in.take(&length))
            return false;
        if (length == nullLength) {
            *value = QVariant(QString());
        } else {
            if ((length & 1) || qsizetype(length) > in.left())
                return false;
            QString string
                = length ? QString(qsizetype(length / 2), Qt::Uninitialized) : QStringLiteral("");
            qFromBigEndian<char16_t>(in.skip(length), length / 2, string.data());
            *value = std::move(string);
        }
        break;
    }
    case QMetaType::QByteArray: {
        quint32 length;
        if (!in.take(&length))
            return false;
        if (length == nullLength) {
            *value = QVariant(QByteArray());
        } else {
            if (qsizetype(length) > in.left())
                return false;
            if (!isNull && in.deferAsTail(qsizetype(length))) {
                in.skip(length);
                *value = QByteArray(); // a placeholder, until the list has been read
            } else {
                *value = QByteArray(
                    reinterpret_cast<const char *>(in.skip(length)), qsizetype(length));
            }
        }
        break;
    }
    default:
        return false;
    }
    if (isNull)
        *value = QVariant(QMetaType(int(type)));
    return true;
}

bool takeList(Input &in, QVariantList *values, int depth)
{
    quint32 count;
    // Every value takes at least its header: a count the bytes cannot hold is a lie.
    if (!in.take(&count) || qsizetype(count) > in.left() / variantHeaderSize)
        return false;
    values->reserve(count);
    for (quint32 i = 0; i < count; ++i) {
        QVariant value;
        if (!takeValue(in, &value, depth))
            return false;
        values->append(std::move(value));
    }
    return true;
}

} // namespace

bool freezeCommonDataStream(const QVariantList &values, FramePayload *payload)
{
    qsizetype size = 4;
    for (const QVariant &value : values) {
        const qsizetype valueSize = packedSize(value, 0);
        if (valueSize < 0)
            return false;
        size += valueSize;
    }
    PackedPayloadWriter output(size, payload);
    output.finish(putList(output.start(), values, output));
    return true;
}

bool thawCommonDataStream(QByteArray &bytes, QVariantList *values)
{
    Input in(bytes);
    QVariantList list;
    if (!takeList(in, &list, 0) || in.left() != 0)
        return false;
    if (in.tailSize() > 0) {
        // Nothing follows the byte array that ends the data, so it is the last value of every
        // list around it.
        QVariant *last = &list.last();
        while (last->metaType().id() == QMetaType::QVariantList)
            last = &static_cast<QVariantList *>(last->data())->last();
        *last = takeTail(std::move(bytes), in.tailSize());
    }
    *values = std::move(list);
    return true;
}

} // namespace QForkRpcDetail
