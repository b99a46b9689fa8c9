// SPDX-License-Identifier: MIT
// The protocol's own messages, which every serialiser leaves alone: Hello, Setup and error
// reports. Their QDataStream version is pinned, so that an Exec worker built against another Qt 6
// reads them.
#pragma once

#include "wire/frame_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariantList>

#include <cstring>

namespace QForkRpcDetail {

// 5: descriptors and shared memory in the frame header's type word, and the setup's threshold.
constexpr quint32 protocolVersion = 5;

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
    WorkerExited, // function, pid, how, calls running, never run, passed on to another worker
    CallFailed, // function, reason
    TooManyPendingCalls, // function, limit
    QueueFull, // function, queued bytes, limit
    InitArgsRefused, // why the datastream serialiser refused Options::initArgs
    CallTimedOut, // function, milliseconds, pid
    CancelledCallKilled, // function, milliseconds, pid
    PoolQueueFull, // function, calls waiting
    NoCommand, //
    NotAWorkerCommand, // command line
    ProtocolVersion, // the worker's protocol version, ours
};

struct ErrorReport
{
    ErrorCode code = ErrorCode::ProtocolError;
    QStringList args;
};

QByteArray encodeErrorReport(const ErrorReport &report);
bool decodeErrorReport(const QByteArray &bytes, ErrorReport *report);

// The setup the parent sends as the first frame, at run().
struct WorkerSetup
{
    QString function;
    bool async = false;
    QString serialiser;
    QString init;
    QVariantList initArgs;
    QStringList require;
    // The parent's environment ("NAME=value") and working directory at run(), which the worker
    // takes over: the template was forked at the top of main(), before the program changed them.
    QByteArrayList environment;
    QByteArray workingDirectory;
    // Frames from the worker whose payload reaches this many bytes go through shared memory; 0:
    // never (Options::sharedMemoryThreshold).
    quint32 sharedMemoryThreshold = 0;
};

// The setup as of now: the process's environment and working directory filled in.
WorkerSetup currentSetup();
// Encoding fails (with the reason) only when the datastream serialiser refuses initArgs. The
// descriptors initArgs hold (QForkRpcFd) go with the setup frame.
bool encodeSetup(
    const WorkerSetup &setup, FramePayload *payload, QString *reason, bool descriptorsTravel);
bool decodeSetup(const QByteArray &bytes, const Descriptors &descriptors, WorkerSetup *setup);

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
    hello.version = qToLittleEndian(protocolVersion);
    hello.pid = qToLittleEndian(pid);
    return QByteArray(reinterpret_cast<const char *>(&hello), sizeof hello);
}

// False if the payload is not the size of a Hello; its fields are for the caller to check.
inline bool decodeHello(const QByteArray &payload, Hello *hello)
{
    if (payload.size() != qsizetype(sizeof *hello))
        return false;
    std::memcpy(hello, payload.constData(), sizeof *hello);
    hello->version = qFromLittleEndian(hello->version);
    hello->pid = qFromLittleEndian(hello->pid);
    return true;
}

// A Progress frame's payload: two little-endian 32-bit integers.
struct Progress
{
    qint32 value;
    qint32 maximum;
};

inline QByteArray encodeProgress(int value, int maximum)
{
    const Progress progress { qToLittleEndian(qint32(value)), qToLittleEndian(qint32(maximum)) };
    return QByteArray(reinterpret_cast<const char *>(&progress), sizeof progress);
}

inline bool decodeProgress(const QByteArray &payload, Progress *progress)
{
    if (payload.size() != qsizetype(sizeof *progress))
        return false;
    std::memcpy(progress, payload.constData(), sizeof *progress);
    progress->value = qFromLittleEndian(progress->value);
    progress->maximum = qFromLittleEndian(progress->maximum);
    return true;
}

} // namespace QForkRpcDetail
