// SPDX-License-Identifier: MIT
// The worker functions the tests run. They are compiled into every test program and registered
// at static-initialisation time, so the template and every worker have them.
#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <cerrno>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

namespace {

// Example 1 of the original: rmdir/unlink, with an event every three requests.
int requestCount = 0;
QVariantList myWorkerRun(const QVariantList &args)
{
    if (!(++requestCount % 3))
        QForkRpcChild::event(requestCount);
    const QString command = args.value(0).toString();
    const QByteArray path = QFile::encodeName(args.value(1).toString());
    int status;
    if (command == QLatin1String("rmdir"))
        status = ::rmdir(path.constData());
    else if (command == QLatin1String("unlink"))
        status = ::unlink(path.constData());
    else
        throw std::runtime_error("fatal error, illegal command '" + command.toStdString() + "'");
    if (status == 0)
        return { 1 };
    return { 0, QString::fromLocal8Bit(strerror(errno)) };
}
QFORKRPC_REGISTER("MyWorker::run", myWorkerRun);

// Example 1a: the same through the async backend.
QFORKRPC_REGISTER("MyWorker::runAsync",
    [](QForkRpcDone done, const QVariantList &args) { done(myWorkerRun(args)); });

// Example 2: count down on timers in the child; args: count, interval in ms.
void countdown(QForkRpcDone done, const QVariantList &args)
{
    const int count = args.value(0).toInt();
    const int interval = args.value(1, 1000).toInt();
    QForkRpcChild::event(QStringLiteral("starting to count up to %1\n").arg(count));
    auto *timer = new QTimer(QCoreApplication::instance());
    auto n = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, [=] {
        ++*n;
        QForkRpcChild::event(QStringLiteral("count %1 of %2\n").arg(*n).arg(count));
        if (*n == count) {
            timer->deleteLater();
            done({});
        }
    });
    timer->start(interval);
}
QFORKRPC_REGISTER("countdown", countdown);

QFORKRPC_REGISTER("echo", [](const QVariantList &args) { return args; });
QFORKRPC_REGISTER("echoAsync", [](QForkRpcDone done, const QVariantList &args) { done(args); });

// Answers after args[0] milliseconds, with args.
QFORKRPC_REGISTER("delayedEcho", [](QForkRpcDone done, const QVariantList &args) {
    QTimer::singleShot(
        args.value(0).toInt(), QCoreApplication::instance(), [done, args] { done(args); });
});

// Sends args[0] events numbered 1.., then returns args[0].
QFORKRPC_REGISTER("events", [](const QVariantList &args) {
    const int n = args.value(0).toInt();
    for (int i = 1; i <= n; ++i)
        QForkRpcChild::event(QStringLiteral("e"), i);
    return QVariantList { n };
});
QFORKRPC_REGISTER("eventsAsync", [](QForkRpcDone done, const QVariantList &args) {
    const int n = args.value(0).toInt();
    for (int i = 1; i <= n; ++i)
        QForkRpcChild::event(QStringLiteral("e"), i);
    done({ n });
});

QFORKRPC_REGISTER("throwing", [](const QVariantList &args) -> QVariantList {
    throw std::runtime_error(args.value(0).toString().toStdString());
});
QFORKRPC_REGISTER("throwingAsync", [](QForkRpcDone, const QVariantList &args) {
    throw std::runtime_error(args.value(0).toString().toStdString());
});

// Dies as args[0] says: "segv", "abort", "kill", or "exit" with code args[1]; "live" returns
// args[1] instead.
QVariantList die(const QVariantList &args)
{
    const QString how = args.value(0).toString();
    if (how == QLatin1String("live"))
        return { args.value(1) };
    if (how == QLatin1String("segv")) {
        ::signal(SIGSEGV, SIG_DFL); // a sanitizer's handler would turn the crash into exit(1)
        ::raise(SIGSEGV);
    } else if (how == QLatin1String("abort"))
        ::abort();
    else if (how == QLatin1String("kill"))
        ::raise(SIGKILL);
    ::_exit(args.value(1).toInt());
}
QFORKRPC_REGISTER("die", die);
QFORKRPC_REGISTER("dieAsync", [](QForkRpcDone done, const QVariantList &args) { done(die(args)); });

