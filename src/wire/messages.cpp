// SPDX-License-Identifier: MIT
#include "wire/messages_p.h"

#include "serialisers/serialisers_p.h"
#include "wire/checkedstream_p.h"

#include <QtCore/QDataStream>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QIODevice>
#include <QtCore/QtEndian>

#include <type_traits>

extern char **environ;

namespace QForkRpcDetail {

namespace {
// As the datastream serialiser pins its own.
constexpr auto messageStreamVersion = QDataStream::Qt_6_0;

// The built-in one, even where a program registered its own under the name "datastream".
const Serialiser &initArgsSerialiser()
{
    static const Serialiser serialiser = dataStreamSerialiser();
    return serialiser;
}
} // namespace

QByteArray encodeErrorReport(const ErrorReport &report)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(messageStreamVersion);
    out << quint32(report.code) << report.args;
    return bytes;
}

bool decodeErrorReport(const QByteArray &bytes, ErrorReport *report)
{
    QDataStream in(bytes);
    in.setVersion(messageStreamVersion);
    quint32 code = 0;
    in >> code;
    readCheckedList(in, &report->args); // from the worker: not trusted
    report->code = ErrorCode(code);
    return in.status() == QDataStream::Ok && in.atEnd();
}

WorkerSetup currentSetup()
{
    WorkerSetup setup;
    for (char **variable = environ; variable && *variable; ++variable)
        setup.environment.append(QByteArray(*variable));
    setup.workingDirectory = QFile::encodeName(QDir::currentPath());
    return setup;
}

bool encodeSetup(
    const WorkerSetup &setup, FramePayload *payload, QString *reason, bool descriptorsTravel)
{
    // The init arguments go through the datastream serialiser, with its checks and its limits.
    FramePayload initArgs;
    if (!freezeValues(initArgsSerialiser(), setup.initArgs, &initArgs, reason, descriptorsTravel))
        return false;
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(messageStreamVersion);
    out << protocolVersion << setup.function << setup.async << setup.serialiser << setup.init
        << initArgs.joined() << setup.require << setup.environment << setup.workingDirectory
        << setup.sharedMemoryThreshold;
    *payload = FramePayload(std::move(bytes));
    payload->descriptors = std::move(initArgs.descriptors);
    return true;
}

namespace {

// Reads what encodeSetup() wrote, byte for byte as QDataStream (Qt_6_0) would, on raw memory. A
// new worker reads the setup first of all: through a QDataStream it would make its first QObject
// (the QBuffer) and with it Qt's thread data, 21 page faults and half a millisecond of a 3 ms
// start on the development VM. Any input QDataStream would refuse is refused.
class SetupReader
{
public:
    explicit SetupReader(const QByteArray &bytes)
        : m_at(bytes.constData())
        , m_end(bytes.constData() + bytes.size())
    { }

    bool ok() const { return m_ok; }
    bool atEnd() const { return m_at == m_end; }

    quint32 number()
    {
        if (!take(4))
            return 0;
        return qFromBigEndian<quint32>(m_at - 4);
    }

    bool boolean() { return take(1) && m_at[-1] != 0; }

    QByteArray bytes()
    {
        const quint32 length = number();
        if (length == nullLength || !take(length))
            return QByteArray();
        return QByteArray(m_at - length, qsizetype(length));
    }

    QString string()
    {
        const quint32 length = number();
        if (length == nullLength)
            return QString();
        if ((length & 1) != 0) // QDataStream says ReadCorruptData
            return fail<QString>();
        if (!take(length))
            return QString();
        QString text(qsizetype(length / 2), Qt::Uninitialized);
        qFromBigEndian<char16_t>(m_at - length, length / 2, text.data());
        return text;
    }

    // A QStringList or QByteArrayList; a count the bytes left cannot hold (each element takes at
    // least its 4-byte length) is refused before anything is reserved.
    template <typename List> List list()
    {
        const quint32 count = number();
        if (!m_ok || quint64(count) * 4 > quint64(m_end - m_at))
            return fail<List>();
        List values;
        values.reserve(count);
        for (quint32 i = 0; i < count && m_ok; ++i) {
            if constexpr (std::is_same_v<List, QStringList>)
                values.append(string());
            else
                values.append(bytes());
        }
        return values;
    }

private:
    static constexpr quint32 nullLength = 0xffffffffu;

    bool take(quint64 n)
    {
        if (!m_ok || n > quint64(m_end - m_at))
            return fail<bool>();
        m_at += n;
        return true;
    }

    template <typename T> T fail()
    {
        m_ok = false;
        m_at = m_end;
        return T();
    }

    const char *m_at;
    const char *m_end;
    bool m_ok = true;
};

} // namespace

bool decodeSetup(const QByteArray &bytes, const Descriptors &descriptors, WorkerSetup *setup)
{
    SetupReader in(bytes);
    if (in.number() != protocolVersion)
        return false;
    setup->function = in.string();
    setup->async = in.boolean();
    setup->serialiser = in.string();
    setup->init = in.string();
    QByteArray initArgs = in.bytes();
    setup->require = in.list<QStringList>();
    setup->environment = in.list<QByteArrayList>();
    setup->workingDirectory = in.bytes();
    setup->sharedMemoryThreshold = in.number();
    if (!in.ok() || !in.atEnd())
        return false;
    QString reason;
    return thawValues(
        initArgsSerialiser(), std::move(initArgs), &setup->initArgs, &reason, descriptors);
}

} // namespace QForkRpcDetail
