// SPDX-License-Identifier: MIT
#include "errors_p.h"

#include <QtCore/QCoreApplication>

#include <cstring>
#include <sys/wait.h>

namespace QForkRpcDetail {

namespace {
QString arg(const QStringList &args, int i)
{
    return i < args.size() ? args.at(i) : QString();
}
} // namespace

QString errorText(ErrorCode code, const QStringList &a)
{
    switch (code) {
    case ErrorCode::UnknownFunction:
        return QCoreApplication::translate("QForkRpc", "there is no registered function '%1'")
            .arg(arg(a, 0));
    case ErrorCode::WrongFunctionKind:
        return QCoreApplication::translate("QForkRpc",
            "'%1' is registered with the %2 signature, but the %3 backend runs only functions with "
            "the %3 signature")
            .arg(arg(a, 0), arg(a, 1), arg(a, 2));
    case ErrorCode::UnknownSerialiser:
        return QCoreApplication::translate("QForkRpc", "there is no registered serialiser '%1'")
            .arg(arg(a, 0));
    case ErrorCode::LibraryLoadFailed:
        return QCoreApplication::translate("QForkRpc", "cannot load the library '%1': %2")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::UnknownInit:
        return QCoreApplication::translate("QForkRpc", "there is no registered init function '%1'")
            .arg(arg(a, 0));
    case ErrorCode::InitFailed:
        return QCoreApplication::translate("QForkRpc", "the init function '%1' failed: %2")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::CallThrew:
        return QCoreApplication::translate("QForkRpc", "uncaught exception: %1").arg(arg(a, 1));
    case ErrorCode::FreezeFailed:
        if (!arg(a, 0).isEmpty())
            return QCoreApplication::translate(
                "QForkRpc", "the serialiser '%1' cannot serialise the values: %2")
                .arg(arg(a, 0), arg(a, 1));
        return QCoreApplication::translate("QForkRpc", "cannot serialise the values: %1")
            .arg(arg(a, 1));
    case ErrorCode::ThawFailed:
        if (!arg(a, 0).isEmpty())
            return QCoreApplication::translate(
                "QForkRpc", "the serialiser '%1' cannot deserialise the values: %2")
                .arg(arg(a, 0), arg(a, 1));
        return QCoreApplication::translate("QForkRpc", "cannot deserialise the values: %1")
            .arg(arg(a, 1));
    case ErrorCode::ProtocolError:
        return QCoreApplication::translate("QForkRpc", "protocol error: %1").arg(arg(a, 0));
    case ErrorCode::DoneCalledTwice:
        return QCoreApplication::translate(
            "QForkRpc", "'%1' called done() more than once; the extra results were dropped")
            .arg(arg(a, 0));
    case ErrorCode::BadSetup:
        return QCoreApplication::translate(
            "QForkRpc", "the worker received an invalid setup message");
    case ErrorCode::SpawnFailed:
        return QCoreApplication::translate("QForkRpc", "cannot create the worker process: %1")
            .arg(arg(a, 0));
    case ErrorCode::TemplateGone:
        return arg(a, 0).isEmpty()
            ? QCoreApplication::translate("QForkRpc", "the template process is no longer running")
            : QCoreApplication::translate(
                "QForkRpc", "the template process is no longer running (it %1)")
                  .arg(arg(a, 0));
    case ErrorCode::ExecFailed:
        return QCoreApplication::translate("QForkRpc", "cannot start the worker program '%1': %2")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::NotAWorkerProgram:
        return QCoreApplication::translate("QForkRpc",
            "the program '%1' did not start a QForkRpc worker (does its main() call "
            "QForkRpc::initialize()?)")
            .arg(arg(a, 0));
    case ErrorCode::NoTemplate:
        return QCoreApplication::translate("QForkRpc",
            "Spawn::Template needs QForkRpc::initialize() as the first statement of main()");
    case ErrorCode::AsyncNeedsProcess:
        return QCoreApplication::translate("QForkRpc",
            "the async backend needs the template process (QForkRpc::initialize()) or "
            "Options::program");
    case ErrorCode::ForkNotForAsync:
        return QCoreApplication::translate("QForkRpc",
            "Spawn::Fork cannot run the async backend; use Spawn::Template or Spawn::Exec");
    case ErrorCode::CallAfterFinish:
        return QCoreApplication::translate(
            "QForkRpc", "call() after finish() is ignored (function '%1')")
            .arg(arg(a, 0));
    case ErrorCode::WorkerNotRunning:
        return QCoreApplication::translate("QForkRpc", "the worker for '%1' is no longer running")
            .arg(arg(a, 0));
    case ErrorCode::PayloadTooLarge:
        return QCoreApplication::translate("QForkRpc",
            "a message of %1 bytes is larger than the 4 GiB - 1 bytes one message may carry")
            .arg(arg(a, 0));
    case ErrorCode::UnexpectedFrame:
        return QCoreApplication::translate("QForkRpc", "protocol error: %1").arg(arg(a, 0));
    case ErrorCode::WorkerExited:
        return QCoreApplication::translate("QForkRpc", "the worker for '%1' (pid %2) %3")
                   .arg(arg(a, 0), arg(a, 1), arg(a, 2))
            + lostCallsText(arg(a, 3).toInt(), arg(a, 4).toInt(), arg(a, 5).toInt());
    case ErrorCode::CallTimedOut:
        return QCoreApplication::translate("QForkRpc",
            "a call to '%1' did not answer within %2 ms (Options::callTimeoutMs), so its worker "
            "(pid %3) was killed")
            .arg(arg(a, 0), arg(a, 1), arg(a, 2));
    case ErrorCode::CancelledCallKilled:
        return QCoreApplication::translate("QForkRpc",
            "a cancelled call to '%1' still ran %2 ms after it was cancelled "
            "(QForkRpcPool::Options::cancelKillAfterMs), so its worker (pid %3) was killed")
            .arg(arg(a, 0), arg(a, 1), arg(a, 2));
    case ErrorCode::PoolQueueFull:
        return QCoreApplication::translate("QForkRpc",
            "call() to the pool of '%1' refused: %2 calls are waiting for a worker already "
            "(QForkRpcPool::Options::maxQueuedCalls)")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::TooManyPendingCalls:
        return QCoreApplication::translate("QForkRpc",
            "call() to '%1' refused: %2 calls are waiting for results already "
            "(Options::maxPendingCalls)")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::QueueFull:
        return QCoreApplication::translate("QForkRpc",
            "call() to '%1' refused: %2 bytes of requests wait for the worker to read them, the "
            "limit is %3 (Options::maxQueuedBytes)")
            .arg(arg(a, 0), arg(a, 1), arg(a, 2));
    case ErrorCode::InitArgsRefused:
        return QCoreApplication::translate(
            "QForkRpc", "the init arguments cannot be sent to the worker: %1")
            .arg(arg(a, 0));
    case ErrorCode::NoCommand:
        return QCoreApplication::translate(
            "QForkRpc", "Spawn::Command needs the command to run in Options::command");
    case ErrorCode::NotAWorkerCommand:
        return QCoreApplication::translate("QForkRpc",
            "the command '%1' did not start a QForkRpc worker (does it reach the worker program, "
            "and does that program's main() call QForkRpc::initialize()?)")
            .arg(arg(a, 0));
    case ErrorCode::ProtocolVersion:
        return QCoreApplication::translate("QForkRpc",
            "the worker speaks version %1 of the QForkRpc protocol and this program version %2: "
            "build the worker program with the same QForkRpc release as this program")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::CallFailed:
        return QCoreApplication::translate("QForkRpc", "a call to '%1' failed: %2")
            .arg(arg(a, 0), arg(a, 1));
    }
    return QCoreApplication::translate("QForkRpc", "unknown error %1").arg(quint32(code));
}

QString lostCallsText(int running, int neverRan, int passedOn)
{
    QStringList parts;
    if (running > 0)
        parts << QCoreApplication::translate(
            "QForkRpc", "%n call(s) were running", nullptr, running);
    if (neverRan > 0)
        parts << QCoreApplication::translate(
            "QForkRpc", "%n call(s) never ran (safe to repeat)", nullptr, neverRan);
    if (passedOn > 0)
        parts << QCoreApplication::translate(
            "QForkRpc", "%n call(s) went to another worker of the pool", nullptr, passedOn);
    return parts.isEmpty() ? QString() : QLatin1String("; ") + parts.join(QLatin1String(", "));
}

QString exitStatusText(int status)
{
    if (status == -1)
        return QCoreApplication::translate(
            "QForkRpc", "exited (its exit status was collected by other code)");
    if (WIFEXITED(status))
        return QCoreApplication::translate("QForkRpc", "exited with code %1")
            .arg(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        return QCoreApplication::translate("QForkRpc", "was killed by signal %1 (%2)")
            .arg(signal)
            .arg(QString::fromLocal8Bit(strsignal(signal)));
    }
    return QCoreApplication::translate("QForkRpc", "ended with status %1").arg(status);
}

} // namespace QForkRpcDetail
