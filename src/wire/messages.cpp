// SPDX-License-Identifier: MIT
#include "protocol_p.h"

#include "serialisers/serialisers_p.h"

#include <QtCore/QDataStream>
#include <QtCore/QIODevice>

namespace QForkRpcDetail {

bool readCheckedCount(QDataStream &in, quint32 *count)
{
    in >> *count;
    if (in.status() != QDataStream::Ok)
        return false;
    if (!in.device() || *count > in.device()->bytesAvailable()) {
        in.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    return true;
}

QByteArray encodeErrorReport(const ErrorReport &report)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << quint32(report.code) << report.args;
    return bytes;
}

bool decodeErrorReport(const QByteArray &bytes, ErrorReport *report)
{
    QDataStream in(bytes);
    quint32 code = 0;
    in >> code;
    readCheckedList(in, &report->args); // from the worker: not trusted
    report->code = ErrorCode(code);
    return in.status() == QDataStream::Ok && in.atEnd();
}

QByteArray encodeSetup(const WorkerSetup &setup)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << protocolVersion << setup.function << setup.async << setup.serialiser << setup.init
        << setup.initArgs << setup.require;
    return bytes;
}

bool decodeSetup(const QByteArray &bytes, WorkerSetup *setup)
{
    QDataStream in(bytes);
    quint32 version = 0;
    in >> version;
    if (version != protocolVersion)
        return false;
    in >> setup->function >> setup->async >> setup->serialiser >> setup->init;
    readVariantList(in, &setup->initArgs);
    readCheckedList(in, &setup->require);
    return in.status() == QDataStream::Ok && in.atEnd();
}

} // namespace QForkRpcDetail
