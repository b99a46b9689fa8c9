// SPDX-License-Identifier: MIT
#include "wire/messages_p.h"

#include "serialisers/serialisers_p.h"
#include "wire/checkedstream_p.h"

#include <QtCore/QDataStream>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QIODevice>

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

bool encodeSetup(const WorkerSetup &setup, QByteArray *bytes, QString *reason)
{
    // The init arguments go through the datastream serialiser, with its checks and its limits.
    FramePayload initArgs;
    if (!freezeValues(initArgsSerialiser(), setup.initArgs, &initArgs, reason))
        return false;
    QDataStream out(bytes, QIODevice::WriteOnly);
    out.setVersion(messageStreamVersion);
    out << protocolVersion << setup.function << setup.async << setup.serialiser << setup.init
        << initArgs.joined() << setup.require << setup.environment << setup.workingDirectory;
    return true;
}

bool decodeSetup(const QByteArray &bytes, WorkerSetup *setup)
{
    QDataStream in(bytes);
    in.setVersion(messageStreamVersion);
    quint32 version = 0;
    in >> version;
    if (version != protocolVersion)
        return false;
    QByteArray initArgs;
    in >> setup->function >> setup->async >> setup->serialiser >> setup->init >> initArgs;
    readCheckedList(in, &setup->require);
    readCheckedList(in, &setup->environment);
    in >> setup->workingDirectory;
    if (in.status() != QDataStream::Ok || !in.atEnd())
        return false;
    QString reason;
    return thawValues(initArgsSerialiser(), std::move(initArgs), &setup->initArgs, &reason);
}

} // namespace QForkRpcDetail