// Sleeps args[0] milliseconds, then returns args[1].
QFORKRPC_REGISTER("sleep", [](const QVariantList &args) {
    QThread::msleep(args.value(0).toULongLong());
    return QVariantList { args.value(1) };
});

QVariantList describeProcess()
{
    QFile status(QStringLiteral("/proc/self/status"));
    status.open(QIODevice::ReadOnly);
    int threads = 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("Threads:"))
            threads = line.mid(8).trimmed().toInt();
    QFile cmdline(QStringLiteral("/proc/self/cmdline"));
    cmdline.open(QIODevice::ReadOnly);
    QFile comm(QStringLiteral("/proc/self/comm"));
    comm.open(QIODevice::ReadOnly);
    const QStringList fds
        = QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::System);
    return { qint64(getpid()), qint64(getppid()), threads, QCoreApplication::instance() != nullptr,
        QForkRpcChild::isChild(), QString::fromUtf8(cmdline.readAll().split('\0').value(0)),
        QString::fromUtf8(comm.readAll().trimmed()), fds,
        QString::fromLatin1(setlocale(LC_CTYPE, nullptr)) };
}
// Returns: pid, ppid, thread count, has QCoreApplication, isChild, cmdline, comm, open fds,
// LC_CTYPE locale.
QFORKRPC_REGISTER("describe", [](const QVariantList &) { return describeProcess(); });
QFORKRPC_REGISTER(
    "describeAsync", [](QForkRpcDone done, const QVariantList &) { done(describeProcess()); });

QVariantList initArgsSeen;
bool initRan = false;
QFORKRPC_REGISTER("storeInit", [](const QVariantList &args) {
    initRan = true;
    initArgsSeen = args;
});
QFORKRPC_REGISTER(
    "throwingInit", [](const QVariantList &) { throw std::runtime_error("no database"); });
QFORKRPC_REGISTER("initArgs", [](const QVariantList &) {
    return QVariantList { initRan, QVariant(initArgsSeen) };
});

// Writes raw bytes to the worker socket, as a broken worker would.
QFORKRPC_REGISTER("garbage", [](const QVariantList &args) -> QVariantList {
    const QByteArray bytes = args.value(0).toByteArray();
    (void)!::write(3, bytes.constData(), size_t(bytes.size()));
    if (args.value(1).toBool())
        ::_exit(0);
    QThread::sleep(60); // the parent must end us
    return {};
});

QFORKRPC_REGISTER("doneTwice", [](QForkRpcDone done, const QVariantList &args) {
    done(args);
    done(args);
});

// Returns a value no serialiser can carry.
QFORKRPC_REGISTER("unfreezable", [](const QVariantList &) {
    return QVariantList { QVariant::fromValue(
        static_cast<QObject *>(QCoreApplication::instance())) };
});

// Returns an open descriptor (of /dev/null).
QFORKRPC_REGISTER("descriptor", [](const QVariantList &) {
    QFile null(QStringLiteral("/dev/null"));
    null.open(QIODevice::ReadOnly);
    return QVariantList { QVariant::fromValue(QForkRpcFd::fromFd(null.handle())) };
});

QFORKRPC_REGISTER("length",
    [](const QVariantList &args) { return QVariantList { args.value(0).toByteArray().size() }; });
QFORKRPC_REGISTER("bytes", [](const QVariantList &args) {
    return QVariantList { QByteArray(args.value(0).toLongLong(), 'x') };
});

} // namespace

