// SPDX-License-Identifier: MIT
// The start of every worker, whichever way it was spawned: hello, setup, libraries, init, then
// the backend. Failures before the backend runs are Fatal frames, reported by the parent as the
// failure to start.
#include "worker_p.h"

#include "logging_p.h"
#include "processtitle_p.h"
#include "spawn/forkutil_p.h"
#include "wire/framewriter_p.h"

#include <qforkrpc/qforkrpcchild.h>

#include <QtCore/QFile>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {
bool insideWorker = false;

// What setlocale(LC_ALL, "") reads, as "NAME=value" lines.
QByteArray localeEnvironment()
{
    static const char *const variables[] = { "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME",
        "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES", "LC_PAPER", "LC_NAME", "LC_ADDRESS",
        "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION", "LANG", "LOCPATH" };
    QByteArray lines;
    for (const char *variable : variables) {
        if (const char *value = getenv(variable))
            lines.append(variable).append('=').append(value).append('\n');
    }
    return lines;
}

// Whether the template set the locale, and from what.
bool templateSetLocale = false;
QByteArray templateLocaleEnvironment;

const RegisteredFunction *findFunction(
    const QString &name, FunctionKind wanted, ErrorCode missing, const QString &backend)
{
    const RegisteredFunction *function = Registry::instance().function(name);
    if (!function)
        failWorker({ missing, { name } });
    if (function->kind != wanted)
        failWorker(
            { ErrorCode::WrongFunctionKind, { name, functionKindName(function->kind), backend } });
    return function;
}

// The parent's environment and working directory at run(), in place of those this process
// inherited (the template's are those of the top of main()).
void takeOverParentsEnvironment(const WorkerSetup &setup)
{
    clearenv();
    for (const QByteArray &variable : setup.environment) {
        const qsizetype equals = variable.indexOf('=');
        if (equals > 0)
            setenv(variable.left(equals).constData(), variable.constData() + equals + 1, 1);
    }
    if (!setup.workingDirectory.isEmpty() && chdir(setup.workingDirectory.constData()) != 0)
        qCWarning(lcQForkRpc) << "the worker cannot change to the parent's working directory"
                              << setup.workingDirectory << strerror(errno);
}
} // namespace

qsizetype workerSharedMemoryThreshold = 0;

bool workerCarriesDescriptors()
{
    return workerReadFd == workerWriteFd;
}

void runWorkerProcess(bool overStdio)
{
    insideWorker = true;
    // Our connection must not leak into programs that worker code starts.
    fcntl(workerReadFd, F_SETFD, FD_CLOEXEC);
    fcntl(workerWriteFd, F_SETFD, FD_CLOEXEC);

    FrameReader reader;
    Frame frame;
    QString error;
    if (!readFrameBlocking(reader, &frame, &error))
        _exit(0); // the parent gave up on us before sending the setup
    WorkerSetup setup;
    if (frame.type != FrameType::Setup || !decodeSetup(frame.payload, frame.descriptors, &setup)) {
        // Our hello first: a parent of another protocol version says so instead of "bad setup".
        writeFrameBlocking(FrameType::Hello, 0, encodeHello(getpid()));
        failWorker({ ErrorCode::BadSetup, {} });
    }
    // The parent sends the setup without waiting for our hello, and waits for neither hello nor
    // Ready to send calls: both go in one write, one wake-up of the parent less. Libraries and
    // init may take long, so before them the hello goes at once (a Command's parent waits 30 s
    // for it).
    FrameWriter start;
    start.append(FrameType::Hello, 0, encodeHello(getpid()));
    const bool slowStart = !setup.require.isEmpty() || !setup.init.isEmpty();
    if (slowStart && !start.flushBlocking(workerWriteFd))
        _exit(0); // the parent is gone already
    if (!overStdio)
        takeOverParentsEnvironment(setup);
    workerSharedMemoryThreshold = workerCarriesDescriptors() ? setup.sharedMemoryThreshold : 0;
    // The template was forked before the program's QCoreApplication ran setlocale(); take the
    // environment's locale as it does, so that sync and async workers see the same one. The
    // template has set it already if the environment names the same.
    if (!templateSetLocale || templateLocaleEnvironment != localeEnvironment())
        setlocale(LC_ALL, "");

    setProcessTitle(QByteArray("qforkrpc: " + setup.function.toUtf8()).constData());

    // As in the original: libraries first, then init, and only then are the serialiser and the
    // function looked up, so that both may come from a library or be registered by init.
    for (const QString &library : std::as_const(setup.require)) {
        if (!dlopen(QFile::encodeName(library).constData(), RTLD_NOW | RTLD_GLOBAL))
            failWorker(
                { ErrorCode::LibraryLoadFailed, { library, QString::fromLocal8Bit(dlerror()) } });
    }
    if (!setup.init.isEmpty()) {
        const RegisteredFunction *init = findFunction(
            setup.init, FunctionKind::Init, ErrorCode::UnknownInit, QStringLiteral("init"));
        try {
            init->init(setup.initArgs);
        } catch (const std::exception &e) {
            failWorker({ ErrorCode::InitFailed, { setup.init, QString::fromUtf8(e.what()) } });
        } catch (...) {
            failWorker(
                { ErrorCode::InitFailed, { setup.init, QStringLiteral("unknown exception") } });
        }
    }
    const Serialiser *serialiser = Registry::instance().serialiser(setup.serialiser);
    if (!serialiser)
        failWorker({ ErrorCode::UnknownSerialiser, { setup.serialiser } });
    const QString backend = setup.async ? QStringLiteral("async") : QStringLiteral("sync");
    const RegisteredFunction *function
        = findFunction(setup.function, setup.async ? FunctionKind::Async : FunctionKind::Sync,
            ErrorCode::UnknownFunction, backend);

    start.append(FrameType::Ready, 0, FramePayload());
    if (!start.flushBlocking(workerWriteFd))
        _exit(0);
    const int code = setup.async ? runAsyncWorker(*function, *serialiser, setup.function, reader)
                                 : runSyncWorker(*function, *serialiser, setup.function, reader);
    // _exit, not exit: the worker is a copy of the program and must not run its static
    // destructors or atexit handlers a second time.
    fflush(stdout);
    fflush(stderr);
    _exit(code);
}

void setLocaleForWorkers()
{
    setlocale(LC_ALL, "");
    templateLocaleEnvironment = localeEnvironment();
    templateSetLocale = true;
}

} // namespace QForkRpcDetail

bool QForkRpcChild::isChild()
{
    return QForkRpcDetail::insideWorker;
}
