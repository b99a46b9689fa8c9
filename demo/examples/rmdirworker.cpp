// SPDX-License-Identifier: MIT
// Example 1 of AnyEvent::Fork::RPC ("Synchronous Backend") and, with --async, Example 1a ("the
// same with the asynchronous backend"): a worker that runs rmdir and unlink and reports every
// third request through an event.
//
// The original's output, which this program reproduces line for line:
//
//   /tmp/somepath/1: No such file or directory
//   /tmp/somepath/2: No such file or directory
//   3 requests handled
//   /tmp/somepath/3: No such file or directory
//   /tmp/somepath/4: No such file or directory
//   /tmp/somepath/5: No such file or directory
//   6 requests handled
//   /tmp/somepath/6: No such file or directory
//
// Every line goes to stderr, as the original prints all of them with warn. The event arrives
// before the failure of the same request because the worker sends it before it runs rmdir:
// events and results reach the parent in the order the worker produced them.
//
// Options: --async (Example 1a), --command NAME (default "rmdir"; "unlink" works too, and any
// other name shows the fatal-error path: "FATAL: ..." and exit code 1).
#include <QForkRpc>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace MyWorker {

// The worker's own state: each worker is a process of its own, so this counts its requests.
int count = 0;

// The body both backends share. Like the original it returns (true) on success and
// (false, error text) on failure, and an unknown command is a fatal error.
QVariantList handle(const QVariantList &args)
{
    if (!(++count % 3))
        QForkRpcChild::event(count);
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
        return { true };
    return { false, QString::fromLocal8Bit(std::strerror(errno)) };
}

// Example 1: the sync backend returns the results.
QVariantList run(const QVariantList &args)
{
    return handle(args);
}

// Example 1a: the async backend takes a done callback first and passes the results to it.
void runAsync(QForkRpcDone done, const QVariantList &args)
{
    done(handle(args));
}

} // namespace MyWorker

QFORKRPC_REGISTER("MyWorker::run", MyWorker::run);
QFORKRPC_REGISTER("MyWorker::runAsync", MyWorker::runAsync);

namespace {
// Perl's warn: a line on stderr, which is unbuffered, so it interleaves correctly with stdout.
void warn(const QString &line)
{
    std::fputs((line + QLatin1Char('\n')).toLocal8Bit().constData(), stderr);
}
} // namespace

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Example 1 (and 1a) of AnyEvent::Fork::RPC: rmdir in a worker process."));
    parser.addHelpOption();
    const QCommandLineOption asyncOption(
        QStringLiteral("async"), QStringLiteral("Use the async backend (Example 1a)."));
    const QCommandLineOption commandOption(QStringLiteral("command"),
        QStringLiteral("The command the worker runs: rmdir (default) or unlink."),
        QStringLiteral("name"), QStringLiteral("rmdir"));
    parser.addOption(asyncOption);
    parser.addOption(commandOption);
    parser.process(app);

    QForkRpc::Options options;
    options.async = parser.isSet(asyncOption);
    QForkRpc *rpc = QForkRpc::run(
        options.async ? QStringLiteral("MyWorker::runAsync") : QStringLiteral("MyWorker::run"),
        options, &app);

    // on_error => sub { warn "FATAL: $_[0]"; exit 1 }
    QObject::connect(rpc, &QForkRpc::error, [](const QString &message) {
        warn(QStringLiteral("FATAL: ") + message);
        std::exit(1); // at once, like Perl's exit: nothing else gets printed
    });
    // on_event => sub { warn "$_[0] requests handled\n" }
    QObject::connect(rpc, &QForkRpc::event, [](const QVariantList &args) {
        warn(args.value(0).toString() + QStringLiteral(" requests handled"));
    });
    // on_destroy => $done, and $done->recv: the program ends once the worker has handled all.
    QObject::connect(rpc, &QForkRpc::destroyed, &app, [] { QCoreApplication::exit(0); });

    const QString command = parser.value(commandOption);
    for (int id = 1; id <= 6; ++id) {
        const QString path = QStringLiteral("/tmp/somepath/%1").arg(id);
        rpc->call({ command, path }, [path](const QVariantList &results) {
            if (!results.value(0).toBool())
                warn(path + QStringLiteral(": ") + results.value(1).toString());
        });
    }
    // undef $rpc: the worker runs every queued request, answers, and exits.
    rpc->finish();

    return app.exec();
}