namespace {
// Sends args[0] events of args[1] bytes each, numbered, as fast as it can; returns the count.
QFORKRPC_REGISTER("flood", [](const QVariantList &args) {
    const int count = args.value(0).toInt();
    const QByteArray filler(args.value(1).toInt(), 'f');
    for (int i = 0; i < count; ++i)
        QForkRpcChild::event(i, filler);
    return QVariantList { count };
});

// Limits its own address space to args[0] MiB, then tries to allocate args[1] MiB.
QFORKRPC_REGISTER("allocate", [](const QVariantList &args) {
    struct rlimit limit;
    limit.rlim_cur = limit.rlim_max = rlim_t(args.value(0).toLongLong()) << 20;
    setrlimit(RLIMIT_AS, &limit);
    QByteArray big(args.value(1).toLongLong() << 20, 'x');
    return QVariantList { big.size() };
});
} // namespace

// ---- per-call control (tst_percall) -------------------------------------------------------------

namespace {

// Appends `mark` and a newline to the file `path`: a side effect the parent can look for.
void appendMark(const QVariantList &args)
{
    QFile file(args.value(0).toString());
    if (file.open(QIODevice::Append))
        file.write(args.value(1).toString().toUtf8() + '\n');
}

// Runs until cancelled (or `seconds`), then notes whether it saw the cancel in the file `path`.
QVariantList runUntilCancelled(const QVariantList &args)
{
    QElapsedTimer timer;
    timer.start();
    while (!QForkRpcChild::isCancelled()) {
        if (timer.elapsed() > args.value(1, 10).toInt() * 1000) {
            appendMark({ args.value(0), QStringLiteral("not cancelled") });
            return { false };
        }
    }
    appendMark({ args.value(0), QStringLiteral("cancelled") });
    return { true };
}

} // namespace

// args: path, mark, milliseconds to sleep before marking
QFORKRPC_REGISTER("mark", [](const QVariantList &args) {
    QThread::msleep(args.value(2).toUInt());
    appendMark(args);
    return QVariantList { args.value(1) };
});
// With a fourth argument true, it blocks the worker's event loop for those ms instead.
QFORKRPC_REGISTER("markAsync", [](QForkRpcDone done, const QVariantList &args) {
    if (args.value(3).toBool()) {
        QThread::msleep(args.value(2).toUInt());
        appendMark(args);
        done({ args.value(1) });
        return;
    }
    QTimer::singleShot(args.value(2).toInt(), QCoreApplication::instance(), [done, args] {
        appendMark(args);
        done({ args.value(1) });
    });
});

// args: path, seconds at most. Returns at once without a path; else waits until the file exists
// and returns true, or false when the time is up.
QFORKRPC_REGISTER("waitForFile", [](const QVariantList &args) {
    const QString path = args.value(0).toString();
    QElapsedTimer timer;
    timer.start();
    while (!path.isEmpty() && !QFile::exists(path)) {
        if (timer.elapsed() > args.value(1).toInt() * 1000)
            return QVariantList { false };
        QThread::msleep(5);
    }
    return QVariantList { true };
});

// args: path, seconds at most
QFORKRPC_REGISTER("runUntilCancelled", runUntilCancelled);
QFORKRPC_REGISTER("runUntilCancelledAsync", [](QForkRpcDone done, const QVariantList &args) {
    auto *timer = new QTimer(QCoreApplication::instance());
    QElapsedTimer clock;
    clock.start();
    QObject::connect(timer, &QTimer::timeout, [done, args, timer, clock] {
        const bool cancelled = done.isCancelled();
        if (!cancelled && clock.elapsed() < args.value(1, 10).toInt() * 1000)
            return;
        timer->deleteLater();
        appendMark({ args.value(0),
            cancelled ? QStringLiteral("cancelled") : QStringLiteral("not cancelled") });
        done({ cancelled });
    });
    timer->start(1);
});

