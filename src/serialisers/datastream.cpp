// SPDX-License-Identifier: MIT
// "datastream": QDataStream of the QVariantList, the default. Carries every type QDataStream
// streams whose reading this file can vouch for (see howToRead); the check up front matters
// because QVariant::save only warns about the others.
#include "serialisers_p.h"

#include "wire/checkedstream_p.h"

#include <QtCore/QBitArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>
#include <QtCore/QDataStream>
#include <QtCore/QDateTime>
#include <QtCore/QIODevice>
#include <QtCore/QLocale>
#include <QtCore/QTimeZone>

namespace QForkRpcDetail {

namespace {
// Fixed so that an Exec worker built against a newer Qt 6 still reads what we write.
constexpr auto streamVersion = QDataStream::Qt_6_0;

// The bytes come from another process and are not trusted, so the list is read here rather than
// with QDataStream's operator>>, and Qt's own reader (QMetaType::load) gets only the types whose
// Qt 6.4 reader has been checked not to believe the data: it must neither reserve memory for a
// count it read (as Qt's QList, QStringList and QVariant readers do: 18 bytes can ask for
// gigabytes), nor crash, nor open a file the data names. Containers are walked here with checked
// counts and a bound on nesting (Qt's recursive reader has none); a few more types are read here
// for the reasons beside them; everything else is refused, on both sides, with its type named.
enum class Reading { ByHand, QtReader, Refused };

Reading howToRead(QMetaType type)
{
    switch (type.id()) {
    // Read here: lists and maps (checked counts, nesting), QBitArray (Qt 6.4's reader writes
    // through an empty buffer for a negative length: a crash), QVariantPair (two QVariants, which
    // Qt reads with its own unchecked QVariant reader), QDateTime (Qt's reader builds the time
    // zone from a name in the data, and QTimeZone opens /usr/share/zoneinfo/<name> as it is:
    // "../../<a FIFO>" hangs the reader), CBOR values (Qt's parser reserves room for what each
    // array or map claims, so the bytes are walked first; cborcheck.cpp).
    case QMetaType::QVariantList:
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
    case QMetaType::QStringList:
    case QMetaType::QByteArrayList:
    case QMetaType::QBitArray:
    case QMetaType::QVariantPair:
    case QMetaType::QDateTime:
    case QMetaType::QCborValue:
    case QMetaType::QCborArray:
    case QMetaType::QCborMap:
        return Reading::ByHand;

    // Fixed size.
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::Char16:
    case QMetaType::Char32:
    case QMetaType::ULong:
    case QMetaType::UShort:
    case QMetaType::UChar:
    case QMetaType::Float:
    case QMetaType::SChar:
    case QMetaType::Nullptr:
    case QMetaType::QCborSimpleType:
    case QMetaType::QChar:
    case QMetaType::QDate:
    case QMetaType::QTime:
    case QMetaType::QUuid:
    case QMetaType::QRect:
    case QMetaType::QRectF:
    case QMetaType::QSize:
    case QMetaType::QSizeF:
    case QMetaType::QLine:
    case QMetaType::QLineF:
    case QMetaType::QPoint:
    case QMetaType::QPointF:
    // A QString or QByteArray, which Qt reads in steps of 1 MiB as the bytes arrive (a lying
    // length costs at most 4 MiB), then parsed: QUrl, QLocale (a name), QRegularExpression (the
    // pattern, compiled only when used, and its options), JSON (as text, by the parser the json
    // serialiser uses on the same kind of input).
    case QMetaType::QString:
    case QMetaType::QByteArray:
    case QMetaType::QUrl:
    case QMetaType::QLocale:
    case QMetaType::QRegularExpression:
    case QMetaType::QJsonValue:
    case QMetaType::QJsonObject:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonDocument:
    // QtGui's fixed-size values (known only in programs that load QtGui; QKeySequence reads at
    // most four keys whatever count it reads).
    case QMetaType::QColor:
    case QMetaType::QKeySequence:
    case QMetaType::QTextLength:
    case QMetaType::QTransform:
    case QMetaType::QMatrix4x4:
    case QMetaType::QVector2D:
    case QMetaType::QVector3D:
    case QMetaType::QVector4D:
    case QMetaType::QQuaternion:
        return Reading::QtReader;

    // Every other built-in type is refused, among them: QEasingCurve (Qt 6.4 reserves the
    // points of a custom curve for a count in the data, and takes the curve's function pointer
    // from the data as well), QVariant (Qt's reader), QFont (a QStringList), QBrush, QPen and
    // QPalette (gradient stops and dash patterns), QPolygon(F) (QLists), QTextFormat (QVariants),
    // QImage, QPixmap, QIcon, QBitmap, QCursor and QColorSpace (images and ICC profiles, sized by
    // the data).
    default:
        break;
    }
    if (type.id() < QMetaType::User)
        return Reading::Refused;

    // Types registered at run time (QDataStream sends their name). An enumeration travels as its
    // integer, and so does QFlags<E>.
    if (type.flags() & QMetaType::IsEnumeration)
        return Reading::QtReader;
    const QByteArrayView name(type.name());
    if (name.startsWith("QFlags<"))
        return Reading::QtReader;
    // The instances of Qt's container templates (QList<T>, QMap<K, V>, std::pair<T1, T2>, ...)
    // are refused: their readers are Qt's, which reserve the count they read, and hold QVariants
    // or anything else. So are Qt's own classes known to read a list (QVersionNumber: a
    // QList<int>); QTimeZone opens the file its name names (see QDateTime above) and is read here.
    if (name.contains('<') || name == "QVersionNumber")
        return Reading::Refused;
    if (name == "QTimeZone")
        return Reading::ByHand;
    // Any other type is one of the program's own (the tests' "Streamable"), and so is read by the
    // program's own operator>>: kept working, as the README promises; that reader must not trust
    // a count in the data either (README, "Security").
    return Reading::QtReader;
}

bool isStreamable(const QVariant &value)
{
    const QMetaType type = value.metaType();
    return !type.isValid()
        || (type.hasRegisteredDataStreamOperators() && howToRead(type) != Reading::Refused);
}

void corrupt(QDataStream &in)
{
    in.setStatus(QDataStream::ReadCorruptData);
}

// What Qt's operator>> for QCborValue, QCborArray and QCborMap reads: the value as CBOR bytes.
void readCbor(QDataStream &in, QCborValue *value)
{
    QByteArray bytes;
    in >> bytes;
    if (in.status() != QDataStream::Ok)
        return;
    if (checkCborClaims(bytes) != QCborError::NoError) {
        in.setStatus(QDataStream::ReadCorruptData);
        return;
    }
    QCborParserError error {};
    *value = QCborValue::fromCbor(bytes, &error);
    if (error.error != QCborError::NoError)
        in.setStatus(QDataStream::ReadCorruptData);
}

void readBitArray(QDataStream &in, QBitArray *bits)
{
    qint64 length;
    in >> length;
    const qint64 bytes = (length + 7) / 8;
    if (in.status() != QDataStream::Ok || length < 0 || !in.device()
        || bytes > in.device()->bytesAvailable())
        return corrupt(in);
    QByteArray data(bytes, Qt::Uninitialized);
    if (in.readRawData(data.data(), int(bytes)) != bytes)
        return corrupt(in);
    *bits = QBitArray::fromBits(data.constData(), length);
}

// A zone name QTimeZone may look up: Qt 6.4 opens /usr/share/zoneinfo/<name> (and
// /usr/lib/zoneinfo/<name>) without checking the name, so it must not leave those directories.
// Names QTimeZone knows without a file (UTC+01:00) pass too.
bool zoneFileStaysInZoneinfo(const QByteArray &name)
{
    if (QTimeZone::isTimeZoneIdAvailable(name)) // reads only zone.tab
        return true;
    if (name.startsWith('/') || name.contains('\0'))
        return false;
    const QList<QByteArray> parts = name.split('/');
    for (const QByteArray &part : parts)
        if (part == "." || part == "..")
            return false;
    return true;
}

// QTimeZone as Qt 6.4's operator<< writes it: its name; or "OffsetFromUtc" and then the name, the
// offset, the display name, the abbreviation, the territory and the comment of a zone Qt made up
// (QTimeZone(int), or a custom zone). Read as Qt reads it, but without opening files.
void readTimeZone(QDataStream &in, QTimeZone *zone)
{
    QString name;
    in >> name;
    if (in.status() != QDataStream::Ok)
        return;
    if (name == QLatin1String("OffsetFromUtc")) {
        qint32 offset;
        QString longName;
        QString abbreviation;
        qint32 territory;
        QString comment;
        in >> name >> offset >> longName >> abbreviation >> territory >> comment;
        if (in.status() != QDataStream::Ok)
            return;
        const QByteArray id = name.toUtf8();
        // A zone Qt knows by this name (UTC+01:00 from QTimeZone(3600)), or else the custom one.
        if (QTimeZone::isTimeZoneIdAvailable(id))
            *zone = QTimeZone(id);
        if (!zone->isValid()) {
            if (territory < 0 || territory > QLocale::LastTerritory)
                territory = QLocale::AnyTerritory;
            *zone = QTimeZone(
                id, offset, longName, abbreviation, QLocale::Territory(territory), comment);
        }
        return;
    }
    // What Qt writes for an invalid zone.
    if (name == QLatin1String("-No Time Zone Specified!"))
        return;
    const QByteArray id = name.toUtf8();
    if (zoneFileStaysInZoneinfo(id))
        *zone = QTimeZone(id);
}

// QDateTime as Qt 6.4 writes it (stream versions from Qt_5_2 on): the QDate, the QTime, the
// Qt::TimeSpec as qint8, then the offset (qint32) or the time zone.
void readDateTime(QDataStream &in, QDateTime *dateTime)
{
    QDate date;
    QTime time;
    qint8 spec;
    in >> date >> time >> spec;
    if (in.status() != QDataStream::Ok)
        return;
    switch (spec) {
    case Qt::LocalTime:
    case Qt::UTC:
        *dateTime = QDateTime(date, time, Qt::TimeSpec(spec));
        return;
    case Qt::OffsetFromUTC: {
        qint32 offset;
        in >> offset;
        *dateTime = QDateTime(date, time, Qt::OffsetFromUTC, offset);
        return;
    }
    case Qt::TimeZone: {
        QTimeZone zone;
        readTimeZone(in, &zone);
        *dateTime = QDateTime(date, time, zone);
        return;
    }
    default:
        return corrupt(in); // Qt writes no other
    }
}

// Reads values, remembering the first type it refused (for the message).
class Reader
{
public:
    explicit Reader(QDataStream &in)
        : in(in)
    { }

