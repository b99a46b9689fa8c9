// SPDX-License-Identifier: MIT
// The wire protocol between a parent and its worker (documented in README.md, "Wire protocol").
#pragma once

#include "framepayload_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QDataStream>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariantList>

#include <cstdint>
#include <cstring>

namespace QForkRpcDetail {

// Every frame is a 12-byte header in host byte order (both ends run on the same machine) followed
// by `length` bytes of payload.
enum class FrameType : quint32 {
    Hello = 1, // worker -> parent, first frame: protocol version and pid
    Setup = 2, // parent -> worker, first frame: function, backend, serialiser, init, require
    Request = 3, // parent -> worker: one call, payload frozen by the serialiser
    Result = 4, // worker -> parent: the results of call `id`, frozen by the serialiser
    Event = 5, // worker -> parent: QForkRpcChild::event(), frozen by the serialiser (id 0)
    CallFailed = 6, // worker -> parent: call `id` failed; payload is an encoded ErrorReport
    Error = 7, // worker -> parent: a non-fatal error (an event that could not be frozen)
    Fatal = 8, // worker -> parent: the worker cannot go on and exits after this frame
};

struct FrameHeader
{
    quint32 type;
    quint32 id;
    quint32 length;
};
static_assert(sizeof(FrameHeader) == 12, "the frame header is 12 bytes on the wire");

constexpr quint32 protocolVersion = 1;
// One payload may be up to 4 GiB - 1 bytes, the most a 32-bit length can say.
constexpr quint64 maxPayloadSize = 0xFFFFFFFFu;
// The worker's socket is always this descriptor inside the worker.
constexpr int workerSocketFd = 3;
// Exec workers find their socket through this argument.
constexpr char execWorkerArgument[] = "--qforkrpc-worker-fd=3";

inline bool isKnownFrameType(quint32 type)
{
    return type >= quint32(FrameType::Hello) && type <= quint32(FrameType::Fatal);
}

inline void appendFrameHeader(QByteArray &out, FrameType type, quint32 id, quint32 length)
{
    const FrameHeader header { quint32(type), id, length };
    appendBytes(out, &header, sizeof header);
}

// Errors travel as a code and arguments and are turned into (translated) text by the parent, so
// that the parent's translator applies even to errors found in the worker.
enum class ErrorCode : quint32 {
    UnknownFunction = 1, // function
    WrongFunctionKind, // function, what it is, what the backend needs
    UnknownSerialiser, // serialiser
    LibraryLoadFailed, // library, dlerror()
    UnknownInit, // init function
    InitFailed, // init function, exception text
    CallThrew, // function, exception text
    FreezeFailed, // serialiser, reason
    ThawFailed, // serialiser, reason
    ProtocolError, // what was wrong
    DoneCalledTwice, // function
    BadSetup, // reason
    SpawnFailed, // strerror
    // Found by the parent itself:
    TemplateGone, // how it ended, or empty
    ExecFailed, // program, strerror
    NotAWorkerProgram, // program
    NoTemplate, //
    AsyncNeedsProcess, //
    ForkNotForAsync, //
    CallAfterFinish, // function
    WorkerNotRunning, // function
    PayloadTooLarge, // size
    UnexpectedFrame, // what
    WorkerExited, // function, pid, how, outstanding calls
    CallFailed, // function, reason
    TooManyPendingCalls, // function, limit
    QueueFull, // function, queued bytes, limit
};

struct ErrorReport
{
    ErrorCode code = ErrorCode::ProtocolError;
    QStringList args;
};

// Reads a container's element count and refuses one the bytes left cannot hold (every element
// takes at least one byte), so that a lying count cannot make the reader reserve gigabytes: Qt's
// own container readers reserve whatever count they read.
bool readCheckedCount(QDataStream &in, quint32 *count);
// A QStringList or QByteArrayList read with a checked count.
template<typename List>
void readCheckedList(QDataStream &in, List *list)
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

QByteArray encodeErrorReport(const ErrorReport &report);
bool decodeErrorReport(const QByteArray &bytes, ErrorReport *report);

// The setup the parent sends as the first frame.
struct WorkerSetup
{
    QString function;
    bool async = false;
    QString serialiser;
    QString init;
    QVariantList initArgs;
    QStringList require;
};

QByteArray encodeSetup(const WorkerSetup &setup);
bool decodeSetup(const QByteArray &bytes, WorkerSetup *setup);

struct Hello
{
    quint32 version;
    qint64 pid;
};

// A Hello frame's payload, its padding zeroed so that every byte sent is defined.
inline QByteArray encodeHello(qint64 pid)
{
    Hello hello;
    std::memset(&hello, 0, sizeof hello);
    hello.version = protocolVersion;
    hello.pid = pid;
    return QByteArray(reinterpret_cast<const char *>(&hello), sizeof hello);
}

// False if the payload is not the size of a Hello; its fields are for the caller to check.
inline bool decodeHello(const QByteArray &payload, Hello *hello)
{
    if (payload.size() != qsizetype(sizeof *hello))
        return false;
    std::memcpy(hello, payload.constData(), sizeof *hello);
    return true;
}

} // namespace QForkRpcDetail
