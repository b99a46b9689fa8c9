// SPDX-License-Identifier: MIT
// Fork failure, for real: as user "nobody" with RLIMIT_NPROC at 2 (this program and its template),
// a worker cannot be created; with the limit raised again (for the template too), it can.
// Prints one line per step and exits 0 when every step went as expected. Root ignores
// RLIMIT_NPROC, hence the change of user; not being root, it exits 77 (nothing tested).
#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTimer>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <grp.h>
#include <sys/resource.h>
#include <unistd.h>

namespace {
QFORKRPC_REGISTER("nproc::echo", [](const QVariantList &args) { return args; });

constexpr uid_t nobody = 65534;

pid_t templatePid()
{
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!stat.open(QIODevice::ReadOnly) || !cmdline.open(QIODevice::ReadOnly))
            continue;
        const QByteArray fields = stat.readAll();
        const QList<QByteArray> after = fields.mid(fields.lastIndexOf(')') + 2).split(' ');
        if (after.value(1).toInt() == getpid()
            && cmdline.readAll().startsWith("qforkrpc: template"))
            return pid_t(entry.toInt());
    }
    return 0;
}

// Runs one call; returns "" on success or the error message.
QString tryWorker()
{
    QForkRpc *rpc = QForkRpc::run(QStringLiteral("nproc::echo"));
    QString outcome = QStringLiteral("timeout");
    QEventLoop loop;
    QObject::connect(rpc, &QForkRpc::error, &loop, [&](const QString &message) {
        outcome = message;
        loop.quit();
    });
    rpc->call({ 1 }, [&](const QVariantList &) {
        outcome.clear();
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    delete rpc;
    return outcome;
}
} // namespace

int main(int argc, char **argv)
{
    if (getuid() != 0) {
        std::puts("not root: cannot take on a user that RLIMIT_NPROC applies to");
        return 77;
    }
    // Become nobody, limited to 2 processes, before the template exists so that it shares both.
    // Only the soft limit is lowered, so that nobody may raise it again up to the hard one.
    struct rlimit limit;
    getrlimit(RLIMIT_NPROC, &limit);
    const rlim_t hard = limit.rlim_max;
    limit.rlim_cur = 2;
    if (setrlimit(RLIMIT_NPROC, &limit) != 0 || setgroups(0, nullptr) != 0 || setgid(nobody) != 0
        || setuid(nobody) != 0) {
        std::printf("cannot become nobody with RLIMIT_NPROC 2: %s\n", strerror(errno));
        return 1;
    }
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);

    const QString refused = tryWorker();
    std::printf("limited: %s\n",
        qPrintable(refused.isEmpty() ? QStringLiteral("a worker started") : refused));
    const bool clear = refused.startsWith(QStringLiteral("cannot create the worker process: "))
        && refused.contains(QString::fromLocal8Bit(strerror(EAGAIN)));

    // Resources return: raise the soft limit here and in the template.
    limit.rlim_cur = hard;
    if (setrlimit(RLIMIT_NPROC, &limit) != 0) {
        std::printf("cannot raise our own limit: %s\n", strerror(errno));
        return 1;
    }
    const pid_t pid = templatePid();
    if (pid <= 0 || prlimit(pid, RLIMIT_NPROC, &limit, nullptr) != 0) {
        std::printf("cannot raise the template's limit: %s\n", strerror(errno));
        return 1;
    }
    const QString later = tryWorker();
    std::printf("unlimited: %s\n",
        qPrintable(later.isEmpty() ? QStringLiteral("a worker started") : later));
    return clear && later.isEmpty() ? 0 : 1;
}