    void readList(QVariantList *list, int depth)
    {
        quint32 count;
        if (!checkDepth(depth) || !readCheckedCount(in, &count))
            return corrupt(in);
        list->reserve(count);
        for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
            QVariant value;
            readVariant(&value, depth + 1);
            list->append(std::move(value));
        }
    }

    QMetaType refused;
    bool tooDeep = false;

private:
    bool checkDepth(int depth)
    {
        if (depth <= maxNesting)
            return true;
        tooDeep = true;
        return false;
    }

    template <typename Map> void readMap(Map *map, int depth)
    {
        quint32 count;
        if (!checkDepth(depth) || !readCheckedCount(in, &count))
            return corrupt(in);
        for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
            QString key;
            QVariant value;
            in >> key;
            readVariant(&value, depth + 1);
            map->insert(key, std::move(value));
        }
    }

    void readPair(QVariantPair *pair, int depth)
    {
        if (!checkDepth(depth))
            return corrupt(in);
        readVariant(&pair->first, depth + 1);
        readVariant(&pair->second, depth + 1);
    }

    // The value of a type read here, into `value`; false if `type` is not one of them. The types
    // Qt used to read keep the null flag of their QVariant, as QMetaType::load's path does.
    bool readByHand(QMetaType type, bool isNull, QVariant *value, int depth)
    {
        switch (type.id()) {
        case QMetaType::QVariantList: {
            QVariantList list;
            readList(&list, depth);
            *value = std::move(list);
            return true;
        }
        case QMetaType::QVariantMap: {
            QVariantMap map;
            readMap(&map, depth);
            *value = std::move(map);
            return true;
        }
        case QMetaType::QVariantHash: {
            QVariantHash hash;
            readMap(&hash, depth);
            *value = std::move(hash);
            return true;
        }
        case QMetaType::QStringList: {
            QStringList strings;
            readCheckedList(in, &strings);
            *value = std::move(strings);
            return true;
        }
        case QMetaType::QByteArrayList: {
            QByteArrayList arrays;
            readCheckedList(in, &arrays);
            *value = QVariant::fromValue(std::move(arrays));
            return true;
        }
        case QMetaType::QBitArray: {
            QBitArray bits;
            readBitArray(in, &bits);
            *value = QVariant(bits);
            return true;
        }
        case QMetaType::QVariantPair: {
            QVariantPair pair;
            readPair(&pair, depth);
            *value = isNull ? QVariant(type) : QVariant::fromValue(std::move(pair));
            return true;
        }
        case QMetaType::QDateTime: {
            QDateTime dateTime;
            readDateTime(in, &dateTime);
            *value = isNull ? QVariant(type) : QVariant(dateTime);
            return true;
        }
        case QMetaType::QCborValue:
        case QMetaType::QCborArray:
        case QMetaType::QCborMap: {
            QCborValue cbor;
            readCbor(in, &cbor);
            if (isNull)
                *value = QVariant(type);
            else if (type.id() == QMetaType::QCborArray)
                *value = QVariant::fromValue(cbor.toArray());
            else if (type.id() == QMetaType::QCborMap)
                *value = QVariant::fromValue(cbor.toMap());
            else
                *value = QVariant::fromValue(cbor);
            return true;
        }
        default:
            break;
        }
        if (type.id() >= QMetaType::User && QByteArrayView(type.name()) == "QTimeZone") {
            QTimeZone zone;
            readTimeZone(in, &zone);
            *value = isNull ? QVariant(type) : QVariant::fromValue(zone);
            return true;
        }
        return false;
    }