// args: steps; reports every step (a million costs the parent little), returns the steps.
// With a second argument, sends an event after the first step and waits that many ms.
QFORKRPC_REGISTER("progress", [](const QVariantList &args) {
    const int steps = args.value(0).toInt();
    for (int i = 1; i <= steps; ++i) {
        QForkRpcChild::setProgress(i, steps);
        if (i == 1 && args.size() > 1) {
            QForkRpcChild::event(QStringLiteral("after the first step"));
            QThread::msleep(args.value(1).toUInt());
        }
    }
    return QVariantList { steps };
});
QFORKRPC_REGISTER("progressAsync", [](QForkRpcDone done, const QVariantList &args) {
    const int steps = args.value(0).toInt();
    for (int i = 1; i <= steps; ++i)
        done.setProgress(i, steps);
    done({ steps });
    done.setProgress(0, 1); // after the result: never reaches the parent
});

// Never answers: for timeouts.
QFORKRPC_REGISTER("hang", [](const QVariantList &) {
    for (;;)
        pause();
    return QVariantList();
});
QFORKRPC_REGISTER("hangAsync", [](QForkRpcDone, const QVariantList &) {});

// isCancelled() asked by a thread the call starts, while the call's own thread waits for it.
QFORKRPC_REGISTER("runUntilCancelledInAThread", [](const QVariantList &args) {
    QVariantList results;
    std::thread thread([&] { results = runUntilCancelled(args); });
    thread.join();
    return results;
});

// Keeps a copy of its handle that is called once more as the worker's application goes away.
QFORKRPC_REGISTER("doneAgainAtExitAsync", [](QForkRpcDone done, const QVariantList &args) {
    auto *keeper = new QObject(QCoreApplication::instance());
    QObject::connect(keeper, &QObject::destroyed, [done] {
        done({ QStringLiteral("too late") });
        done.setProgress(1, 1);
    });
    done(args);
});

// ---- pools (tst_pool) -----------------------------------------------------------------------

namespace {
// args: what to do ("retire", "die", "dieOnce" with a marker path, "sleep" ms, which says
// "sleeping" first, "event"), returns the pid.
QVariantList poolTask(const QVariantList &args)
{
    const QString what = args.value(0).toString();
    if (what == QLatin1String("retire")) {
        QForkRpcChild::retire();
    } else if (what == QLatin1String("die")) {
        die({ QStringLiteral("kill") });
    } else if (what == QLatin1String("dieOnce")) {
        QFile marker(args.value(1).toString());
        if (!marker.exists() && marker.open(QIODevice::WriteOnly)) {
            marker.close();
            die({ QStringLiteral("kill") });
        }
    } else if (what == QLatin1String("sleep")) {
        QForkRpcChild::event(QStringLiteral("sleeping"), qint64(getpid()));
        QThread::msleep(args.value(1).toUInt());
    } else if (what == QLatin1String("event")) {
        QForkRpcChild::event(QStringLiteral("from"), qint64(getpid()));
    }
    return { qint64(getpid()) };
}
} // namespace
QFORKRPC_REGISTER("poolTask", poolTask);
// Its "sleep" also says how many calls the worker was running when it began this one, itself
// included: the pool's load, seen from the worker.
QFORKRPC_REGISTER("poolTaskAsync", [](QForkRpcDone done, const QVariantList &args) {
    static int running = 0;
    if (args.value(0).toString() == QLatin1String("sleep")) {
        const int atStart = ++running;
        QTimer::singleShot(args.value(1).toInt(), QCoreApplication::instance(), [done, atStart] {
            --running;
            done({ qint64(getpid()), atStart });
        });
        return;
    }
    done(poolTask(args));
});

// Writes to stdout and returns its arguments: a Command worker's stdout is not its protocol
// stream, so this must not corrupt it.
QFORKRPC_REGISTER("printsToStdout", [](const QVariantList &args) {
    std::printf("a stray line on stdout from a worker\n");
    std::fflush(stdout);
    (void)!::write(STDOUT_FILENO, "and a raw write\n", 16);
    return args;
});

// The worker's value of environment variable args[0], or null.
QFORKRPC_REGISTER("environmentVariable", [](const QVariantList &args) {
    const QByteArray name = args.value(0).toString().toLocal8Bit();
    return QVariantList { qEnvironmentVariableIsSet(name.constData())
            ? QVariant(qEnvironmentVariable(name.constData()))
            : QVariant() };
});