    void readVariant(QVariant *value, int depth)
    {
        quint32 typeId;
        qint8 isNull;
        in >> typeId >> isNull;
        if (in.status() != QDataStream::Ok || typeId == QMetaType::UnknownType)
            return; // an invalid QVariant carries nothing more
        QMetaType type;
        if (typeId == QMetaType::User) {
            QByteArray name;
            in >> name;
            type = QMetaType::fromName(name);
        } else if (typeId < QMetaType::User) {
            type = QMetaType(int(typeId));
        } // else: QDataStream writes every type registered at run time as User and its name
        if (!type.isValid())
            return corrupt(in); // not a type this process knows: nothing says how long it is
        switch (howToRead(type)) {
        case Reading::ByHand:
            if (readByHand(type, isNull, value, depth))
                return;
            break; // not reached: howToRead and readByHand agree
        case Reading::QtReader:
            if (!type.hasRegisteredDataStreamOperators())
                break;
            {
                // Load into a separate object: a QVariant built from a type alone counts as null
                // forever.
                void *loaded = type.create();
                if (type.load(in, loaded))
                    *value = isNull ? QVariant(type) : QVariant(type, loaded);
                else
                    corrupt(in);
                type.destroy(loaded);
            }
            return;
        case Reading::Refused:
            if (!refused.isValid())
                refused = type;
            break;
        }
        corrupt(in);
    }

    QDataStream &in;
};

} // namespace

void readVariantList(QDataStream &in, QVariantList *values)
{
    Reader(in).readList(values, 0);
}

namespace {

QByteArray freezeGeneral(const QVariantList &values)
{
    // QDataStream says a string's or byte array's length in 32 bits and recurses per level.
    checkNestingAndSize(values, 2);
    checkValues(values, isStreamable, "datastream");
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(streamVersion);
    out << values;
    if (out.status() != QDataStream::Ok)
        throw SerialiserError(
            QCoreApplication::translate("QForkRpc", "QDataStream could not write the values"));
    return bytes;
}

QVariantList thawGeneral(const QByteArray &bytes)
{
    QVariantList values;
    QDataStream in(bytes);
    in.setVersion(streamVersion);
    Reader reader(in);
    reader.readList(&values, 0);
    if (reader.tooDeep)
        throw SerialiserError(
            QCoreApplication::translate("QForkRpc", "the data is nested more than %1 levels deep")
                .arg(maxNesting));
    if (reader.refused.isValid())
        throw SerialiserError(QCoreApplication::translate("QForkRpc",
            "the data holds a value of type %1, which the datastream serialiser does not read")
                                  .arg(QLatin1String(reader.refused.name())));
    if (in.status() != QDataStream::Ok || !in.atEnd())
        throw SerialiserError(QCoreApplication::translate(
            "QForkRpc", "the data is not a valid QDataStream of a QVariantList"));
    return values;
}

void freezeDataStreamPieces(const QVariantList &values, FramePayload *payload)
{
    if (!freezeCommonDataStream(values, payload))
        *payload = FramePayload(freezeGeneral(values));
}

QVariantList thawDataStreamTaking(QByteArray &&bytes)
{
    QVariantList values;
    if (thawCommonDataStream(bytes, &values))
        return values;
    return thawGeneral(bytes);
}

} // namespace

Serialiser dataStreamSerialiser()
{
    Serialiser serialiser {
        [](const QVariantList &values) {
            FramePayload payload;
            freezeDataStreamPieces(values, &payload);
            return payload.joined();
        },
        [](const QByteArray &bytes) {
            return thawDataStreamTaking(QByteArray(bytes)); // shared, so nothing is taken over
        },
    };
    serialiser.freezePieces = freezeDataStreamPieces;
    serialiser.thawTaking = thawDataStreamTaking;
    return serialiser;
}

} // namespace QForkRpcDetail
